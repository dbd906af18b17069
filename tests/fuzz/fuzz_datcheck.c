// SPDX-License-Identifier: GPL-2.0-only
/*
 * The checks a trace-cmd trace.dat passes before libtracecmd sees it
 * (trace/trace_decode_datcheck.c), alone: what stands between a file
 * and libtracecmd, fuzzed at the speed of a walk of its structure.
 * fuzz_tracedat.c fuzzes the whole trace.dat path, a fork per file.
 */
#include "fuzz.h"
#include "trace_decode_internal.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_mute_stderr(argc, argv);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pvx_dat_info info;
	char path[64], err[512];
	int fd = fuzz_file(data, size, path, sizeof(path));

	if (fd < 0)
		return 0;
	pvx_dat_check(path, fd, &info, err, sizeof(err));
	close(fd);
	return 0;
}
