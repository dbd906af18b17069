// SPDX-License-Identifier: GPL-2.0-only
/*
 * Proves lab/e500/sysroot's libraries work in a static 32-bit PowerPC
 * program: libelf reads an ELF header, libfdt writes a device tree and
 * reads it back, zlib round-trips a buffer.  One line per library on
 * stdout; on failure one error line naming the step and exit 1.
 *
 * usage: e500_sysroot_probe ELF-FILE
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <gelf.h>
#include <libelf.h>
#include <libfdt.h>
#include <zlib.h>

#define PROG "e500_sysroot_probe"

static void die(const char *step, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, PROG ": error: %s: ", step);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static const char *name_of(unsigned int v, const char *const *names, size_t n)
{
	return v < n && names[v] ? names[v] : "?";
}

static void probe_elf(const char *path)
{
	static const char *const classes[] = {
		[ELFCLASS32] = "ELFCLASS32", [ELFCLASS64] = "ELFCLASS64"
	};
	static const char *const datas[] = {
		[ELFDATA2LSB] = "ELFDATA2LSB", [ELFDATA2MSB] = "ELFDATA2MSB"
	};
	static const char *const machines[] = { [EM_386] = "EM_386",
						[EM_PPC] = "EM_PPC",
						[EM_PPC64] = "EM_PPC64",
						[EM_X86_64] = "EM_X86_64",
						[EM_AARCH64] = "EM_AARCH64" };
	GElf_Ehdr eh;
	size_t shnum;
	Elf *elf;
	int fd, class;

	if (elf_version(EV_CURRENT) == EV_NONE)
		die("elf_version", "%s", elf_errmsg(-1));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die("open", "%s: %s", path, strerror(errno));
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf)
		die("elf_begin", "%s: %s", path, elf_errmsg(-1));
	if (elf_kind(elf) != ELF_K_ELF)
		die("elf_kind", "%s: not an ELF file", path);
	class = gelf_getclass(elf);
	if (!gelf_getehdr(elf, &eh))
		die("gelf_getehdr", "%s: %s", path, elf_errmsg(-1));
	if (elf_getshdrnum(elf, &shnum) != 0)
		die("elf_getshdrnum", "%s: %s", path, elf_errmsg(-1));
	printf("elf: class %s, data %s, machine %s (%u), %zu sections\n",
	       name_of(class, classes, sizeof(classes) / sizeof(classes[0])),
	       name_of(eh.e_ident[EI_DATA], datas, sizeof(datas) / sizeof(datas[0])),
	       name_of(eh.e_machine, machines, sizeof(machines) / sizeof(machines[0])),
	       eh.e_machine, shnum);
	elf_end(elf);
	close(fd);
}

/* fdt_* return a negative libfdt error code on failure. */
static void fdt_ok(const char *step, int err)
{
	if (err < 0)
		die(step, "%s", fdt_strerror(err));
}

static void probe_fdt(void)
{
	/* Not 0 or a byte-symmetric value: a wrong fdt32 conversion shows. */
	const uint32_t reg = 0x12345678;
	/* libfdt refuses a tree that is not 8-byte aligned. */
	static _Alignas(8) char buf[1024];
	const fdt32_t *got;
	const char *compat;
	int node, len;

	fdt_ok("fdt_create", fdt_create(buf, sizeof(buf)));
	fdt_ok("fdt_finish_reservemap", fdt_finish_reservemap(buf));
	fdt_ok("fdt_begin_node /", fdt_begin_node(buf, ""));
	fdt_ok("fdt_property_string", fdt_property_string(buf, "compatible", "pvexit,e500-probe"));
	fdt_ok("fdt_begin_node cpu@0", fdt_begin_node(buf, "cpu@0"));
	fdt_ok("fdt_property_u32", fdt_property_u32(buf, "reg", reg));
	fdt_ok("fdt_end_node cpu@0", fdt_end_node(buf));
	fdt_ok("fdt_end_node /", fdt_end_node(buf));
	fdt_ok("fdt_finish", fdt_finish(buf));
	fdt_ok("fdt_check_header", fdt_check_header(buf));

	compat = fdt_getprop(buf, 0, "compatible", &len);
	if (!compat)
		die("fdt_getprop /compatible", "%s", fdt_strerror(len));
	if (strcmp(compat, "pvexit,e500-probe") != 0)
		die("fdt_getprop /compatible", "read back '%.*s'", len, compat);
	node = fdt_path_offset(buf, "/cpu@0");
	fdt_ok("fdt_path_offset /cpu@0", node);
	got = fdt_getprop(buf, node, "reg", &len);
	if (!got)
		die("fdt_getprop /cpu@0/reg", "%s", fdt_strerror(len));
	if (len != 4 || fdt32_to_cpu(*got) != reg)
		die("fdt_getprop /cpu@0/reg", "read back %d bytes, 0x%08x", len,
		    len == 4 ? (unsigned int)fdt32_to_cpu(*got) : 0U);
	printf("fdt: %u bytes, header ok, /compatible and /cpu@0/reg 0x%08x read back\n",
	       (unsigned int)fdt_totalsize(buf), (unsigned int)reg);
}

static void probe_zlib(void)
{
	static const char text[] = "pvexit e500 sysroot probe, pvexit e500 sysroot probe";
	unsigned char packed[128], unpacked[sizeof(text)];
	uLongf plen = sizeof(packed), ulen = sizeof(unpacked);
	int err;

	err = compress2(packed, &plen, (const Bytef *)text, sizeof(text), Z_BEST_COMPRESSION);
	if (err != Z_OK)
		die("compress2", "zlib error %d", err);
	err = uncompress(unpacked, &ulen, packed, plen);
	if (err != Z_OK)
		die("uncompress", "zlib error %d", err);
	if (ulen != sizeof(text) || memcmp(unpacked, text, ulen) != 0)
		die("uncompress", "the round trip changed the data");
	printf("zlib: %s, %zu bytes round-tripped through %lu\n", zlibVersion(), sizeof(text),
	       (unsigned long)plen);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, PROG ": error: usage: " PROG " ELF-FILE\n");
		return 2;
	}
	probe_elf(argv[1]);
	probe_fdt();
	probe_zlib();
	if (fflush(stdout) != 0 || ferror(stdout))
		die("stdout", "%s", strerror(errno));
	return 0;
}
