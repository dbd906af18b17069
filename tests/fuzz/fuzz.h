/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the fuzz targets share.  Most of the parsers take a path, as
 * pvexit's commands give them one, so each input goes to a memfd that
 * the parser opens by its /proc/self/fd name: the parser's own open,
 * size and read checks are fuzzed with it.
 */
#ifndef PVEXIT_FUZZ_H
#define PVEXIT_FUZZ_H

#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * The parsers say why they refuse an input on stderr now and then
 * (warnings, libtraceevent's log), which would bury libFuzzer's own
 * lines.  libFuzzer's -close_fd_mask=2 sends the target's fd 2 to
 * /dev/null while its reports and ASan's keep a duplicate, which a
 * dup2 of our own would not; so the targets add it in front of the
 * command line's flags (a later one given by hand still wins).
 */
static inline void fuzz_mute_stderr(int *argc, char ***argv)
{
	static char flag[] = "-close_fd_mask=2";
	static char **av;

	av = calloc((size_t)*argc + 2, sizeof(*av));

	if (!av || *argc < 1)
		return;
	av[0] = (*argv)[0];
	av[1] = flag;
	for (int i = 1; i < *argc; i++)
		av[i + 1] = (*argv)[i];
	/* libFuzzer keeps using the array: it stays, reachable from av */
	*argv = av;
	++*argc;
}

/*
 * A fresh memfd holding @data; its name in @path.  Return: the fd, or
 * -1 (the input is skipped: a full /dev/shm is no finding).
 */
static inline int fuzz_file(const uint8_t *data, size_t size, char *path, size_t len)
{
	size_t done = 0;
	int fd = memfd_create("pvexit-fuzz", MFD_CLOEXEC);

	if (fd < 0)
		return -1;
	while (done < size) {
		ssize_t n = write(fd, data + done, size - done);

		if (n <= 0) {
			close(fd);
			return -1;
		}
		done += (size_t)n;
	}
	snprintf(path, len, "/proc/self/fd/%d", fd);
	return fd;
}

#endif
