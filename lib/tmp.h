/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Private temporary files and directories under $TMPDIR (or /tmp), or
 * in a directory the caller names: unpredictable names, created 0600 /
 * 0700 by this process, so that pvexit, which runs as root, never
 * follows a name someone planted.
 */
#ifndef PVEXIT_TMP_H
#define PVEXIT_TMP_H

#include <stddef.h>
#include <stdint.h>

/**
 * pvx_tmpdir_make() - a new directory "pvexit-@what-XXXXXX", mode 0700.
 * @dir: its path, @len bytes
 * Return: 0, or -1 with one line in @err.
 */
int pvx_tmpdir_make(const char *what, char *dir, size_t len, char *err, size_t errlen);

/* The same in @parent, hidden: "@parent/.pvexit-@what-XXXXXX". */
int pvx_tmpdir_make_in(const char *parent, const char *what, char *dir, size_t len, char *err,
		       size_t errlen);

/* Remove @dir and the files directly in it (nothing if @dir is ""). */
void pvx_tmpdir_remove(const char *dir);

/**
 * pvx_tmpdir_copy() - copy the file @from to @dir/@name, a file this
 * process creates (0600): never one already there, nor a symlink's
 * target.  @from must be a regular file of at most @max bytes (a device
 * such as /dev/zero, a FIFO or a file that grows past @max is refused,
 * not copied until the disk is full).  Every write is checked.
 * Return: 0, or -1 with one line in @err and nothing at @dir/@name.
 */
int pvx_tmpdir_copy(const char *dir, const char *name, const char *from, uint64_t max, char *err,
		    size_t errlen);

/**
 * pvx_tmpfile_fd() - an open, already unlinked temporary file (0600),
 * for output nobody else needs to find by name.
 * Return: the fd, or -1 with one line in @err.
 */
int pvx_tmpfile_fd(const char *what, char *err, size_t errlen);

/* @len - 1 random characters from [a-z0-9], then a NUL: a name others
 * cannot guess, for what mkdtemp() cannot make (a tracefs instance). */
void pvx_random_suffix(char *buf, size_t len);

#endif
