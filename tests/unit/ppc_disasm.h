/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the two pvpatch test programs (test_pvpatch.c, test_pvpatch_tramp.c)
 * share: a scratch directory for binutils' files, one objdump runner that
 * reads guest words back as text, the I-form branch decoding, and the
 * facts both hold the patcher to (which kinds get a trampoline).  A
 * header of static functions, like unit.h, because each test is one
 * program built from one source file.
 */
#ifndef PVEXIT_PPC_DISASM_H
#define PVEXIT_PPC_DISASM_H

#include <pvexit/pvpatch.h>

#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NREGS 32u
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

#define ALL_FEATURES (PVX_MAGIC_FEAT_SR | PVX_MAGIC_FEAT_MAS0_TO_SPRG7)

/* The kinds pv-interface.md 4.2 rewrites as a branch to a trampoline. */
static inline bool is_trampoline(int kind)
{
	switch (kind) {
	case PVX_KIND_MTMSRD1:
	case PVX_KIND_MTMSR:
	case PVX_KIND_WRTEE:
	case PVX_KIND_WRTEEI0:
	case PVX_KIND_WRTEEI1:
	case PVX_KIND_MTSRIN:
		return true;
	default:
		return false;
	}
}

/* An unconditional relative branch, no link: b target. */
static inline bool is_b(uint32_t w)
{
	return (w & 0xfc000003u) == 18u << 26;
}

static inline int64_t branch_disp(uint32_t w)
{
	if (w >> 26 == 18) /* I-form: LI, 24 bits, times 4 */
		return (int64_t)(int32_t)((w & 0x03fffffcu) << 6) >> 6;
	return (int16_t)(w & 0xfffcu); /* B-form: BD */
}

/* ---- the scratch directory ----------------------------------------- */

/* Where binutils' files live: $TMPDIR/pvexit-TAG.XXXXXX, or "" if none. */
static char ppc_tmpdir[128];

/* Create the directory; false (and no directory) if that fails. */
static inline bool ppc_scratch_setup(const char *tag)
{
	const char *base = getenv("TMPDIR");

	snprintf(ppc_tmpdir, sizeof(ppc_tmpdir), "%s/pvexit-%s.XXXXXX",
		 base && *base ? base : "/tmp", tag);
	if (!mkdtemp(ppc_tmpdir)) {
		ppc_tmpdir[0] = '\0';
		return false;
	}
	return true;
}

/* The path of scratch file @name, in a buffer the next call reuses. */
static inline const char *ppc_scratch_path(const char *name)
{
	static char path[sizeof(ppc_tmpdir) + 32];

	snprintf(path, sizeof(path), "%s/%s", ppc_tmpdir, name);
	return path;
}

/* Remove the directory and every file made in it, if it was made. */
static inline void ppc_scratch_remove(void)
{
	DIR *d;
	struct dirent *e;

	if (!ppc_tmpdir[0])
		return;
	d = opendir(ppc_tmpdir);
	if (d) {
		while ((e = readdir(d)) != NULL)
			if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
				unlinkat(dirfd(d), e->d_name, 0);
		closedir(d);
	}
	rmdir(ppc_tmpdir);
	ppc_tmpdir[0] = '\0';
}

static inline bool ppc_have_tool(const char *tool)
{
	char cmd[200];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", tool);
	return system(cmd) == 0;
}

/* ---- objdump ------------------------------------------------------- */

/* A PowerPC host's own binutils, or the cross ones elsewhere; both read
 * and write either byte order when told (-EB, -mbig). */
#if defined(__powerpc__) || defined(__powerpc64__)
#define PPC_BINUTILS(tool) tool
#else
#define PPC_BINUTILS(tool) "powerpc64-linux-gnu-" tool
#endif
#define OBJDUMP PPC_BINUTILS("objdump")

typedef char asm_line[64];

/* One word as objdump read it. */
struct ppc_dis {
	uint64_t addr;
	uint32_t word;
	asm_line text; /* "ld r31,-4008(0)": one space, RA = 0 as 0 */
};

/*
 * The disassembler's view of one line, "   4:\te8 e0 f0 58 \tld      r7,-4008(0)",
 * reduced to "ld r7,-4008(0)": one space after the mnemonic and a base
 * register of r0 written as 0, which is what RA = 0 means in a D-form.
 */
static inline bool ppc_parse_objdump_line(const char *line, struct ppc_dis *d)
{
	unsigned int b[4];
	unsigned long long addr;
	char mnem[32], ops[96];
	char *p;
	int n = 0;

	if (sscanf(line, " %llx: %2x %2x %2x %2x %n", &addr, &b[0], &b[1], &b[2], &b[3], &n) != 5 ||
	    n == 0)
		return false;
	d->addr = addr;
	d->word = (uint32_t)b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3];
	ops[0] = '\0';
	if (sscanf(line + n, "%31s %95s", mnem, ops) < 1)
		return false;
	p = strstr(ops, "(r0)");
	if (p)
		memmove(p + 1, p + 2, strlen(p + 2) + 1);
	/* Some binutils spell mtcrf 0xff out; ours says "mtcr". */
	if (strcmp(mnem, "mtcrf") == 0 && strncmp(ops, "255,", 4) == 0) {
		snprintf(mnem, sizeof(mnem), "mtcr");
		memmove(ops, ops + 4, strlen(ops + 4) + 1);
	}
	snprintf(d->text, sizeof(d->text), ops[0] ? "%s %s" : "%s", mnem, ops);
	return true;
}

/*
 * Disassemble @n words, stored big-endian as a guest's text would be, as
 * if at guest address @vma (so branch targets print as guest addresses)
 * into @out.  @raw: without extended mnemonics ("mfspr r3,1023", not
 * "mfpir r3", which gas would read as BookE's SPR 286).  False, with
 * @why, unless objdump printed exactly one line per word, at its address
 * and with its bytes.  Needs ppc_scratch_setup().
 */
static inline bool ppc_objdump(const uint32_t *words, size_t n, uint64_t vma, bool raw,
			       struct ppc_dis *out, char *why, size_t whylen)
{
	char bin[sizeof(ppc_tmpdir) + 32], cmd[sizeof(bin) + 200], line[256];
	size_t seen = 0;
	bool ok = true;
	FILE *f;

	if (n == 0) /* objdump fails on an empty file */
		return true;
	snprintf(bin, sizeof(bin), "%s", ppc_scratch_path("words.bin"));
	f = fopen(bin, "wb");
	if (!f) {
		snprintf(why, whylen, "cannot create %s", bin);
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char be[4] = { words[i] >> 24, words[i] >> 16, words[i] >> 8, words[i] };

		ok = ok && fwrite(be, 1, 4, f) == 4;
	}
	if (fclose(f) != 0 || !ok) {
		snprintf(why, whylen, "cannot write %s", bin);
		return false;
	}
	snprintf(cmd, sizeof(cmd),
		 OBJDUMP " -D -b binary -m powerpc:common64 -EB %s --adjust-vma=0x%llx '%s' "
			 "2>/dev/null",
		 raw ? "-M raw" : "", (unsigned long long)vma, bin);
	f = popen(cmd, "r");
	if (!f) {
		snprintf(why, whylen, "cannot run " OBJDUMP);
		return false;
	}
	while (fgets(line, sizeof(line), f)) {
		struct ppc_dis d;

		if (!ok || !ppc_parse_objdump_line(line, &d))
			continue;
		if (seen >= n || d.addr != vma + 4 * seen || d.word != words[seen]) {
			line[strcspn(line, "\n")] = '\0';
			snprintf(why, whylen, "line %zu is not word %zu: '%.100s'", seen, seen,
				 line);
			ok = false;
			continue;
		}
		out[seen++] = d;
	}
	if (pclose(f) != 0 && ok) {
		snprintf(why, whylen, OBJDUMP " failed");
		ok = false;
	}
	if (ok && seen != n) {
		snprintf(why, whylen, OBJDUMP " printed %zu instructions, want %zu", seen, n);
		ok = false;
	}
	return ok;
}

#endif
