/*
 * pvpatch: every check walks the class table (classes.def), so a new row
 * is tested without touching this file.  The expected rewrites are
 * encoded here from the Power ISA, not taken from pvx_rewrite(), and
 * cross-checked with a real disassembler when one is installed.
 */
#include <pvexit/pvpatch.h>
#include "unit.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#define NREGS 32u

struct cls_row {
	const char *name, *syntax;
	uint32_t match, mask;
	int kind, field, width;
	unsigned int families;
	unsigned long feature;
};

static const struct cls_row rows[] = {
#define PVX_CLASS(id, name, syntax, match, mask, kind, field, width, families, feature) \
	{ name, syntax, match, mask, kind, field, width, families, feature },
#include <pvexit/classes.def>
#undef PVX_CLASS
};

_Static_assert(sizeof(rows) / sizeof(rows[0]) == PVX_CLASS_COUNT, "rows out of step with ids");

/* Every family a guest can be built for, every optional field. */
#define ALL_FAMILIES (PVX_FAM_BOOK3S64 | PVX_FAM_BOOK3S32 | PVX_FAM_BOOKE)
#define ALL_FEATURES (PVX_MAGIC_FEAT_SR | PVX_MAGIC_FEAT_MAS0_TO_SPRG7)

static const struct pvx_patch_ctx ctx64 = { PVX_FAM_BOOK3S64, true, ALL_FEATURES };
static const struct pvx_patch_ctx ctx32 = { PVX_FAM_BOOK3S32, false, ALL_FEATURES };

/* Primary opcodes, Power ISA Book I.  ld and std are DS-form with the
 * extended opcode (low two bits) 0; lwz and stw are D-form. */
#define PO(n) ((uint32_t)(n) << 26)
#define ISA_LWZ PO(32)
#define ISA_STW PO(36)
#define ISA_LD PO(58)
#define ISA_STD PO(62)
#define ISA_NOP (PO(24) | 0) /* ori 0,0,0 */

static uint32_t insn_of(const struct cls_row *r, unsigned int reg)
{
	return r->match | (uint32_t)reg << 21;
}

/* ld/std: only a 64-bit guest, and only for an 8-byte field. */
static bool uses_ds_form(const struct cls_row *r, bool is64)
{
	return r->width == 8 && is64;
}

/* The magic page sits at EA -4096; a 32-bit guest reads the low word of
 * an 8-byte field, which big-endian layout puts 4 bytes further on. */
static long displacement(const struct cls_row *r, bool is64)
{
	return -4096L + r->field + (r->width == 8 && !is64 ? 4 : 0);
}

/*
 * The word that should replace class @r's instruction with register
 * @reg, from the instruction formats.  False if the kind has no
 * one-word rewrite.
 */
static bool expected_word(const struct cls_row *r, unsigned int reg, bool is64, uint32_t *out)
{
	uint32_t rt = (uint32_t)reg << 21;
	uint32_t d = (uint32_t)displacement(r, is64) & 0xffffu;
	bool ds = uses_ds_form(r, is64);

	/* Unmasked for DS-form too: a field that is not a multiple of 4
	 * cannot be reached by ld/std, and the low bits would then turn
	 * the word into ldu/lwa, which this check should show. */
	switch (r->kind) {
	case PVX_KIND_LOAD:
		*out = (ds ? ISA_LD : ISA_LWZ) | rt | d;
		return true;
	case PVX_KIND_STORE:
		*out = (ds ? ISA_STD : ISA_STW) | rt | d;
		return true;
	case PVX_KIND_NOP:
		*out = ISA_NOP;
		return true;
	default:
		return false;
	}
}

/* What a disassembler prints for that word, operands as "rN,D(0)". */
static bool expected_asm(const struct cls_row *r, unsigned int reg, bool is64, char *buf,
			 size_t len)
{
	bool ds = uses_ds_form(r, is64);

	switch (r->kind) {
	case PVX_KIND_LOAD:
		snprintf(buf, len, "%s r%u,%ld(0)", ds ? "ld" : "lwz", reg, displacement(r, is64));
		return true;
	case PVX_KIND_STORE:
		snprintf(buf, len, "%s r%u,%ld(0)", ds ? "std" : "stw", reg, displacement(r, is64));
		return true;
	case PVX_KIND_NOP:
		snprintf(buf, len, "nop");
		return true;
	default:
		return false;
	}
}

/* The class's syntax with its operand register named: "mfmsr r7". */
static void syntax_asm(const struct cls_row *r, unsigned int reg, char *buf, size_t len)
{
	size_t o = 0;

	for (const char *s = r->syntax; *s && o + 3 < len; s++) {
		if (s[0] == 'r' && (s[1] == 'T' || s[1] == 'S' || s[1] == 'B') &&
		    (s == r->syntax || s[-1] == ' ' || s[-1] == ',')) {
			o += (size_t)snprintf(buf + o, len - o, "r%u", reg);
			s++;
		} else {
			buf[o++] = *s;
		}
	}
	buf[o < len ? o : len - 1] = '\0';
}

static bool in_table(uint32_t insn)
{
	for (size_t i = 0; i < PVX_CLASS_COUNT; i++)
		if ((insn & rows[i].mask) == rows[i].match)
			return true;
	return false;
}

/* A guest the row is for, on a host offering every feature: the first
 * family it lists, 64-bit if that is Book3S-64. */
static struct pvx_patch_ctx own_ctx(const struct cls_row *r)
{
	struct pvx_patch_ctx ctx = { r->families & -r->families, false, ALL_FEATURES };

	ctx.is64 = ctx.family == PVX_FAM_BOOK3S64;
	return ctx;
}

/* Names for check lines; pvx_skip_names is under test. */
static const char *skip_label(int k)
{
	static const char *const labels[PVX_SKIP_COUNT] = {
		[PVX_SKIP_FAMILY] = "family",
		[PVX_SKIP_FEATURE] = "feature",
		[PVX_SKIP_UNSUPPORTED] = "unsupported",
	};

	return labels[k] ? labels[k] : "(new)";
}

static unsigned int sum_skipped(const struct pvx_patch_stats *st, int cls)
{
	unsigned int n = 0;

	for (int k = 0; k < PVX_SKIP_COUNT; k++)
		n += st->skipped[cls][k];
	return n;
}

/* The table itself: a rewrite it asks for must be encodable. */
static void test_table(void)
{
	char name[200];

	for (int c = 0; c < PVX_CLASS_COUNT; c++) {
		const struct cls_row *r = &rows[c];
		bool mem = r->kind == PVX_KIND_LOAD || r->kind == PVX_KIND_STORE;

		snprintf(name, sizeof(name),
			 "pvpatch: %s keeps the RT/RS field out of its mask and match", r->name);
		CHECK(name, (r->mask & (PVX_INSN_REG_MASK << PVX_INSN_RT_SHIFT)) == 0 &&
				    (r->match & ~r->mask) == 0);
		if (!mem)
			continue;
		snprintf(name, sizeof(name),
			 "pvpatch: %s's field lies in the magic page with an ld/lwz-able offset",
			 r->name);
		CHECK(name, r->field >= 0 && (r->width == 4 || r->width == 8) &&
				    r->field % r->width == 0 &&
				    r->field + r->width <= PVX_MP_STRUCT_SIZE);
	}
}

/* One check per class over all 32 registers; a failure names the first
 * wrong register. */
static void test_classify(void)
{
	char name[200], why[200];

	for (int c = 0; c < PVX_CLASS_COUNT; c++) {
		const struct cls_row *r = &rows[c];
		bool ok = true;

		snprintf(why, sizeof(why), "all %u registers", NREGS);
		for (unsigned int reg = 0; reg < NREGS && ok; reg++) {
			int cls = pvx_classify(insn_of(r, reg));

			if (cls != c) {
				snprintf(why, sizeof(why), "0x%08x (r%u) is class %d, want %d",
					 insn_of(r, reg), reg, cls, c);
				ok = false;
			}
		}
		snprintf(name, sizeof(name), "pvpatch: %s r0..r31 are classified as %s", r->name,
			 r->name);
		unit_check(ok, __FILE__, __LINE__, name, why);
	}
}

static void test_rewrite(const char *what, const struct pvx_patch_ctx *ctx)
{
	char name[200], why[200], form[64];

	for (int c = 0; c < PVX_CLASS_COUNT; c++) {
		const struct cls_row *r = &rows[c];
		uint32_t want, got;
		bool ok = true;

		if (!expected_word(r, 0, ctx->is64, &want)) {
			snprintf(name, sizeof(name), "pvpatch: %s (%s) is not a one-word rewrite",
				 r->name, what);
			CHECK_EQ_U64(name, pvx_rewrite(c, insn_of(r, 7), ctx), 0);
			continue;
		}
		snprintf(why, sizeof(why), "all %u registers", NREGS);
		for (unsigned int reg = 0; reg < NREGS && ok; reg++) {
			expected_word(r, reg, ctx->is64, &want);
			got = pvx_rewrite(c, insn_of(r, reg), ctx);
			if (got != want) {
				snprintf(why, sizeof(why), "r%u: 0x%08x, want 0x%08x", reg, got,
					 want);
				ok = false;
			}
		}
		expected_asm(r, 7, ctx->is64, form, sizeof(form));
		snprintf(name, sizeof(name), "pvpatch: %s r0..r31 (%s) become '%s' style words",
			 r->name, what, form);
		unit_check(ok, __FILE__, __LINE__, name, why);
	}
}

/*
 * What pvx_patch_range() should do with class @r's instruction for
 * register @reg: -1 and the new word in @word, or the PVX_SKIP_* reason
 * it is left alone.  Family first, then feature, then the kind.
 */
static int expected_patch(const struct cls_row *r, unsigned int reg,
			  const struct pvx_patch_ctx *ctx, uint32_t *word)
{
	*word = insn_of(r, reg);
	if (!(r->families & ctx->family))
		return PVX_SKIP_FAMILY;
	if (r->feature && !(r->feature & ctx->magic_features))
		return PVX_SKIP_FEATURE;
	if (!expected_word(r, reg, ctx->is64, word))
		return PVX_SKIP_UNSUPPORTED;
	return -1;
}

/* Patching a whole buffer of every class and register at once. */
static void test_patch_range(const char *what, const struct pvx_patch_ctx *ctx)
{
	uint32_t buf[PVX_CLASS_COUNT][NREGS];
	struct pvx_patch_stats st;
	char name[200], why[120];

	for (int c = 0; c < PVX_CLASS_COUNT; c++)
		for (unsigned int reg = 0; reg < NREGS; reg++)
			buf[c][reg] = insn_of(&rows[c], reg);
	memset(&st, 0, sizeof(st));
	pvx_patch_range(&buf[0][0], &buf[0][0] + PVX_CLASS_COUNT * NREGS, ctx, &st);

	for (int c = 0; c < PVX_CLASS_COUNT; c++) {
		const struct cls_row *r = &rows[c];
		unsigned int want_skipped[PVX_SKIP_COUNT] = { 0 }, want_patched = 0;
		bool ok = true;

		snprintf(why, sizeof(why), "all %u registers", NREGS);
		for (unsigned int reg = 0; reg < NREGS; reg++) {
			uint32_t want;
			int skip = expected_patch(r, reg, ctx, &want);

			if (skip < 0)
				want_patched++;
			else
				want_skipped[skip]++;
			if (ok && buf[c][reg] != want) {
				snprintf(why, sizeof(why), "r%u: 0x%08x, want 0x%08x", reg,
					 buf[c][reg], want);
				ok = false;
			}
		}
		snprintf(name, sizeof(name), "pvpatch: patching %s r0..r31 (%s) writes %s", r->name,
			 what, want_patched ? "the rewrites" : "nothing");
		unit_check(ok, __FILE__, __LINE__, name, why);
		snprintf(name, sizeof(name), "pvpatch: patching %s r0..r31 (%s): found", r->name,
			 what);
		CHECK_EQ_U64(name, st.found[c], NREGS);
		snprintf(name, sizeof(name), "pvpatch: patching %s r0..r31 (%s): patched", r->name,
			 what);
		CHECK_EQ_U64(name, st.patched[c], want_patched);
		for (int k = 0; k < PVX_SKIP_COUNT; k++) {
			snprintf(name, sizeof(name),
				 "pvpatch: patching %s r0..r31 (%s): skipped for reason %s",
				 r->name, what, skip_label(k));
			CHECK_EQ_U64(name, st.skipped[c][k], want_skipped[k]);
		}
	}
}

/*
 * The disassembler's view of one line, "   4:\te8 e0 f0 58 \tld      r7,-4008(0)",
 * reduced to "ld r7,-4008(0)": one space after the mnemonic and a base
 * register of r0 written as 0, which is what RA = 0 means in a D-form.
 */
static bool parse_objdump_line(const char *line, unsigned long *off, uint32_t *word, char *out,
			       size_t len)
{
	unsigned int b[4];
	char mnem[32], ops[96];
	char *p;
	int n = 0;

	if (sscanf(line, " %lx: %2x %2x %2x %2x %n", off, &b[0], &b[1], &b[2], &b[3], &n) != 5 ||
	    n == 0)
		return false;
	*word = (uint32_t)b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3];
	ops[0] = '\0';
	if (sscanf(line + n, "%31s %95s", mnem, ops) < 1)
		return false;
	p = strstr(ops, "(r0)");
	if (p)
		memmove(p + 1, p + 2, strlen(p + 2) + 1);
	snprintf(out, len, ops[0] ? "%s %s" : "%s", mnem, ops);
	return true;
}

#define OBJDUMP "powerpc64-linux-gnu-objdump"
#define GAS "powerpc64-linux-gnu-as"
#define OBJCOPY "powerpc64-linux-gnu-objcopy"

typedef char asm_line[64];

/* The binutils' scratch files live here, removed by main(). */
static char tmpdir[128];

static bool tmp_setup(void)
{
	const char *base = getenv("TMPDIR");

	snprintf(tmpdir, sizeof(tmpdir), "%s/pvexit-pvpatch.XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(tmpdir)) {
		tmpdir[0] = '\0';
		unit_skip("pvpatch: rewrites disassemble as intended",
			  "cannot create a scratch directory");
		return false;
	}
	return true;
}

static bool have_tool(const char *tool)
{
	char cmd[200];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", tool);
	return system(cmd) == 0;
}

static const char *tmpfile_path(const char *name)
{
	static char path[sizeof(tmpdir) + 32];

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	return path;
}

static void remove_tmpdir(void)
{
	static const char *const names[] = { "words.bin", "syntax.s", "syntax.o", "syntax.bin" };

	if (!tmpdir[0])
		return;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		unlink(tmpfile_path(names[i]));
	rmdir(tmpdir);
}

/*
 * Disassemble @n words, stored big-endian as a guest's text would be,
 * into @got.  False, with @why, unless objdump printed exactly one line
 * per word, at the right offset and with the right bytes.
 */
static bool objdump_read(const uint32_t *words, unsigned int n, asm_line *got, char *why,
			 size_t whylen)
{
	char cmd[sizeof(tmpdir) + 200], line[256];
	unsigned int seen = 0;
	bool ok = true;
	FILE *f;

	f = fopen(tmpfile_path("words.bin"), "wb");
	if (!f) {
		snprintf(why, whylen, "cannot create a scratch file in %s", tmpdir);
		return false;
	}
	for (unsigned int i = 0; i < n; i++) {
		unsigned char be[4] = { words[i] >> 24, words[i] >> 16, words[i] >> 8, words[i] };

		ok = ok && fwrite(be, 1, 4, f) == 4;
	}
	if (fclose(f) != 0 || !ok) {
		snprintf(why, whylen, "cannot write a scratch file in %s", tmpdir);
		return false;
	}
	snprintf(cmd, sizeof(cmd), OBJDUMP " -D -b binary -m powerpc:common64 -EB '%s' 2>/dev/null",
		 tmpfile_path("words.bin"));
	f = popen(cmd, "r");
	if (!f) {
		snprintf(why, whylen, "cannot run " OBJDUMP);
		return false;
	}
	while (fgets(line, sizeof(line), f)) {
		unsigned long off;
		uint32_t word;
		asm_line text;

		if (!parse_objdump_line(line, &off, &word, text, sizeof(text)) || !ok)
			continue;
		if (seen >= n || off != 4ul * seen || word != words[seen]) {
			line[strcspn(line, "\n")] = '\0';
			snprintf(why, whylen, "line %u is not word %u: '%s'", seen, seen, line);
			ok = false;
			continue;
		}
		memcpy(got[seen], text, sizeof(text));
		seen++;
	}
	if (pclose(f) != 0 && ok) {
		snprintf(why, whylen, OBJDUMP " failed");
		ok = false;
	}
	if (ok && seen != n) {
		snprintf(why, whylen, OBJDUMP " printed %u instructions, want %u", seen, n);
		ok = false;
	}
	return ok;
}

/* Assemble @n lines with gas into big-endian words. */
static bool gas_assemble(const asm_line *src, unsigned int n, uint32_t *out, char *why,
			 size_t whylen)
{
	char cmd[8 * sizeof(tmpdir) + 200], o[sizeof(tmpdir) + 32], bin[sizeof(tmpdir) + 32];
	unsigned char be[4];
	unsigned int i;
	FILE *f;
	bool ok = true;

	f = fopen(tmpfile_path("syntax.s"), "w");
	if (!f) {
		snprintf(why, whylen, "cannot create a scratch file in %s", tmpdir);
		return false;
	}
	for (i = 0; i < n; i++)
		ok = ok && fprintf(f, "\t%s\n", src[i]) > 0;
	if (fclose(f) != 0 || !ok) {
		snprintf(why, whylen, "cannot write a scratch file in %s", tmpdir);
		return false;
	}
	snprintf(o, sizeof(o), "%s", tmpfile_path("syntax.o"));
	snprintf(bin, sizeof(bin), "%s", tmpfile_path("syntax.bin"));
	/* -many: BookE and server mnemonics alike; -mregnames: "r7". */
	snprintf(cmd, sizeof(cmd),
		 GAS " -mbig -many -mregnames -o '%s' '%s' >/dev/null 2>&1 && " OBJCOPY
		     " -O binary -j .text '%s' '%s' 2>/dev/null",
		 o, tmpfile_path("syntax.s"), o, bin);
	if (system(cmd) != 0) {
		snprintf(why, whylen, GAS " rejects '%s' ...", src[0]);
		return false;
	}
	f = fopen(bin, "rb");
	if (!f) {
		snprintf(why, whylen, "no %s", bin);
		return false;
	}
	for (i = 0; i < n && fread(be, 1, 4, f) == 4; i++)
		out[i] = (uint32_t)be[0] << 24 | (uint32_t)be[1] << 16 | (uint32_t)be[2] << 8 |
			 be[3];
	ok = i == n && fgetc(f) == EOF;
	fclose(f);
	if (!ok)
		snprintf(why, whylen, GAS " made other than %u words", n);
	return ok;
}

/* Line by line, naming the first difference in @why. */
static bool same_text(const asm_line *got, const asm_line *want, const uint32_t *words,
		      unsigned int n, char *why, size_t whylen)
{
	for (unsigned int i = 0; i < n; i++) {
		if (strcmp(got[i], want[i]) != 0) {
			snprintf(why, whylen, "0x%08x is '%s', want '%s'", words[i], got[i],
				 want[i]);
			return false;
		}
	}
	return true;
}

static bool same_words(const uint32_t *got, const uint32_t *want, const asm_line *src,
		       unsigned int n, char *why, size_t whylen)
{
	for (unsigned int i = 0; i < n; i++) {
		if (got[i] != want[i]) {
			snprintf(why, whylen, "'%s' is 0x%08x, want 0x%08x", src[i], got[i],
				 want[i]);
			return false;
		}
	}
	return true;
}

/*
 * The table's syntax against binutils: gas must assemble it to the
 * match, and objdump must print it back.  objdump has its own spelling
 * for some instructions ("mfsprg r3,0" for "mfsprg0 r3"), so where the
 * texts differ, objdump's text must assemble to the same word.
 */
static void test_binutils_syntax(const struct cls_row *r, bool gas)
{
	uint32_t words[NREGS], back[NREGS];
	asm_line want[NREGS], got[NREGS];
	char form[64], why[300], name[300];
	bool gas_ok = false, ok;

	for (unsigned int reg = 0; reg < NREGS; reg++) {
		words[reg] = insn_of(r, reg);
		syntax_asm(r, reg, want[reg], sizeof(want[reg]));
	}
	syntax_asm(r, 7, form, sizeof(form));

	snprintf(name, sizeof(name), "pvpatch: gas assembles '%s' to %s's match for r0..r31",
		 r->syntax, r->name);
	if (gas) {
		gas_ok = gas_assemble(want, NREGS, back, why, sizeof(why)) &&
			 same_words(back, words, want, NREGS, why, sizeof(why));
		unit_check(gas_ok, __FILE__, __LINE__, name, why);
	} else {
		unit_skip(name, GAS " or " OBJCOPY " is not installed");
	}

	snprintf(name, sizeof(name), "pvpatch: objdump reads %s r0..r31 as '%s' (or an alias)",
		 r->name, form);
	ok = objdump_read(words, NREGS, got, why, sizeof(why));
	if (ok && !same_text(got, want, words, NREGS, why, sizeof(why))) {
		char alias[400];

		snprintf(alias, sizeof(alias),
			 "%s, and gas does not assemble that to the same word", why);
		ok = gas_ok && gas_assemble(got, NREGS, back, why, sizeof(why)) &&
		     same_words(back, words, got, NREGS, why, sizeof(why));
		if (!ok && !gas_ok)
			snprintf(why, sizeof(why), "%.250s", alias);
	}
	unit_check(ok, __FILE__, __LINE__, name, why);
}

static void test_objdump(void)
{
	uint32_t words[NREGS];
	asm_line want[NREGS], got[NREGS];
	char form[64], why[300], name[200];
	bool gas;

	if (!have_tool(OBJDUMP)) {
		unit_skip("pvpatch: rewrites disassemble as intended", OBJDUMP " is not installed");
		return;
	}
	gas = have_tool(GAS) && have_tool(OBJCOPY);
	for (int c = 0; c < PVX_CLASS_COUNT; c++) {
		const struct cls_row *r = &rows[c];

		test_binutils_syntax(r, gas);
		for (int is64 = 1; is64 >= 0; is64--) {
			const struct pvx_patch_ctx *ctx = is64 ? &ctx64 : &ctx32;
			bool ok;

			if (!expected_asm(r, 7, is64, form, sizeof(form)))
				continue;
			snprintf(name, sizeof(name),
				 "pvpatch: objdump reads patched %s r0..r31 (%s) as '%s'", r->name,
				 is64 ? "64-bit" : "32-bit", form);
			for (unsigned int reg = 0; reg < NREGS; reg++) {
				words[reg] = pvx_rewrite(c, insn_of(r, reg), ctx);
				expected_asm(r, reg, is64, want[reg], sizeof(want[reg]));
			}
			ok = objdump_read(words, NREGS, got, why, sizeof(why)) &&
			     same_text(got, want, words, NREGS, why, sizeof(why));
			unit_check(ok, __FILE__, __LINE__, name, why);
		}
	}
}

/*
 * Words no row matches must come through untouched.  Besides ordinary
 * instructions, every class contributes near misses: its match with one
 * masked bit flipped (Rc set, RA or RB non-zero, another opcode ...).
 */
static void test_non_matching(void)
{
	static const uint32_t assorted[] = {
		0x7c000124, /* mtmsr r0 */
		0x7c7042a6, /* mfspr r3,SPRG0 */
		0x60000000, /* nop */
		0x7c642a14, /* add r3,r4,r5 */
		0x48000000, /* b . */
		0x4e800020, /* blr */
		0xe8610008, /* ld r3,8(r1) */
		0xf8610008, /* std r3,8(r1) */
		0x7c0000a7, /* mfmsr with the reserved low bit set */
		0x7c0100a6, /* mfmsr with RA = 1 */
		0x7c0008a6, /* mfmsr with RB = 1 */
		0x44000002, /* sc */
		0x00000000, 0xffffffff,
	};
	uint32_t buf[sizeof(assorted) / sizeof(assorted[0]) + PVX_CLASS_COUNT * 32];
	uint32_t before[sizeof(buf) / sizeof(buf[0])];
	struct pvx_patch_stats st;
	unsigned int n = 0, classified = 0, found = 0;
	char why[120] = "";

	for (size_t i = 0; i < sizeof(assorted) / sizeof(assorted[0]); i++)
		if (!in_table(assorted[i]))
			buf[n++] = assorted[i];
	for (int c = 0; c < PVX_CLASS_COUNT; c++)
		for (unsigned int bit = 0; bit < 32; bit++)
			if ((rows[c].mask >> bit & 1) && !in_table(rows[c].match ^ 1u << bit))
				buf[n++] = rows[c].match ^ 1u << bit;

	CHECK("pvpatch: the non-matching set is not empty", n >= 8);
	for (unsigned int i = 0; i < n; i++)
		if (pvx_classify(buf[i]) >= 0 && !classified++)
			snprintf(why, sizeof(why), "0x%08x is class %d", buf[i],
				 pvx_classify(buf[i]));
	unit_check(classified == 0, __FILE__, __LINE__,
		   "pvpatch: words outside the table are classified as none", why);

	memcpy(before, buf, sizeof(before));
	memset(&st, 0, sizeof(st));
	pvx_patch_range(buf, buf + n, &ctx64, &st);
	CHECK("pvpatch: words outside the table are left byte for byte",
	      memcmp(before, buf, n * sizeof(buf[0])) == 0);
	for (int c = 0; c < PVX_CLASS_COUNT; c++)
		found += st.found[c] + st.patched[c] + sum_skipped(&st, c);
	CHECK_EQ_U64("pvpatch: words outside the table: stats stay zero", found, 0);
}

/* [start, end) is half open: the neighbours on either side stay. */
static void test_range_bounds(void)
{
	for (int c = 0; c < PVX_CLASS_COUNT; c++) {
		uint32_t w = insn_of(&rows[c], 5), buf[3] = { w, w, w };
		struct pvx_patch_stats st;
		char name[200];

		memset(&st, 0, sizeof(st));
		pvx_patch_range(buf + 1, buf + 1, &ctx64, &st);
		snprintf(name, sizeof(name), "pvpatch: an empty range leaves %s alone",
			 rows[c].name);
		CHECK(name, buf[0] == w && buf[1] == w && buf[2] == w && st.found[c] == 0);
		pvx_patch_range(buf + 1, buf + 2, &ctx64, &st);
		snprintf(name, sizeof(name), "pvpatch: %s just outside [start, end) is left alone",
			 rows[c].name);
		CHECK(name, buf[0] == w && buf[2] == w && st.found[c] == 1);
	}
}

/* Sites skipped the first time are found again; nothing else is. */
static void test_twice(const char *what, const struct pvx_patch_ctx *ctx)
{
	uint32_t buf[PVX_CLASS_COUNT * NREGS], once[PVX_CLASS_COUNT * NREGS];
	struct pvx_patch_stats st;
	unsigned int skipped = 0, found = 0, patched = 0;
	char name[200];

	for (int c = 0; c < PVX_CLASS_COUNT; c++)
		for (unsigned int reg = 0; reg < NREGS; reg++)
			buf[c * NREGS + reg] = insn_of(&rows[c], reg);
	memset(&st, 0, sizeof(st));
	pvx_patch_range(buf, buf + PVX_CLASS_COUNT * NREGS, ctx, &st);
	for (int c = 0; c < PVX_CLASS_COUNT; c++)
		skipped += sum_skipped(&st, c);
	memcpy(once, buf, sizeof(once));
	memset(&st, 0, sizeof(st));
	pvx_patch_range(buf, buf + PVX_CLASS_COUNT * NREGS, ctx, &st);
	for (int c = 0; c < PVX_CLASS_COUNT; c++) {
		found += st.found[c];
		patched += st.patched[c];
	}
	snprintf(name, sizeof(name), "pvpatch: patching twice (%s) changes nothing", what);
	CHECK(name, memcmp(buf, once, sizeof(buf)) == 0);
	snprintf(name, sizeof(name),
		 "pvpatch: patching twice (%s) finds only the sites skipped the first time", what);
	CHECK_EQ_U64(name, found, skipped);
	snprintf(name, sizeof(name), "pvpatch: patching twice (%s) patches nothing the second time",
		 what);
	CHECK_EQ_U64(name, patched, 0);
}

/* The stats' books balance for every class. */
static void check_balance(const char *what, const struct pvx_patch_stats *st, int c)
{
	char name[200];

	snprintf(name, sizeof(name), "pvpatch: %s %s: found = patched + skipped", what,
		 rows[c].name);
	CHECK_EQ_U64(name, st->found[c], st->patched[c] + sum_skipped(st, c));
}

/* Families other than the row's: none, an unknown bit, and each known
 * family the row leaves out. */
static void test_family(void)
{
	for (int c = 0; c < PVX_CLASS_COUNT; c++) {
		const struct cls_row *r = &rows[c];
		unsigned int others[8], nothers = 0;
		uint32_t buf[NREGS], before[NREGS];
		struct pvx_patch_stats st;
		char name[200];
		uint32_t want;
		struct pvx_patch_ctx own = own_ctx(r), none = { 0, true, ALL_FEATURES };

		others[nothers++] = 0;
		others[nothers++] = 1u << 31;
		for (unsigned int f = 1; f & ALL_FAMILIES; f <<= 1)
			if (!(r->families & f))
				others[nothers++] = f;

		for (unsigned int i = 0; i < nothers; i++) {
			struct pvx_patch_ctx ctx = { others[i], true, ALL_FEATURES };

			for (unsigned int reg = 0; reg < NREGS; reg++)
				buf[reg] = insn_of(r, reg);
			memcpy(before, buf, sizeof(buf));
			memset(&st, 0, sizeof(st));
			pvx_patch_range(buf, buf + NREGS, &ctx, &st);
			snprintf(name, sizeof(name),
				 "pvpatch: %s for family 0x%x is left unchanged", r->name,
				 others[i]);
			CHECK(name, memcmp(buf, before, sizeof(buf)) == 0);
			snprintf(name, sizeof(name),
				 "pvpatch: %s for family 0x%x is skipped for its family", r->name,
				 others[i]);
			CHECK_EQ_U64(name, st.skipped[c][PVX_SKIP_FAMILY], NREGS);
			snprintf(name, sizeof(name), "pvpatch: %s for family 0x%x: none patched",
				 r->name, others[i]);
			CHECK_EQ_U64(name, st.patched[c], 0);
		}

		/* Each listed family on its own is enough; the 32-bit
		 * encoding is picked by is64, not by the family. */
		for (unsigned int f = 1; f & ALL_FAMILIES; f <<= 1) {
			struct pvx_patch_ctx ctx = { f, f == PVX_FAM_BOOK3S64, ALL_FEATURES };

			if (!(r->families & f) || !expected_word(r, 3, ctx.is64, &want))
				continue;
			buf[0] = insn_of(r, 3);
			memset(&st, 0, sizeof(st));
			pvx_patch_range(buf, buf + 1, &ctx, &st);
			snprintf(name, sizeof(name),
				 "pvpatch: %s r3 for family 0x%x alone is patched", r->name, f);
			CHECK_EQ_U64(name, buf[0], want);
		}

		/* Two calls into one stats block: one patches, one skips. */
		memset(&st, 0, sizeof(st));
		for (unsigned int reg = 0; reg < NREGS; reg++)
			buf[reg] = insn_of(r, reg);
		pvx_patch_range(buf, buf + NREGS, &own, &st);
		for (unsigned int reg = 0; reg < NREGS; reg++)
			buf[reg] = insn_of(r, reg);
		pvx_patch_range(buf, buf + NREGS, &none, &st);
		snprintf(name, sizeof(name), "pvpatch: stats accumulate over two calls: %s found",
			 r->name);
		CHECK_EQ_U64(name, st.found[c], 2 * NREGS);
		snprintf(name, sizeof(name),
			 "pvpatch: stats accumulate over two calls: %s skipped for family",
			 r->name);
		CHECK_EQ_U64(name, st.skipped[c][PVX_SKIP_FAMILY], NREGS);
		check_balance("two calls,", &st, c);
	}
}

static void test_feature(void)
{
	unsigned int with_feature = 0;

	for (int c = 0; c < PVX_CLASS_COUNT; c++) {
		const struct cls_row *r = &rows[c];
		struct pvx_patch_ctx ctx = own_ctx(r);
		struct pvx_patch_stats st;
		uint32_t buf[1], want;
		char name[200];

		if (!r->feature) {
			/* Needing nothing, it patches on a host that offers
			 * nothing. */
			ctx.magic_features = 0;
			buf[0] = insn_of(r, 4);
			memset(&st, 0, sizeof(st));
			pvx_patch_range(buf, buf + 1, &ctx, &st);
			if (!expected_word(r, 4, ctx.is64, &want))
				continue;
			snprintf(name, sizeof(name),
				 "pvpatch: %s is patched with no magic-page features", r->name);
			CHECK_EQ_U64(name, buf[0], want);
			continue;
		}
		with_feature++;
		ctx.magic_features = ALL_FEATURES & ~r->feature;
		buf[0] = insn_of(r, 4);
		memset(&st, 0, sizeof(st));
		pvx_patch_range(buf, buf + 1, &ctx, &st);
		snprintf(name, sizeof(name),
			 "pvpatch: %s without its magic-page feature is left unchanged", r->name);
		CHECK_EQ_U64(name, buf[0], insn_of(r, 4));
		snprintf(name, sizeof(name),
			 "pvpatch: %s without its magic-page feature is skipped for it", r->name);
		CHECK_EQ_U64(name, st.skipped[c][PVX_SKIP_FEATURE], 1);
		check_balance("missing feature,", &st, c);

		ctx.magic_features = r->feature;
		memset(&st, 0, sizeof(st));
		pvx_patch_range(buf, buf + 1, &ctx, &st);
		snprintf(name, sizeof(name),
			 "pvpatch: %s with just its magic-page feature is not skipped for it",
			 r->name);
		CHECK_EQ_U64(name, st.skipped[c][PVX_SKIP_FEATURE], 0);
	}
	if (!with_feature)
		unit_skip("pvpatch: a class is skipped when the host lacks its feature",
			  "no class in the table needs a magic-page feature yet");
}

static void test_skip_names(void)
{
	char name[200];

	for (int k = 0; k < PVX_SKIP_COUNT; k++) {
		snprintf(name, sizeof(name), "pvpatch: skip reason %d has a name", k);
		CHECK(name, pvx_skip_names[k] && pvx_skip_names[k][0] != '\0');
		for (int j = 0; j < k; j++) {
			snprintf(name, sizeof(name), "pvpatch: skip reasons %d and %d differ", j,
				 k);
			CHECK(name, !pvx_skip_names[j] || !pvx_skip_names[k] ||
					    strcmp(pvx_skip_names[j], pvx_skip_names[k]) != 0);
		}
	}
}

int main(void)
{
	test_table();
	test_classify();
	test_rewrite("64-bit", &ctx64);
	test_rewrite("32-bit", &ctx32);
	test_patch_range("64-bit", &ctx64);
	test_patch_range("32-bit", &ctx32);
	if (tmp_setup())
		test_objdump();
	test_non_matching();
	test_range_bounds();
	test_twice("64-bit", &ctx64);
	test_twice("32-bit", &ctx32);
	test_family();
	test_feature();
	test_skip_names();
	remove_tmpdir();
	return unit_done();
}
