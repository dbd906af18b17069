// SPDX-License-Identifier: GPL-2.0-only
/*
 * The launch result reader (launcher/launch_io.c): the text that
 * pvexit-launch sends back from the e500 lab, where a guest wrote part
 * of it.  The reader takes a stream, so the input is one in memory.
 * What it takes must also survive the writer: written again and read
 * back, it is the same run, and a third write is the same text.
 * Why a check failed goes to the muted stderr: replay the crash input
 * with -close_fd_mask=0 to read it.
 */
#include <string.h>

#include "fuzz.h"
#include "launch_cmp.h"
#include "launcher.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_mute_stderr(argc, argv);
	return 0;
}

/* Read @n bytes of @data (copied, so that ASan sees their exact end). */
static int read_mem(const void *data, size_t n, struct launch_result *r, char *err, size_t len)
{
	char *copy = malloc(n ? n : 1);
	FILE *f;
	int rc;

	if (!copy)
		return -2;
	memcpy(copy, data, n);
	/* glibc 2.22 and later: binary, and size 0 is an empty stream */
	f = fmemopen(copy, n, "r");
	if (!f) {
		free(copy);
		return -2;
	}
	rc = launch_result_read(f, "fuzz", r, err, len);
	fclose(f);
	free(copy);
	return rc;
}

static char *write_mem(const struct launch_result *r, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	int rc;

	if (!f)
		return NULL;
	rc = launch_result_write(f, r);
	if (fclose(f) || rc < 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct launch_result r, back;
	char err[512], why[128];
	char *text, *again;
	size_t len, len2;
	int rc;

	/* on failure the reader has freed @r itself */
	if (read_mem(data, size, &r, err, sizeof(err)) != 0)
		return 0;
	text = write_mem(&r, &len);
	if (!text)
		abort(); /* open_memstream only fails out of memory */
	rc = read_mem(text, len, &back, err, sizeof(err));
	if (rc == -1) {
		fprintf(stderr, "fuzz_launch: the writer's text is refused: %s\n", err);
		abort();
	}
	if (rc == 0) {
		if (!launch_cmp(&r, &back, why, sizeof(why))) {
			fprintf(stderr, "fuzz_launch: read back different: %s\n", why);
			abort();
		}
		again = write_mem(&back, &len2);
		if (!again || len2 != len || memcmp(again, text, len)) {
			fprintf(stderr, "fuzz_launch: written again different\n");
			abort();
		}
		free(again);
		launch_result_free(&back);
	}
	free(text);
	launch_result_free(&r);
	return 0;
}
