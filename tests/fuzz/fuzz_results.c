// SPDX-License-Identifier: GPL-2.0-only
/*
 * The results loader (lib/results_load.c): the JSON that report,
 * compare, plot and bisect read from files anyone may hand them.
 */
#include "fuzz.h"
#include "results.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_mute_stderr(argc, argv);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pvx_results r;
	char path[64], err[512];
	int fd = fuzz_file(data, size, path, sizeof(path));

	if (fd < 0)
		return 0;
	/* on failure the loader has freed @r itself */
	if (!pvx_results_load(path, &r, err, sizeof(err)))
		pvx_results_free(&r);
	close(fd);
	return 0;
}
