// SPDX-License-Identifier: GPL-2.0-only
/*
 * The suite reader (lib/suite.c): pvexit run --suite takes any file.
 */
#include "fuzz.h"
#include "suite.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_mute_stderr(argc, argv);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pvx_suite s;
	char path[64], err[512];
	int fd = fuzz_file(data, size, path, sizeof(path));

	if (fd < 0)
		return 0;
	pvx_suite_load(path, &s, err, sizeof(err));
	close(fd);
	return 0;
}
