// SPDX-License-Identifier: GPL-2.0-only
/*
 * The payload ELF loader (launcher/elf_load.c): --payload-dir lets a
 * user pick the images, so every header and segment is input.
 */
#include "elf_load.h"
#include "fuzz.h"

/* Payloads load at 4 MiB; twice that leaves room for the segments of a
 * real image and for the loader's "does not fit" checks. */
#define FUZZ_RAM (8u << 20)

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_mute_stderr(argc, argv);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned char *ram;
	struct guest_image img;
	char err[256];

	/* one RAM for every run: a fresh 8 MiB each time would be most of
	 * the cost, and what an earlier image left in it is no input */
	if (!ram) {
		ram = mmap(NULL, FUZZ_RAM, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
			   0);
		if (ram == MAP_FAILED)
			abort();
	}
	elf_load(data, size, ram, FUZZ_RAM, &img, err, sizeof(err));
	return 0;
}
