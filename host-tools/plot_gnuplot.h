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
#include <sys/types.h>

/* Directories no longer than this leave room for the names made in them. */
#define PLOT_PATH_LIMIT (PATH_MAX - 128)

/* The output directory being filled, and what to undo on failure. */
struct plot_stage {
	char dir[PATH_MAX]; /* the hidden directory inside outdir */
	const char *outdir;
	bool made_outdir;
	char **names; /* files in dir, to be renamed into outdir */
	size_t nnames;
	char **scratch; /* files in dir that are not kept (gnuplot's messages) */
	size_t nscratch;
};

/* A gnuplot run: what it draws and where its messages go. */
struct plot_job {
	char *expr; /* the -e variables */
	char script[PATH_MAX];
	char output[96]; /* the figure's file name, for messages */
	char errfile[PATH_MAX];
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

/* A file @name made in the staging directory: kept, or scratch. */
void plot_stage_add(struct plot_stage *st, const char *name, bool keep);

/**
 * plot_stage_commit() - rename every kept file into outdir, list each on
 * stdout, remove the staging directory.
 * Return: 0, or -1 after one error line.
 */
int plot_stage_commit(struct plot_stage *st);

/* Remove everything made: the staging directory, and outdir if new. */
void plot_stage_abort(struct plot_stage *st);

/*
 * From now on SIGINT, SIGTERM and SIGHUP end the gnuplot runs and make
 * plot_run_jobs() fail, so that the caller can remove what was made.
 */
void plot_catch_signals(void);

/* The signal that arrived, or 0. */
int plot_interrupted(void);

/**
 * plot_run_jobs() - run @gnuplot for each job, as many at once as there
 * are CPUs.  After a failure or a signal none starts; those running are
 * waited for.
 * Return: 0 when every run succeeded, or -1 after one error line (the
 * failing run's last message).
 */
int plot_run_jobs(struct plot_job *jobs, size_t n, const char *gnuplot);

/* gnuplot's warnings from a job that succeeded, one warning line each. */
void plot_job_warnings(const struct plot_job *j);

#endif
