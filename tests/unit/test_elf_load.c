// SPDX-License-Identifier: GPL-2.0-only
/*
 * elf_load: images built here in either byte order, good and broken, and
 * (when the cross compilers are installed) real ones from the toolchain.
 */
#include "elf_load.h"
#include "unit.h"

#include <elf.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define RAM_SIZE (8ULL << 20)
#define FILE_MAX 16384
#define MAX_SEGS 4

struct tseg {
	uint32_t type;
	uint32_t flags;
	uint64_t offset;
	uint64_t vaddr;
	uint64_t filesz;
	uint64_t memsz;
};

struct spec {
	bool be;
	uint16_t type;
	uint16_t machine;
	uint16_t phentsize;
	uint64_t entry;
	uint64_t phoff;
	unsigned int nsegs;
	struct tseg seg[MAX_SEGS];
};

static uint8_t file[FILE_MAX];
static uint8_t *ram;
static uint8_t *ram_before;
static char err[256];

static void put(uint8_t *p, uint64_t v, unsigned int width, bool be)
{
	for (unsigned int i = 0; i < width; i++) {
		unsigned int k = be ? width - 1 - i : i;

		p[k] = (uint8_t)(v >> (8 * i));
	}
}

/* The file bytes of segment @n: distinct per segment and never 0 or 0xaa,
 * so a wrong source offset or a missed copy shows. */
static uint8_t pattern(unsigned int n, uint64_t i)
{
	return (uint8_t)(0x11 * (n + 1) + (i % 61));
}

/* Writes @s into file[] and returns the file's size. */
static size_t build(const struct spec *s)
{
	size_t size = 64 + (size_t)s->nsegs * 56;

	memset(file, 0, sizeof(file));
	memcpy(file, ELFMAG, SELFMAG);
	file[EI_CLASS] = ELFCLASS64;
	file[EI_DATA] = s->be ? ELFDATA2MSB : ELFDATA2LSB;
	file[EI_VERSION] = EV_CURRENT;
	put(file + 16, s->type, 2, s->be);
	put(file + 18, s->machine, 2, s->be);
	put(file + 20, EV_CURRENT, 4, s->be);
	put(file + 24, s->entry, 8, s->be);
	put(file + 32, s->phoff, 8, s->be);
	put(file + 52, 64, 2, s->be);
	put(file + 54, s->phentsize, 2, s->be);
	put(file + 56, s->nsegs, 2, s->be);

	for (unsigned int n = 0; n < s->nsegs; n++) {
		const struct tseg *g = &s->seg[n];
		uint8_t *ph = file + s->phoff + n * 56;

		put(ph + 0, g->type, 4, s->be);
		put(ph + 4, g->flags, 4, s->be);
		put(ph + 8, g->offset, 8, s->be);
		put(ph + 16, g->vaddr, 8, s->be);
		put(ph + 24, g->vaddr, 8, s->be);
		put(ph + 32, g->filesz, 8, s->be);
		put(ph + 40, g->memsz, 8, s->be);
		put(ph + 48, 0x10000, 8, s->be);
		/* Broken specs may point far outside file[]: write nothing there. */
		if (g->offset < FILE_MAX && g->filesz <= FILE_MAX - g->offset) {
			for (uint64_t i = 0; i < g->filesz; i++)
				file[g->offset + i] = pattern(n, i);
			if (g->offset + g->filesz > size)
				size = g->offset + g->filesz;
		}
	}
	return size;
}

/* The ELF32 form of good(): one PT_LOAD with a bss tail, then a
 * PT_NOTE; returns the file's size. */
static size_t build32(bool be)
{
	static const struct tseg seg[2] = {
		{ PT_LOAD, PF_R | PF_X, 0x100, 0x10000, 0x80, 0x200 },
		{ PT_NOTE, PF_R, 0xfff00000, 0, 0x100000, 0 },
	};

	memset(file, 0, sizeof(file));
	memcpy(file, ELFMAG, SELFMAG);
	file[EI_CLASS] = ELFCLASS32;
	file[EI_DATA] = be ? ELFDATA2MSB : ELFDATA2LSB;
	file[EI_VERSION] = EV_CURRENT;
	put(file + 16, ET_EXEC, 2, be);
	put(file + 18, EM_PPC, 2, be);
	put(file + 20, EV_CURRENT, 4, be);
	put(file + 24, 0x10004, 4, be);
	put(file + 28, 52, 4, be);
	put(file + 40, 52, 2, be);
	put(file + 42, 32, 2, be);
	put(file + 44, 2, 2, be);
	for (unsigned int n = 0; n < 2; n++) {
		uint8_t *ph = file + 52 + n * 32;

		put(ph + 0, seg[n].type, 4, be);
		put(ph + 4, seg[n].offset, 4, be);
		put(ph + 8, seg[n].vaddr, 4, be);
		put(ph + 12, seg[n].vaddr, 4, be);
		put(ph + 16, seg[n].filesz, 4, be);
		put(ph + 20, seg[n].memsz, 4, be);
		put(ph + 24, seg[n].flags, 4, be);
		put(ph + 28, 0x10000, 4, be);
	}
	for (uint64_t i = 0; i < seg[0].filesz; i++)
		file[seg[0].offset + i] = pattern(0, i);
	return seg[0].offset + seg[0].filesz;
}

/* One executable segment with a bss tail, and a PT_NOTE that must be
 * ignored although its file range is nonsense. */
static struct spec good(bool be)
{
	struct spec s = {
		.be = be,
		.type = ET_EXEC,
		.machine = EM_PPC64,
		.phentsize = 56,
		.entry = 0x10010,
		.phoff = 64,
		.nsegs = 2,
		.seg = {
			{ PT_LOAD, PF_R | PF_X, 0x200, 0x10000, 0x180, 0x400 },
			{ PT_NOTE, PF_R, 0xfffffffffff00000, 0, 0x100000, 0 },
		},
	};
	return s;
}

/* Text, then data with bss: the defects below are put into the second
 * segment, so a loader that copies segment 0 before checking segment 1
 * is caught by the untouched-RAM check. */
static struct spec two(bool be)
{
	struct spec s = good(be);

	s.seg[1] = (struct tseg){ PT_LOAD, PF_R | PF_W, 0x400, 0x20000, 0x100, 0x300 };
	return s;
}

static void fill_ram(void)
{
	memset(ram, 0xaa, RAM_SIZE);
	/* A few non-uniform bytes so a stray memmove shows too. */
	for (uint64_t a = 0; a < RAM_SIZE; a += 4093)
		ram[a] = (uint8_t)(a >> 12);
	memcpy(ram_before, ram, RAM_SIZE);
}

static bool bytes_are(uint64_t addr, uint64_t len, uint8_t v)
{
	for (uint64_t i = 0; i < len; i++)
		if (ram[addr + i] != v)
			return false;
	return true;
}

static bool seg_landed(unsigned int n, uint64_t vaddr, uint64_t filesz)
{
	for (uint64_t i = 0; i < filesz; i++)
		if (ram[vaddr + i] != pattern(n, i))
			return false;
	return true;
}

/* elf_load() of @size bytes at @buf must fail naming @frag and leave
 * RAM alone. */
static void refuse_buf(const char *what, const uint8_t *buf, size_t size, const char *frag)
{
	struct guest_image img;
	char name[200];
	int rc;

	fill_ram();
	err[0] = 0;
	rc = elf_load(buf, size, ram, RAM_SIZE, &img, err, sizeof(err));
	snprintf(name, sizeof(name), "elf_load: rejects %s", what);
	CHECK_EQ_U64(name, rc, -1);
	snprintf(name, sizeof(name), "elf_load: rejects %s: says why", what);
	CHECK_STR_CONTAINS(name, err, frag);
	snprintf(name, sizeof(name), "elf_load: rejects %s: one line", what);
	CHECK(name, err[0] && !strchr(err, '\n'));
	snprintf(name, sizeof(name), "elf_load: rejects %s: RAM untouched", what);
	CHECK(name, memcmp(ram, ram_before, RAM_SIZE) == 0);
}

static void refuse(const char *what, size_t size, const char *frag)
{
	refuse_buf(what, file, size, frag);
}

static void refuse_spec(const char *what, const struct spec *s, const char *frag)
{
	refuse(what, build(s), frag);
}

static void test_good(bool be)
{
	const char *o = be ? "big-endian" : "little-endian";
	struct spec s = good(be);
	struct guest_image img;
	size_t size = build(&s);
	char name[200];
	int rc;

	fill_ram();
	rc = elf_load(file, size, ram, RAM_SIZE, &img, err, sizeof(err));
	snprintf(name, sizeof(name), "elf_load: a %s image loads", o);
	CHECK_EQ_U64(name, rc, 0);
	if (rc)
		printf("# %s\n", err);
	snprintf(name, sizeof(name), "elf_load: %s segment bytes land at p_vaddr", o);
	CHECK(name, seg_landed(0, 0x10000, 0x180));
	snprintf(name, sizeof(name), "elf_load: %s bss from p_filesz to p_memsz is zeroed", o);
	CHECK(name, bytes_are(0x10180, 0x400 - 0x180, 0));
	snprintf(name, sizeof(name), "elf_load: %s load leaves RAM around the segment alone", o);
	CHECK(name, memcmp(ram, ram_before, 0x10000) == 0 &&
			    memcmp(ram + 0x10400, ram_before + 0x10400, RAM_SIZE - 0x10400) == 0);
	snprintf(name, sizeof(name), "elf_load: %s entry", o);
	CHECK_EQ_U64(name, img.entry, 0x10010);
	snprintf(name, sizeof(name), "elf_load: %s low", o);
	CHECK_EQ_U64(name, img.low, 0x10000);
	snprintf(name, sizeof(name), "elf_load: %s high", o);
	CHECK_EQ_U64(name, img.high, 0x10400);
	snprintf(name, sizeof(name), "elf_load: %s nsegments counts PT_LOAD only", o);
	CHECK_EQ_U64(name, img.nsegments, 1);
	snprintf(name, sizeof(name), "elf_load: %s image reports big_endian %s", o,
		 be ? "true" : "false");
	CHECK_EQ_U64(name, img.big_endian, be);
}

static void test_two(void)
{
	struct spec s = two(true);
	struct guest_image img;
	size_t size = build(&s);
	int rc;

	fill_ram();
	rc = elf_load(file, size, ram, RAM_SIZE, &img, err, sizeof(err));
	CHECK_EQ_U64("elf_load: a two-segment image loads", rc, 0);
	CHECK("elf_load: two segments: text lands", seg_landed(0, 0x10000, 0x180));
	CHECK("elf_load: two segments: data lands", seg_landed(1, 0x20000, 0x100));
	CHECK("elf_load: two segments: data bss is zeroed", bytes_are(0x20100, 0x200, 0));
	CHECK_EQ_U64("elf_load: two segments: nsegments", img.nsegments, 2);
	CHECK_EQ_U64("elf_load: two segments: low", img.low, 0x10000);
	CHECK_EQ_U64("elf_load: two segments: high", img.high, 0x20300);

	/* Touching is not overlapping, and an empty segment occupies nothing
	 * even inside another; neither counts toward low/high. */
	s = two(false);
	s.seg[1].vaddr = 0x10400;
	s.nsegs = 3;
	s.seg[2] = (struct tseg){ PT_LOAD, PF_R, 0x600, 0x10100, 0, 0 };
	size = build(&s);
	rc = elf_load(file, size, ram, RAM_SIZE, &img, err, sizeof(err));
	CHECK_EQ_U64("elf_load: segments that touch and an empty one inside another load", rc, 0);
	CHECK_EQ_U64("elf_load: touching segments: nsegments counts the empty one", img.nsegments,
		     3);
	CHECK_EQ_U64("elf_load: touching segments: high", img.high, 0x10700);

	/* A segment may end exactly at the end of RAM. */
	s = two(true);
	s.seg[1].vaddr = RAM_SIZE - s.seg[1].memsz;
	size = build(&s);
	rc = elf_load(file, size, ram, RAM_SIZE, &img, err, sizeof(err));
	CHECK_EQ_U64("elf_load: a segment ending at the last byte of RAM loads", rc, 0);
	CHECK("elf_load: the segment at the end of RAM lands",
	      seg_landed(1, RAM_SIZE - 0x300, 0x100) && bytes_are(RAM_SIZE - 0x200, 0x200, 0));
}

static void test_refusals(void)
{
	struct spec s;
	size_t size;

	s = good(true);
	size = build(&s);
	refuse("a 0-byte file", 0, "0 bytes, shorter than the 52-byte ELF header");
	refuse("a 10-byte file", 10, "10 bytes, shorter than the 52-byte ELF header");
	refuse("a 63-byte file", 63, "63 bytes, shorter than the 64-byte ELF64 header");

	build(&s);
	file[3] = 'G';
	refuse("a bad magic", size, "magic is 7f 45 4c 47");

	build(&s);
	/* A 32-bit payload must say EM_PPC; EM_PPC64 in an ELF32 header is
	 * a mixed-up file. */
	file[EI_CLASS] = ELFCLASS32;
	refuse("ELFCLASS32 with EM_PPC64", size, "not 20 (EM_PPC) for an ELF32 file");

	build(&s);
	file[EI_CLASS] = 3;
	refuse("EI_CLASS 3", size, "EI_CLASS is 3, not 1 (ELFCLASS32) or 2 (ELFCLASS64)");

	build(&s);
	file[EI_DATA] = ELFDATANONE;
	refuse("EI_DATA 0", size, "EI_DATA is 0");
	file[EI_DATA] = 3;
	refuse("EI_DATA 3", size, "EI_DATA is 3");

	s = good(false);
	s.machine = EM_X86_64;
	refuse_spec("e_machine EM_X86_64", &s, "e_machine is 62 (x86-64), not 21 (EM_PPC64)");

	/* The byte order must be honoured: 21 read as the other order is 0x1500. */
	s = good(true);
	size = build(&s);
	file[18] = 0x15;
	file[19] = 0;
	refuse("e_machine in the wrong byte order", size, "e_machine is 5376");

	s = good(true);
	s.type = ET_DYN;
	refuse_spec("ET_DYN", &s, "e_type is 3 (ET_DYN), not 2 (ET_EXEC)");

	s = good(true);
	size = build(&s);
	refuse("a program header table cut off by the file's end", 64 + 56 + 20,
	       "program header table (offset 0x40, 2 entries) lies outside the 140-byte file");

	s = good(false);
	size = build(&s);
	put(file + 32, 0xffffffffffffffc0, 8, false);
	refuse("a program header offset that wraps", size, "lies outside the");

	s = good(true);
	s.phentsize = 64;
	refuse_spec("e_phentsize 64", &s, "e_phentsize is 64, not 56");

	s = two(true);
	size = build(&s);
	refuse("segment file bytes past the end of the file", size - 1,
	       "segment 1 (offset 0x400, filesz 0x100) lies outside the 1279-byte file");

	s = two(false);
	s.seg[1].offset = 0xfffffffffffffff0;
	refuse_spec("a segment file offset that wraps", &s, "segment 1 (offset 0xfffffffffffffff0");

	s = two(true);
	s.seg[1].filesz = 0x301;
	refuse_spec("p_filesz > p_memsz", &s, "p_filesz 0x301 larger than p_memsz 0x300");

	s = two(true);
	s.seg[1].vaddr = RAM_SIZE - 0x2ff;
	refuse_spec("a segment past the end of RAM", &s,
		    "segment 1 (vaddr 0x7ffd01, memsz 0x300) does not fit in 8 MiB of guest RAM");

	s = two(false);
	s.seg[1].vaddr = RAM_SIZE + 0x1000;
	s.seg[1].filesz = 0;
	s.seg[1].memsz = 0;
	refuse_spec("an empty segment beyond RAM", &s, "does not fit in 8 MiB");

	s = two(true);
	s.seg[1].vaddr = 0xfffffffffffff000;
	s.seg[1].memsz = 0x2000;
	refuse_spec("vaddr + memsz overflowing 64 bits", &s,
		    "segment 1 (vaddr 0xfffffffffffff000, memsz 0x2000) wraps");

	s = two(true);
	s.seg[1].vaddr = 0x103ff;
	refuse_spec("overlapping segments", &s, "segments 0 (vaddr 0x10000, memsz 0x400) and 1");

	/* The overlapping pair is not adjacent in the table. */
	s = two(false);
	s.nsegs = 3;
	s.seg[2] = (struct tseg){ PT_LOAD, PF_R, 0x600, 0x10200, 0x10, 0x10 };
	refuse_spec(
		"overlap between segments 0 and 2", &s,
		"segments 0 (vaddr 0x10000, memsz 0x400) and 2 (vaddr 0x10200, memsz 0x10) overlap");

	/* Same start, one inside the other. */
	s = two(true);
	s.seg[1].vaddr = 0x10000;
	s.seg[1].memsz = 0x200;
	s.seg[1].filesz = 0x100;
	refuse_spec("a segment nested at the same start", &s, "overlap");

	s = good(true);
	s.seg[0].type = PT_NOTE;
	refuse_spec("an image with no PT_LOAD", &s,
		    "no PT_LOAD segment among the 2 program headers");

	s = good(false);
	s.nsegs = 0;
	refuse_spec("an image with no program headers", &s, "no PT_LOAD");

	s = two(true);
	s.entry = 0x50000;
	refuse_spec("an entry point outside every segment", &s,
		    "entry point 0x50000 is outside every executable (PF_X) segment");

	s = two(true);
	s.entry = 0x10400;
	refuse_spec("an entry point one past the executable segment", &s, "entry point 0x10400");

	s = two(false);
	s.entry = 0x20010;
	refuse_spec("an entry point in a non-PF_X segment", &s,
		    "entry point 0x20010 lies in segment 1, which is not executable");
}

/* Where libelf alone would decide otherwise than this loader: it takes
 * EI_VERSION into account, shortens a cut-off program header table,
 * reads offset 0 as "no table", refuses an empty table's offset at the
 * file's end, and looks for a PN_XNUM count in section 0. */
static void test_libelf_edges(void)
{
	size_t big_size = 64 + 0xffffULL * 56;
	struct guest_image img;
	struct spec s;
	uint8_t *big;
	size_t size;
	int rc;

	s = good(true);
	size = build(&s);
	file[EI_VERSION] = 0;
	refuse("EI_VERSION 0", size, "EI_VERSION is 0, not 1 (EV_CURRENT)");

	s = good(false);
	s.phoff = 0;
	size = build(&s);
	/* build() wrote the table over the header; put the header back. */
	s.phoff = 64;
	build(&s);
	put(file + 32, 0, 8, false);
	refuse("a program header table at offset 0", size,
	       "program header table (offset 0x0, 2 entries) overlaps the ELF header");

	s = good(true);
	s.nsegs = 0;
	s.phoff = 64;
	refuse_spec("an empty program header table at the file's end", &s,
		    "no PT_LOAD segment among the 0 program headers");

	/* The table after the segment's bytes, cut off in its PT_NOTE
	 * entry: the PT_LOAD entry is whole, and still the image is refused. */
	s = good(false);
	s.phoff = 0x400;
	build(&s);
	refuse("a program header table cut off after its PT_LOAD entry", 0x400 + 56 + 20,
	       "program header table (offset 0x400, 2 entries) lies outside the 1100-byte file");

	s = good(true);
	size = build(&s);
	put(file + 56, PN_XNUM, 2, true);
	refuse("e_phnum PN_XNUM in a small file", size,
	       "program header table (offset 0x40, 65535 entries) lies outside");

	big = calloc(1, big_size);
	if (!big) {
		unit_skip("elf_load: rejects e_phnum PN_XNUM", "out of memory");
	} else {
		s = good(false);
		memcpy(big, file, build(&s));
		put(big + 56, PN_XNUM, 2, false);
		refuse_buf("e_phnum PN_XNUM", big, big_size,
			   "e_phnum is 65535 (PN_XNUM): extended program header numbering");
		free(big);
	}

	/* Section headers are not read: nonsense there changes nothing. */
	s = good(true);
	size = build(&s);
	put(file + 40, 0xfffffffffffff000, 8, true);
	put(file + 58, 64, 2, true);
	put(file + 60, 7, 2, true);
	fill_ram();
	rc = elf_load(file, size, ram, RAM_SIZE, &img, err, sizeof(err));
	CHECK_EQ_U64("elf_load: a section header table outside the file is ignored", rc, 0);
	s = good(false);
	size = build(&s);
	put(file + 58, 64, 2, false);
	put(file + 60, 3, 2, false);
	rc = elf_load(file, size, ram, RAM_SIZE, &img, err, sizeof(err));
	CHECK_EQ_U64("elf_load: a section header table over the ELF header is ignored", rc, 0);

	/* An image at an odd address: libelf copies what it cannot read in place. */
	s = good(true);
	size = build(&s);
	memmove(file + 1, file, size);
	fill_ram();
	rc = elf_load(file + 1, size, ram, RAM_SIZE, &img, err, sizeof(err));
	CHECK_EQ_U64("elf_load: an image at an odd address loads", rc, 0);
	CHECK("elf_load: an image at an odd address: bytes land", seg_landed(0, 0x10000, 0x180));
}

/* ELF32 in both byte orders: libelf has a reader per class and order. */
static void test_elf32(bool be)
{
	const char *o = be ? "big-endian" : "little-endian";
	struct guest_image img;
	size_t size = build32(be);
	char name[200];
	int rc;

	fill_ram();
	rc = elf_load(file, size, ram, RAM_SIZE, &img, err, sizeof(err));
	snprintf(name, sizeof(name), "elf_load: a %s ELF32 image loads", o);
	CHECK_EQ_U64(name, rc, 0);
	if (rc)
		printf("# %s\n", err);
	snprintf(name, sizeof(name), "elf_load: %s ELF32 segment bytes land at p_vaddr", o);
	CHECK(name, seg_landed(0, 0x10000, 0x80));
	snprintf(name, sizeof(name), "elf_load: %s ELF32 bss is zeroed", o);
	CHECK(name, bytes_are(0x10080, 0x180, 0));
	snprintf(name, sizeof(name), "elf_load: %s ELF32 entry", o);
	CHECK_EQ_U64(name, img.entry, 0x10004);
	snprintf(name, sizeof(name), "elf_load: %s ELF32 high", o);
	CHECK_EQ_U64(name, img.high, 0x10200);
	snprintf(name, sizeof(name), "elf_load: %s ELF32 image reports 32 bits", o);
	CHECK_EQ_U64(name, img.bits, 32);
	snprintf(name, sizeof(name), "elf_load: %s ELF32 image reports its byte order", o);
	CHECK_EQ_U64(name, img.big_endian, be);

	snprintf(name, sizeof(name), "a %s ELF32 program header table cut off", o);
	refuse(name, 52 + 32 + 16,
	       "program header table (offset 0x34, 2 entries) lies outside the 100-byte file");
}

static int write_file(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, data, len);
	close(fd);
	return n == (ssize_t)len ? 0 : -1;
}

static void test_file(const char *dir)
{
	struct guest_image img = { 0 };
	struct spec s;
	char path[56], want[120];
	int rc, fd;

	snprintf(path, sizeof(path), "%s/missing.elf", dir);
	rc = elf_load_file(path, ram, RAM_SIZE, &img, err, sizeof(err));
	CHECK_EQ_U64("elf_load_file: a missing file fails", rc, -1);
	snprintf(want, sizeof(want), "%s: cannot open: No such file or directory", path);
	CHECK_STR_CONTAINS("elf_load_file: a missing file's message names the path", err, want);

	rc = elf_load_file(dir, ram, RAM_SIZE, &img, err, sizeof(err));
	CHECK_EQ_U64("elf_load_file: a directory fails", rc, -1);
	snprintf(want, sizeof(want), "%s: is a directory", dir);
	CHECK_STR_CONTAINS("elf_load_file: a directory's message names the path", err, want);

	s = good(true);
	snprintf(path, sizeof(path), "%s/good.elf", dir);
	if (write_file(path, file, build(&s))) {
		unit_skip("elf_load_file: a good file loads", "cannot write the temporary file");
	} else {
		fill_ram();
		rc = elf_load_file(path, ram, RAM_SIZE, &img, err, sizeof(err));
		CHECK_EQ_U64("elf_load_file: a good file loads", rc, 0);
		CHECK_EQ_U64("elf_load_file: a good file's entry", img.entry, 0x10010);
		CHECK("elf_load_file: a good file's bytes land", seg_landed(0, 0x10000, 0x180));
	}
	unlink(path);

	s = good(false);
	s.type = ET_REL;
	snprintf(path, sizeof(path), "%s/rel.elf", dir);
	if (write_file(path, file, build(&s))) {
		unit_skip("elf_load_file: a bad image's message names the path",
			  "cannot write the temporary file");
	} else {
		rc = elf_load_file(path, ram, RAM_SIZE, &img, err, sizeof(err));
		snprintf(want, sizeof(want), "%s: e_type is 1 (ET_REL)", path);
		CHECK_STR_CONTAINS("elf_load_file: a bad image's message names the path", err,
				   want);
	}
	unlink(path);

	/* Sparse, so the test costs no disk. */
	snprintf(path, sizeof(path), "%s/huge.elf", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || ftruncate(fd, (64 << 20) + 1)) {
		unit_skip("elf_load_file: refuses a file over 64 MiB",
			  "cannot make the sparse file");
	} else {
		rc = elf_load_file(path, ram, RAM_SIZE, &img, err, sizeof(err));
		CHECK_EQ_U64("elf_load_file: refuses a file over 64 MiB", rc, -1);
		snprintf(want, sizeof(want), "%s: file is 67108865 bytes, more than the 64 MiB",
			 path);
		CHECK_STR_CONTAINS("elf_load_file: the over-64-MiB message names path and size",
				   err, want);
	}
	if (fd >= 0)
		close(fd);
	unlink(path);
}

/* A real static executable from the cross toolchain: `b .` at 0x400000. */
static void test_toolchain(const char *dir, const char *cc, const char *flags, bool be,
			   unsigned int bits)
{
	const char *o = be ? (bits == 32 ? "big-endian 32-bit" : "big-endian") : "little-endian";
	static const char asm_src[] = "\t.globl _start\n_start:\tb .\n";
	static const uint8_t b_dot_be[4] = { 0x48, 0x00, 0x00, 0x00 };
	static const uint8_t b_dot_le[4] = { 0x00, 0x00, 0x00, 0x48 };
	struct guest_image img = { 0 };
	char cmd[1024], src[200], out[200], log[200], name[200];
	int rc;

	snprintf(name, sizeof(name), "elf_load: %s builds a static executable", cc);
	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", cc);
	if (system(cmd) != 0) {
		snprintf(cmd, sizeof(cmd), "%s is not installed", cc);
		unit_skip(name, cmd);
		return;
	}
	snprintf(src, sizeof(src), "%s/start-%s-%u.S", dir, be ? "be" : "le", bits);
	snprintf(out, sizeof(out), "%s/start-%s-%u", dir, be ? "be" : "le", bits);
	snprintf(log, sizeof(log), "%s/cc-%s-%u.log", dir, be ? "be" : "le", bits);
	if (write_file(src, asm_src, strlen(asm_src))) {
		unit_skip(name, "cannot write the assembly source");
		return;
	}
	snprintf(
		cmd, sizeof(cmd),
		"%s %s -nostdlib -static -Wl,-Ttext=0x400000 -Wl,--build-id=none -o %s %s >%s 2>&1",
		cc, flags, out, src, log);
	rc = system(cmd);
	snprintf(cmd, sizeof(cmd), "%s exits with status %d (see %s)", cc, rc, log);
	if (unit_check(rc == 0, __FILE__, __LINE__, name, cmd)) {
		fill_ram();
		rc = elf_load_file(out, ram, RAM_SIZE, &img, err, sizeof(err));
		snprintf(name, sizeof(name), "elf_load: the %s executable from %s loads", o, cc);
		unit_check(rc == 0, __FILE__, __LINE__, name, err);
		snprintf(name, sizeof(name), "elf_load: the %s executable's entry is 0x400000", o);
		CHECK_EQ_U64(name, img.entry, 0x400000);
		snprintf(name, sizeof(name), "elf_load: the %s executable's `b .` is at its entry",
			 o);
		CHECK(name, memcmp(ram + 0x400000, be ? b_dot_be : b_dot_le, 4) == 0);
		snprintf(name, sizeof(name), "elf_load: the %s executable reports its byte order",
			 o);
		CHECK_EQ_U64(name, img.big_endian, be);
		snprintf(name, sizeof(name), "elf_load: the %s executable reports %u bits", o,
			 bits);
		CHECK_EQ_U64(name, img.bits, bits);
		unlink(log);
	}
	unlink(src);
	unlink(out);
}

int main(void)
{
	char dir[] = "/tmp/pvexit-elf-XXXXXX";

	ram = malloc(RAM_SIZE);
	ram_before = malloc(RAM_SIZE);
	if (!ram || !ram_before || !mkdtemp(dir)) {
		printf("FAIL elf_load: test setup: out of memory or no temporary directory\n");
		return 1;
	}

	test_good(true);
	test_good(false);
	test_two();
	test_refusals();
	test_libelf_edges();
	test_elf32(true);
	test_elf32(false);
	test_file(dir);
#if defined(__powerpc__) || defined(__powerpc64__)
	/* A PowerPC host's gcc makes all three, as it does the payloads. */
	test_toolchain(dir, "gcc", "-mbig-endian", true, 64);
	test_toolchain(dir, "gcc", "-mlittle-endian", false, 64);
	test_toolchain(dir, "gcc", "-m32 -mbig-endian", true, 32);
#else
	test_toolchain(dir, "powerpc64-linux-gnu-gcc", "", true, 64);
	test_toolchain(dir, "powerpc64le-linux-gnu-gcc", "", false, 64);
	test_toolchain(dir, "powerpc64-linux-gnu-gcc", "-m32", true, 32);
#endif

	rmdir(dir);
	free(ram);
	free(ram_before);
	return unit_done();
}
