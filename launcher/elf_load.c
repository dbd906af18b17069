// SPDX-License-Identifier: GPL-2.0-only
/*
 * Loading a payload ELF into guest RAM.
 *
 * libelf reads the headers and hands them over in host byte order,
 * whatever the file's.  It is a reader, not a loader, so it is lenient
 * where a loader must not be: a program header table cut off by the
 * file's end just has fewer entries, and p_offset, p_filesz, p_memsz
 * and e_phentsize are never looked at.  Those checks stay here.  The
 * e_ident bytes are checked before libelf sees the file, because it
 * calls a bad class, byte order or version merely "not ELF" and a
 * refusal must say which.  Everything is checked before the first byte
 * reaches guest RAM, so a refused image leaves RAM as it was.
 */
#include "elf_load.h"
#include "util.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct seg {
	unsigned int index; /* in the program header table, for messages */
	uint32_t flags;
	uint64_t offset;
	uint64_t vaddr;
	uint64_t filesz;
	uint64_t memsz;
};

/* "64 MiB" reads better than 0x4000000 when RAM is a round size. */
static void fmt_size(char *out, size_t len, uint64_t n)
{
	if (n && n % (1ULL << 30) == 0)
		snprintf(out, len, "%" PRIu64 " GiB", n >> 30);
	else if (n && n % (1ULL << 20) == 0)
		snprintf(out, len, "%" PRIu64 " MiB", n >> 20);
	else if (n && n % (1ULL << 10) == 0)
		snprintf(out, len, "%" PRIu64 " KiB", n >> 10);
	else
		snprintf(out, len, "%" PRIu64 " bytes", n);
}

static const char *machine_name(unsigned int m)
{
	switch (m) {
	case EM_NONE:
		return " (none)";
	case EM_SPARC:
		return " (SPARC)";
	case EM_386:
		return " (i386)";
	case EM_MIPS:
		return " (MIPS)";
	case EM_PPC:
		return " (32-bit PowerPC)";
	case EM_PPC64:
		return " (64-bit PowerPC)";
	case EM_S390:
		return " (s390)";
	case EM_ARM:
		return " (ARM)";
	case EM_X86_64:
		return " (x86-64)";
	case EM_AARCH64:
		return " (AArch64)";
	case EM_RISCV:
		return " (RISC-V)";
	default:
		return "";
	}
}

static const char *type_name(unsigned int t)
{
	switch (t) {
	case ET_NONE:
		return " (ET_NONE)";
	case ET_REL:
		return " (ET_REL)";
	case ET_DYN:
		return " (ET_DYN)";
	case ET_CORE:
		return " (ET_CORE)";
	default:
		return "";
	}
}

static int by_vaddr(const void *a, const void *b)
{
	const struct seg *x = a, *y = b;

	if (x->vaddr != y->vaddr)
		return x->vaddr < y->vaddr ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* The one line for a libelf call that failed although the checks
 * before it passed: libelf's own words are all there is to say. */
static void libelf_fail(const char *call, char *err, size_t errlen)
{
	pvx_set_err(err, errlen, "libelf: %s failed: %s", call, elf_errmsg(elf_errno()));
}

/* Checks e_ident and the file's size against the header it announces.
 * A payload is ELFCLASS64 for EM_PPC64, or ELFCLASS32 for EM_PPC. */
static int check_ident(const uint8_t *f, size_t size, char *err, size_t errlen)
{
	size_t ehsize;
	bool is64;

	if (size < EI_NIDENT || memcmp(f, ELFMAG, SELFMAG) != 0) {
		if (size < sizeof(Elf32_Ehdr)) {
			pvx_set_err(err, errlen,
				    "file is %zu bytes, shorter than the %zu-byte ELF header", size,
				    sizeof(Elf32_Ehdr));
			return -1;
		}
		pvx_set_err(
			err, errlen,
			"not an ELF file: magic is %02x %02x %02x %02x, not 7f 45 4c 46 (\"\\177ELF\")",
			f[0], f[1], f[2], f[3]);
		return -1;
	}
	if (f[EI_CLASS] != ELFCLASS64 && f[EI_CLASS] != ELFCLASS32) {
		pvx_set_err(err, errlen, "EI_CLASS is %u, not 1 (ELFCLASS32) or 2 (ELFCLASS64)",
			    f[EI_CLASS]);
		return -1;
	}
	/* libelf is never handed a buffer shorter than the header it will
	 * read out of it. */
	is64 = f[EI_CLASS] == ELFCLASS64;
	ehsize = is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
	if (size < ehsize) {
		pvx_set_err(err, errlen,
			    "file is %zu bytes, shorter than the %zu-byte ELF%d header", size,
			    ehsize, is64 ? 64 : 32);
		return -1;
	}
	if (f[EI_DATA] != ELFDATA2MSB && f[EI_DATA] != ELFDATA2LSB) {
		pvx_set_err(err, errlen, "EI_DATA is %u, not 1 (ELFDATA2LSB) or 2 (ELFDATA2MSB)",
			    f[EI_DATA]);
		return -1;
	}
	/* Nothing here reads EI_VERSION, but libelf takes a file of another
	 * version for no ELF at all. */
	if (f[EI_VERSION] != EV_CURRENT) {
		pvx_set_err(err, errlen, "EI_VERSION is %u, not 1 (EV_CURRENT)", f[EI_VERSION]);
		return -1;
	}
	return 0;
}

/* Checks the ELF header's fields, which libelf has put in host order. */
static int check_ehdr(const GElf_Ehdr *eh, bool is64, size_t size, char *err, size_t errlen)
{
	unsigned int want = is64 ? EM_PPC64 : EM_PPC;
	size_t phent = is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);

	if (eh->e_machine != want) {
		pvx_set_err(err, errlen, "e_machine is %u%s, not %u (%s) for an ELF%d file",
			    eh->e_machine, machine_name(eh->e_machine), want,
			    is64 ? "EM_PPC64" : "EM_PPC", is64 ? 64 : 32);
		return -1;
	}
	if (eh->e_type != ET_EXEC) {
		pvx_set_err(err, errlen, "e_type is %u%s, not 2 (ET_EXEC)", eh->e_type,
			    type_name(eh->e_type));
		return -1;
	}
	/* Checked before the table's extent, which is computed from it:
	 * libelf takes the entries to be sizeof(Elf*_Phdr) apart regardless. */
	if (eh->e_phentsize != phent) {
		pvx_set_err(err, errlen, "e_phentsize is %u, not %zu", eh->e_phentsize, phent);
		return -1;
	}
	/* The count is the header's own: elf_getphdrnum() quietly shortens
	 * a table cut off by the file's end to the entries that are there.
	 * e_phnum is 16 bits, so the table's length cannot overflow; only
	 * the offset can be anything. */
	if (eh->e_phoff > size || (uint64_t)eh->e_phnum * phent > size - eh->e_phoff) {
		pvx_set_err(err, errlen,
			    "program header table (offset 0x%" PRIx64
			    ", %u entries) lies outside the %zu-byte file",
			    (uint64_t)eh->e_phoff, eh->e_phnum, size);
		return -1;
	}
	/* libelf takes offset 0 to mean "no table"; there, the entries
	 * would be the ELF header's own bytes anyway. */
	if (eh->e_phoff == 0 && eh->e_phnum) {
		pvx_set_err(err, errlen,
			    "program header table (offset 0x0, %u entries) overlaps the ELF header",
			    eh->e_phnum);
		return -1;
	}
	/* With PN_XNUM the real count is in section 0, where libelf finds it
	 * or not depending on the byte order and its version; no payload has
	 * 65535 program headers. */
	if (eh->e_phnum == PN_XNUM) {
		pvx_set_err(
			err, errlen,
			"e_phnum is 65535 (PN_XNUM): extended program header numbering is not supported");
		return -1;
	}
	return 0;
}

/* Checks one PT_LOAD segment on its own: its file bytes and its place in RAM. */
static int check_seg(const struct seg *s, size_t size, uint64_t ram_size, char *err, size_t errlen)
{
	uint64_t end;
	char ram[32];

	/* A segment with no file bytes reads nothing, wherever p_offset points. */
	if (s->filesz && (s->offset > size || s->filesz > size - s->offset)) {
		pvx_set_err(err, errlen,
			    "segment %u (offset 0x%" PRIx64 ", filesz 0x%" PRIx64
			    ") lies outside the %zu-byte file",
			    s->index, s->offset, s->filesz, size);
		return -1;
	}
	if (s->filesz > s->memsz) {
		pvx_set_err(err, errlen,
			    "segment %u has p_filesz 0x%" PRIx64 " larger than p_memsz 0x%" PRIx64,
			    s->index, s->filesz, s->memsz);
		return -1;
	}
	if (__builtin_add_overflow(s->vaddr, s->memsz, &end)) {
		pvx_set_err(err, errlen,
			    "segment %u (vaddr 0x%" PRIx64 ", memsz 0x%" PRIx64
			    ") wraps past the end of the 64-bit address space",
			    s->index, s->vaddr, s->memsz);
		return -1;
	}
	if (end > ram_size) {
		fmt_size(ram, sizeof(ram), ram_size);
		pvx_set_err(err, errlen,
			    "segment %u (vaddr 0x%" PRIx64 ", memsz 0x%" PRIx64
			    ") does not fit in %s of guest RAM",
			    s->index, s->vaddr, s->memsz, ram);
		return -1;
	}
	return 0;
}

/* Checks the loadable segments against each other and the entry point. */
static int check_layout(struct seg *segs, unsigned int nload, unsigned int phnum, uint64_t entry,
			char *err, size_t errlen)
{
	const struct seg *holder = NULL;

	if (nload == 0) {
		pvx_set_err(err, errlen, "no PT_LOAD segment among the %u program headers", phnum);
		return -1;
	}

	/* Sorted by start, any overlap shows up between neighbours; empty
	 * segments occupy nothing and are stepped over. */
	qsort(segs, nload, sizeof(*segs), by_vaddr);
	for (unsigned int i = 0, prev = nload; i < nload; i++) {
		const struct seg *a, *b;

		if (!segs[i].memsz)
			continue;
		if (prev < nload && segs[prev].vaddr + segs[prev].memsz > segs[i].vaddr) {
			a = segs[prev].index < segs[i].index ? &segs[prev] : &segs[i];
			b = a == &segs[i] ? &segs[prev] : &segs[i];
			pvx_set_err(err, errlen,
				    "segments %u (vaddr 0x%" PRIx64 ", memsz 0x%" PRIx64
				    ") and %u (vaddr 0x%" PRIx64 ", memsz 0x%" PRIx64 ") overlap",
				    a->index, a->vaddr, a->memsz, b->index, b->vaddr, b->memsz);
			return -1;
		}
		/* The later start's segment ends last too, or it would overlap. */
		prev = i;
	}

	for (unsigned int i = 0; i < nload; i++) {
		if (entry < segs[i].vaddr || entry - segs[i].vaddr >= segs[i].memsz)
			continue;
		if (segs[i].flags & PF_X)
			return 0;
		holder = &segs[i];
	}
	if (holder)
		pvx_set_err(err, errlen,
			    "entry point 0x%" PRIx64
			    " lies in segment %u, which is not executable (no PF_X)",
			    entry, holder->index);
	else
		pvx_set_err(err, errlen,
			    "entry point 0x%" PRIx64 " is outside every executable (PF_X) segment",
			    entry);
	return -1;
}

/* Reads the program headers into @segs, PT_LOAD ones only, each
 * checked on its own; *nload says how many. */
static int read_segs(Elf *e, unsigned int phnum, struct seg *segs, unsigned int *nload, size_t size,
		     uint64_t ram_size, char *err, size_t errlen)
{
	*nload = 0;
	for (unsigned int i = 0; i < phnum; i++) {
		struct seg *s = &segs[*nload];
		GElf_Phdr ph;

		if (!gelf_getphdr(e, (int)i, &ph)) {
			libelf_fail("gelf_getphdr", err, errlen);
			return -1;
		}
		if (ph.p_type != PT_LOAD)
			continue;
		s->index = i;
		s->flags = ph.p_flags;
		s->offset = ph.p_offset;
		s->vaddr = ph.p_vaddr;
		s->filesz = ph.p_filesz;
		s->memsz = ph.p_memsz;
		if (check_seg(s, size, ram_size, err, errlen))
			return -1;
		(*nload)++;
	}
	return 0;
}

int elf_load(const void *file, size_t size, void *ram, uint64_t ram_size, struct guest_image *img,
	     char *err, size_t errlen)
{
	const uint8_t *f = file;
	uint8_t *mem = ram;
	struct seg *segs = NULL;
	unsigned int phnum = 0, nload;
	uint64_t low = UINT64_MAX, high = 0;
	GElf_Ehdr eh;
	size_t n;
	bool is64;
	Elf *e;
	int ret = -1;

	if (check_ident(f, size, err, errlen))
		return -1;
	if (elf_version(EV_CURRENT) == EV_NONE) {
		libelf_fail("elf_version", err, errlen);
		return -1;
	}
	/* An image opened with elf_memory() is only read; the cast is for
	 * an interface that also serves writers. */
	e = elf_memory((char *)f, size);
	if (!e) {
		libelf_fail("elf_memory", err, errlen);
		return -1;
	}
	if (elf_kind(e) != ELF_K_ELF) {
		pvx_set_err(err, errlen, "libelf does not take the file for an ELF object");
		goto out;
	}
	if (!gelf_getehdr(e, &eh)) {
		libelf_fail("gelf_getehdr", err, errlen);
		goto out;
	}
	is64 = gelf_getclass(e) == ELFCLASS64;
	if (check_ehdr(&eh, is64, size, err, errlen))
		goto out;

	/* libelf refuses the offset of an empty table when it lies at the
	 * file's end; no table is no table wherever it is said to be. */
	if (eh.e_phnum) {
		if (elf_getphdrnum(e, &n)) {
			libelf_fail("elf_getphdrnum", err, errlen);
			goto out;
		}
		if (n != eh.e_phnum) {
			pvx_set_err(err, errlen,
				    "libelf counts %zu program headers, e_phnum says %u", n,
				    eh.e_phnum);
			goto out;
		}
		phnum = (unsigned int)n;
	}

	segs = calloc(phnum ? phnum : 1, sizeof(*segs));
	if (!segs) {
		pvx_set_err(err, errlen, "out of memory for %u program headers", phnum);
		goto out;
	}
	if (read_segs(e, phnum, segs, &nload, size, ram_size, err, errlen))
		goto out;
	if (check_layout(segs, nload, phnum, eh.e_entry, err, errlen))
		goto out;

	for (unsigned int i = 0; i < nload; i++) {
		const struct seg *s = &segs[i];

		if (!s->memsz)
			continue;
		/* p_offset of an empty segment may point anywhere, even past the file. */
		if (s->filesz)
			memcpy(mem + s->vaddr, f + s->offset, s->filesz);
		memset(mem + s->vaddr + s->filesz, 0, s->memsz - s->filesz);
		if (s->vaddr < low)
			low = s->vaddr;
		if (s->vaddr + s->memsz > high)
			high = s->vaddr + s->memsz;
	}
	/* The entry check guarantees one non-empty segment, so low is set. */
	img->big_endian = eh.e_ident[EI_DATA] == ELFDATA2MSB;
	img->bits = is64 ? 64 : 32;
	img->entry = eh.e_entry;
	img->low = low;
	img->high = high;
	img->nsegments = nload;
	ret = 0;
out:
	free(segs);
	elf_end(e);
	return ret;
}

/* Reads all of @fd, which fstat() said is @size bytes, into a new buffer. */
static uint8_t *read_all(int fd, size_t size, const char *path, char *err, size_t errlen)
{
	uint8_t *buf = malloc(size ? size : 1);
	size_t got = 0;

	if (!buf) {
		pvx_set_err(err, errlen, "%s: out of memory for %zu bytes", path, size);
		return NULL;
	}
	while (got < size) {
		ssize_t n = read(fd, buf + got, size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			pvx_set_err(err, errlen, "%s: read failed after %zu of %zu bytes: %s", path,
				    got, size, strerror(errno));
			free(buf);
			return NULL;
		}
		if (n == 0) {
			pvx_set_err(err, errlen,
				    "%s: file shrank while being read (%zu of %zu bytes)", path,
				    got, size);
			free(buf);
			return NULL;
		}
		got += (size_t)n;
	}
	return buf;
}

int elf_load_file(const char *path, void *ram, uint64_t ram_size, struct guest_image *img,
		  char *err, size_t errlen)
{
	char why[512];
	struct stat st;
	uint8_t *buf;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		pvx_set_err(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0) {
		pvx_set_err(err, errlen, "%s: cannot stat: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		pvx_set_err(err, errlen, "%s: is %s, not an ELF file", path,
			    S_ISDIR(st.st_mode) ? "a directory" : "not a regular file");
		close(fd);
		return -1;
	}
	if ((uint64_t)st.st_size > ELF_FILE_MAX) {
		pvx_set_err(err, errlen,
			    "%s: file is %lld bytes, more than the %llu MiB a payload may be", path,
			    (long long)st.st_size, ELF_FILE_MAX >> 20);
		close(fd);
		return -1;
	}
	buf = read_all(fd, (size_t)st.st_size, path, err, errlen);
	close(fd);
	if (!buf)
		return -1;

	ret = elf_load(buf, (size_t)st.st_size, ram, ram_size, img, why, sizeof(why));
	if (ret)
		pvx_set_err(err, errlen, "%s: %s", path, why);
	free(buf);
	return ret;
}
