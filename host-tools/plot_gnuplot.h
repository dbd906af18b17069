/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * How pvexit plot makes its files: in a hidden staging directory inside
 * the output directory, renamed into place only when everything was
 * made, and gnuplot runs side by side, each told what to draw with -e
 * and its messages kept in a file of its own.
 */
#ifndef PVEXIT_PLOT_GNUPLOT_H
#define PVEXIT_PLOT_GNUPLOT_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

/* Directories no longer than this leave room for the names made in them. */
#define PLOT_PATH_LIMIT (PATH_MAX - 128)

/* The output directory being filled, and what to undo on failure. */
struct plot_stage {
	char dir[PATH_MAX]; /* the hidden directory inside outdir, 0700 */
	const char *outdir;
	bool made_outdir;
	char **names; /* files in dir, to be renamed into outdir */
	size_t nnames;
	unsigned char *old; /* per name: what outdir held under it, and where it is */
	size_t nrenamed; /* names renamed into outdir so far */
};

/* A gnuplot run: what it draws, from what, and where its messages go. */
struct plot_job {
	char *expr; /* the -e variables */
	char *from; /* the results file(s) the figure shows, for messages */
	char script[PATH_MAX];
	char output[96]; /* the figure's file name, for messages */
	char path[PATH_MAX]; /* where gnuplot writes it, in the staging directory */
	int errfd; /* gnuplot's stdout and stderr: an unlinked file in $TMPDIR */
	pid_t pid;
};

/* snprintf for a name under a directory of at most PLOT_PATH_LIMIT. */
void plot_path_fmt(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Append a copy of @s to the string vector @v of @n; free them all. */
void plot_strv_push(char ***v, size_t *n, const char *s);
void plot_strv_free(char **v, size_t n);

/* Whether program @name is on $PATH; @buf gets where. */
bool plot_find_on_path(const char *name, char *buf, size_t len);

/**
 * plot_stage_open() - make @outdir if it is missing, and a staging
 * directory in it.
 * Return: 0, or -1 after one error line (and nothing left made).
 */
int plot_stage_open(struct plot_stage *st, const char *outdir);

/* A file @name made in the staging directory, to be renamed into place. */
void plot_stage_add(struct plot_stage *st, const char *name);

/**
 * plot_stage_commit() - rename every file into outdir, keeping what each
 * replaces until plot_stage_finish(), so that plot_stage_abort() can
 * still put it back.  A directory where a file is to go fails it before
 * anything is renamed.
 * Return: 0, or -1 after one error line, with outdir as it was.
 */
int plot_stage_commit(struct plot_stage *st);

/* The files renamed into outdir, one path a line. */
void plot_stage_list(const struct plot_stage *st, FILE *f);

/* After plot_stage_commit(): drop what was replaced, remove the staging
 * directory. */
void plot_stage_finish(struct plot_stage *st);

/* Undo everything: put back what a commit replaced, remove what it
 * added, the staging directory, and outdir if it was made. */
void plot_stage_abort(struct plot_stage *st);

/*
 * From now on SIGINT, SIGTERM and SIGHUP end the gnuplot runs and make
 * plot_run_jobs() fail, so that the caller can remove what was made;
 * SIGPIPE is ignored, so that a lost stdout is an error to undo.
 */
void plot_catch_signals(void);

/* The signal that arrived, or 0. */
int plot_interrupted(void);

/**
 * plot_run_jobs() - run @gnuplot for each job, as many at once as there
 * are CPUs.  After a failure or a signal none starts; those running are
 * waited for.  gnuplot exits 0 when it could not write its output (a
 * full disk), so every figure is then read back: not empty, and whole
 * (a PNG ends with its IEND chunk, an SVG with </svg>).
 * Return: 0 when every figure was drawn whole, or -1 after one error
 * line naming the figure, its results file and the cause.
 */
int plot_run_jobs(struct plot_job *jobs, size_t n, const char *gnuplot);

/* gnuplot's warnings from a job that succeeded, one warning line each. */
void plot_job_warnings(const struct plot_job *j);

/* Close the job's message file. */
void plot_job_free(struct plot_job *j);

#endif
