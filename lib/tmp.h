/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Private temporary files and directories under $TMPDIR (or /tmp):
 * unpredictable names, created 0600 / 0700 by this process, so that
 * pvexit, which runs as root, never follows a name someone planted.
 */
#ifndef PVEXIT_TMP_H
#define PVEXIT_TMP_H

#include <stddef.h>

/**
 * pvx_tmpdir_make() - a new directory "pvexit-@what-XXXXXX", mode 0700.
 * @dir: its path, @len bytes
 * Return: 0, or -1 with one line in @err.
 */
int pvx_tmpdir_make(const char *what, char *dir, size_t len, char *err, size_t errlen);

/* Remove @dir and the files directly in it (nothing if @dir is ""). */
void pvx_tmpdir_remove(const char *dir);

/**
 * pvx_tmpfile_fd() - an open, already unlinked temporary file (0600),
 * for output nobody else needs to find by name.
 * Return: the fd, or -1 with one line in @err.
 */
int pvx_tmpfile_fd(const char *what, char *err, size_t errlen);

#endif
