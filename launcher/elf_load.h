/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Loading a payload ELF into guest RAM.
 *
 * Payloads are 64-bit PowerPC executables (ELFCLASS64, EM_PPC64) of
 * either byte order, or 32-bit ones (ELFCLASS32, EM_PPC).  Each
 * PT_LOAD segment is placed at its p_vaddr, which is a guest real
 * (physical) address: payloads run with translation off.  (p_paddr is
 * not used; payloads set it so that QEMU's pseries -kernel loader, which
 * adds 0x400000 to p_paddr & 0x0fffffff, puts them at the same place.)
 * Payloads use the ELFv2 ABI in both byte orders, so e_entry is code,
 * never an ELFv1 .opd function descriptor.
 */
#ifndef PVEXIT_ELF_LOAD_H
#define PVEXIT_ELF_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct guest_image {
	bool big_endian; /* EI_DATA is ELFDATA2MSB */
	unsigned int bits; /* 64 (ELFCLASS64) or 32 (ELFCLASS32) */
	uint64_t entry; /* e_entry */
	uint64_t low; /* lowest guest address a segment occupies */
	uint64_t high; /* one past the highest (p_vaddr + p_memsz) */
	unsigned int nsegments; /* PT_LOAD segments loaded */
};

/* A payload is a few pages; anything this big is a wrong path.  The
 * loader refuses it, and pvexit copies no more of it to a lab. */
#define ELF_FILE_MAX (64ULL << 20)

/**
 * elf_load() - check an ELF image and copy its segments into guest RAM.
 * @file: the whole ELF file in memory
 * @size: its size in bytes
 * @ram: host mapping of guest RAM, guest-physical 0 at ram[0]
 * @ram_size: bytes of guest RAM
 * @img: filled on success
 * @err: on failure, one line saying what is wrong (no file name, no newline)
 * @errlen: size of @err
 *
 * Refuses, with a specific message each: a file shorter than the ELF
 * header; a bad magic; a class other than ELFCLASS64 or ELFCLASS32; an
 * EI_DATA other than MSB or LSB; an EI_VERSION other than EV_CURRENT; an
 * e_machine other than EM_PPC64 (64-bit) or EM_PPC (32-bit); an e_type
 * other than ET_EXEC; a program header table outside the file, at offset
 * 0, of the wrong entry size or counted with PN_XNUM; a segment whose
 * file bytes lie outside the file; p_filesz >
 * p_memsz; a segment that does not fit in RAM (overflow included); two
 * PT_LOAD segments that overlap; no PT_LOAD segment; an entry point
 * outside every executable (PF_X) segment.  Nothing is written to @ram
 * unless every check passes.  Bytes from p_filesz to p_memsz are zeroed.
 *
 * Context: any.  Return: 0 on success, -1 on a bad image.
 */
int elf_load(const void *file, size_t size, void *ram, uint64_t ram_size, struct guest_image *img,
	     char *err, size_t errlen);

/**
 * elf_load_file() - elf_load() on a file read from @path.
 *
 * The message in @err names @path; an unreadable file is an error too.
 * Return: 0 on success, -1 on failure.
 */
int elf_load_file(const char *path, void *ram, uint64_t ram_size, struct guest_image *img,
		  char *err, size_t errlen);

#endif
