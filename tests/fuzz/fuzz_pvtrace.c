// SPDX-License-Identifier: GPL-2.0-only
/*
 * The trace decoder on pvexit's own container (trace/trace_decode*.c,
 * docs/trace-format.md): pvexit trace report reads any file.  The
 * decoder picks the reader by the magic bytes; inputs with trace.dat's
 * are skipped, as fuzz_datcheck.c says why.
 */
#include <string.h>

#include "fuzz.h"
#include "trace_decode.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_mute_stderr(argc, argv);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char dat_magic[] = "\x17\x08\x44tracing";
	struct pvx_trace t;
	char path[64], err[512];
	int fd;

	if (size >= sizeof(dat_magic) - 1 && !memcmp(data, dat_magic, sizeof(dat_magic) - 1))
		return 0;
	fd = fuzz_file(data, size, path, sizeof(path));
	if (fd < 0)
		return 0;
	/* with segments: the decoder's longest path */
	if (!pvx_trace_read(path, PVX_TRACE_SEGMENTS, &t, err, sizeof(err)))
		pvx_trace_free(&t);
	close(fd);
	return 0;
}
