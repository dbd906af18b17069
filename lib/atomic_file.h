/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * All-or-nothing output files: written under a private temporary name
 * beside the target, then renamed over it, so a reader sees the old file
 * or the whole new one, never a part, and a failure leaves nothing.
 */
#ifndef PVEXIT_ATOMIC_FILE_H
#define PVEXIT_ATOMIC_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct pvx_atomic_file {
	FILE *f; /* write here */
	char *path; /* the target */
	char *tmp; /* the temporary name, in the target's directory */
};

/**
 * pvx_atomic_open() - start writing @path.
 * The temporary file gets the mode a new file would (0666 less umask).
 * Return: 0, or -1 with one line naming @path in @err.
 */
int pvx_atomic_open(struct pvx_atomic_file *af, const char *path, char *err, size_t errlen);

/**
 * pvx_atomic_finish() - flush, fsync and close the temporary file, not
 * yet renamed: a full disk or any earlier write error on @af->f shows
 * here, so that files meant to change together can all be finished
 * before the first of them replaces its target.
 * Return: 0, or -1 with @err set and nothing left behind.
 */
int pvx_atomic_finish(struct pvx_atomic_file *af, char *err, size_t errlen);

/**
 * pvx_atomic_commit() - pvx_atomic_finish() if not done yet, then rename
 * over the target and sync its directory.
 * Return: 0, or -1 with @err set and nothing left behind.
 */
int pvx_atomic_commit(struct pvx_atomic_file *af, char *err, size_t errlen);

/* Give up: remove the temporary file (after a failed open: nothing). */
void pvx_atomic_abort(struct pvx_atomic_file *af);

#endif
