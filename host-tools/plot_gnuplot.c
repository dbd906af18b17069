// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvexit plot's staging directory and gnuplot runs (plot_gnuplot.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "plot_gnuplot.h"
#include "proc.h"
#include "util.h"

static volatile sig_atomic_t interrupted;

void plot_path_fmt(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}

void plot_strv_push(char ***v, size_t *n, const char *s)
{
	*v = pvx_xrealloc(*v, *n + 1, sizeof(**v));
	(*v)[(*n)++] = pvx_xstrdup(s);
}

void plot_strv_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

bool plot_find_on_path(const char *name, char *buf, size_t len)
{
	const char *path = getenv("PATH"), *p, *end;

	for (p = path ? path : ""; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, ':');
		if (end == p)
			continue;
		snprintf(buf, len, "%.*s/%s", (int)(end - p), p, name);
		if (!access(buf, X_OK))
			return true;
	}
	return false;
}

int plot_stage_open(struct plot_stage *st, const char *outdir)
{
	struct stat sb;

	memset(st, 0, sizeof(*st));
	st->outdir = outdir;
	if (stat(outdir, &sb) == 0) {
		if (!S_ISDIR(sb.st_mode)) {
			pvx_err("-o %s: not a directory", outdir);
			return -1;
		}
	} else if (errno != ENOENT || mkdir(outdir, 0777)) {
		pvx_err("-o %s: %s", outdir, strerror(errno));
		return -1;
	} else {
		st->made_outdir = true;
	}
	plot_path_fmt(st->dir, sizeof(st->dir), "%s/.pvexit-plot.XXXXXX", outdir);
	if (!mkdtemp(st->dir)) {
		pvx_err("cannot make a directory in %s: %s", outdir, strerror(errno));
		if (st->made_outdir)
			rmdir(outdir);
		return -1;
	}
	return 0;
}

void plot_stage_add(struct plot_stage *st, const char *name, bool keep)
{
	if (keep)
		plot_strv_push(&st->names, &st->nnames, name);
	else
		plot_strv_push(&st->scratch, &st->nscratch, name);
}

static void unlink_all(const struct plot_stage *st, char **names, size_t n)
{
	char path[PATH_MAX];
	size_t i;

	for (i = 0; i < n; i++) {
		plot_path_fmt(path, sizeof(path), "%s/%s", st->dir, names[i]);
		unlink(path);
	}
}

static void stage_free(struct plot_stage *st)
{
	plot_strv_free(st->names, st->nnames);
	plot_strv_free(st->scratch, st->nscratch);
	st->names = st->scratch = NULL;
	st->nnames = st->nscratch = 0;
}

void plot_stage_abort(struct plot_stage *st)
{
	unlink_all(st, st->names, st->nnames);
	unlink_all(st, st->scratch, st->nscratch);
	rmdir(st->dir);
	if (st->made_outdir)
		rmdir(st->outdir);
	stage_free(st);
}

int plot_stage_commit(struct plot_stage *st)
{
	char from[PATH_MAX], to[PATH_MAX];
	size_t i;

	for (i = 0; i < st->nnames; i++) {
		plot_path_fmt(from, sizeof(from), "%s/%s", st->dir, st->names[i]);
		plot_path_fmt(to, sizeof(to), "%s/%s", st->outdir, st->names[i]);
		if (rename(from, to)) {
			pvx_err("cannot rename %s to %s: %s", from, to, strerror(errno));
			return -1;
		}
	}
	unlink_all(st, st->scratch, st->nscratch);
	rmdir(st->dir);
	for (i = 0; i < st->nnames; i++)
		printf("%s/%s\n", st->outdir, st->names[i]);
	stage_free(st);
	return 0;
}

static void on_signal(int sig)
{
	interrupted = sig;
}

void plot_catch_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	/* No SA_RESTART: waitpid() returns, and the runs are ended. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

int plot_interrupted(void)
{
	return interrupted;
}

static int start_job(struct plot_job *j, const char *gnuplot)
{
	int fd;

	fd = open(j->errfile, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0) {
		pvx_err("cannot write %s: %s", j->errfile, strerror(errno));
		return -1;
	}
	j->pid = fork();
	if (j->pid < 0) {
		pvx_err("cannot start gnuplot: %s", strerror(errno));
		close(fd);
		return -1;
	}
	if (j->pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		if (null < 0 || dup2(null, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
			_exit(127);
		execl(gnuplot, "gnuplot", "-e", j->expr, j->script, (char *)NULL);
		fprintf(stderr, "cannot run %s: %s\n", gnuplot, strerror(errno));
		_exit(127);
	}
	close(fd);
	return 0;
}

/*
 * Call @fn for each line of @path that says something (gnuplot marks
 * where an error is with a line of blanks and a caret).
 */
static void each_line(const char *path, void (*fn)(const char *line, void *arg), void *arg)
{
	char line[1024];
	FILE *f = fopen(path, "r");

	while (f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (line[strspn(line, " \t^")])
			fn(line, arg);
	}
	if (f)
		fclose(f);
}

static void keep_line(const char *line, void *arg)
{
	snprintf(arg, 1024, "%s", line);
}

static void warn_line(const char *line, void *arg)
{
	pvx_warn("gnuplot, %s: %s", ((const struct plot_job *)arg)->output, line);
}

void plot_job_warnings(const struct plot_job *j)
{
	each_line(j->errfile, warn_line, (void *)j);
}

static int job_status(const struct plot_job *j, int status)
{
	char msg[1024] = "no message";

	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	/* gnuplot's error is the last thing it said. */
	each_line(j->errfile, keep_line, msg);
	if (WIFSIGNALED(status))
		pvx_err("gnuplot drawing %s was killed by signal %d", j->output, WTERMSIG(status));
	else
		pvx_err("gnuplot failed drawing %s (exit status %d): %s", j->output,
			WEXITSTATUS(status), msg);
	return -1;
}

/* The jobs started so far, for end_jobs(). */
struct started {
	struct plot_job *jobs;
	size_t n;
};

/* A signal cut the wait short: if it was one of ours, end the runs. */
static void end_jobs(void *arg)
{
	const struct started *s = arg;
	size_t i;

	for (i = 0; interrupted && i < s->n; i++)
		if (s->jobs[i].pid > 0)
			kill(s->jobs[i].pid, SIGTERM);
}

int plot_run_jobs(struct plot_job *jobs, size_t n, const char *gnuplot)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	size_t next = 0, running = 0, i;
	struct started started = { jobs, 0 };
	int ret = 0, status;
	pid_t pid;

	if (ncpu < 1)
		ncpu = 1;
	while (next < n || running) {
		while (!ret && !interrupted && next < n && running < (size_t)ncpu) {
			if (start_job(&jobs[next], gnuplot)) {
				ret = -1;
				break;
			}
			next++;
			running++;
		}
		if (!running)
			break;
		started.n = next;
		pid = pvx_wait_intr(-1, &status, end_jobs, &started);
		if (pid < 0) {
			pvx_err("waiting for gnuplot: %s", strerror(errno));
			return -1;
		}
		for (i = 0; i < next; i++) {
			if (jobs[i].pid != pid)
				continue;
			jobs[i].pid = 0;
			running--;
			if (!ret && !interrupted && job_status(&jobs[i], status))
				ret = -1;
		}
	}
	if (interrupted && !ret) {
		pvx_err("interrupted by signal %d; nothing written", (int)interrupted);
		ret = -1;
	}
	return ret;
}
