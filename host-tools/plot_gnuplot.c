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
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "plot_gnuplot.h"
#include "proc.h"
#include "tmp.h"
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
	/* mkdtemp makes it 0700: nobody else sees a figure half drawn. */
	plot_path_fmt(st->dir, sizeof(st->dir), "%s/.pvexit-plot.XXXXXX", outdir);
	if (!mkdtemp(st->dir)) {
		pvx_err("cannot make a directory in %s: %s", outdir, strerror(errno));
		st->dir[0] = '\0';
		if (st->made_outdir)
			rmdir(outdir);
		return -1;
	}
	return 0;
}

void plot_stage_add(struct plot_stage *st, const char *name)
{
	plot_strv_push(&st->names, &st->nnames, name);
}

/*
 * What outdir held under a name before the commit.  A replaced file is
 * kept as a hard link in the staging directory, so that outdir never
 * lacks it; where the file system has no hard links, it is moved there
 * just before its replacement arrives.
 */
enum old_file {
	OLD_NONE, /* nothing: the name is new */
	OLD_LINKED, /* a link to it in the staging directory */
	OLD_TO_MOVE, /* no link could be made: to be moved there */
	OLD_MOVED, /* moved there: outdir lacks it until the next rename */
};

static void stage_names(const struct plot_stage *st, size_t i, char *from, char *to, char *old)
{
	plot_path_fmt(from, PATH_MAX, "%s/%s", st->dir, st->names[i]);
	plot_path_fmt(to, PATH_MAX, "%s/%s", st->outdir, st->names[i]);
	plot_path_fmt(old, PATH_MAX, "%s/.old.%s", st->dir, st->names[i]);
}

/* Keep what outdir holds under name @i; -1 after one error line. */
static int keep_old(struct plot_stage *st, size_t i)
{
	char from[PATH_MAX], to[PATH_MAX], old[PATH_MAX];
	struct stat sb;

	stage_names(st, i, from, to, old);
	if (lstat(to, &sb)) {
		if (errno == ENOENT)
			return 0;
		pvx_err("cannot write %s in %s: %s", st->names[i], st->outdir, strerror(errno));
		return -1;
	}
	if (S_ISDIR(sb.st_mode)) {
		pvx_err("cannot write %s in %s: a directory is in its place", st->names[i],
			st->outdir);
		return -1;
	}
	if (!link(to, old)) {
		st->old[i] = OLD_LINKED;
	} else if (errno == EPERM || errno == EMLINK || errno == ENOTSUP || errno == EXDEV) {
		st->old[i] = OLD_TO_MOVE;
	} else {
		pvx_err("cannot write %s in %s: %s", st->names[i], st->outdir, strerror(errno));
		return -1;
	}
	return 0;
}

int plot_stage_commit(struct plot_stage *st)
{
	char from[PATH_MAX], to[PATH_MAX], old[PATH_MAX];
	size_t i;

	st->old = pvx_xcalloc(st->nnames ? st->nnames : 1, 1);
	/* Everything that can be found wrong is found before the first rename. */
	for (i = 0; i < st->nnames; i++)
		if (keep_old(st, i))
			return -1;
	for (i = 0; i < st->nnames; i++) {
		stage_names(st, i, from, to, old);
		if (st->old[i] == OLD_TO_MOVE) {
			if (rename(to, old)) {
				pvx_err("cannot write %s in %s: %s", st->names[i], st->outdir,
					strerror(errno));
				return -1;
			}
			st->old[i] = OLD_MOVED;
		}
		if (rename(from, to)) {
			pvx_err("cannot write %s in %s: %s", st->names[i], st->outdir,
				strerror(errno));
			return -1;
		}
		if (st->old[i] == OLD_MOVED)
			st->old[i] = OLD_LINKED;
		st->nrenamed = i + 1;
	}
	return 0;
}

void plot_stage_list(const struct plot_stage *st, FILE *f)
{
	size_t i;

	for (i = 0; i < st->nrenamed; i++)
		fprintf(f, "%s/%s\n", st->outdir, st->names[i]);
}

static void stage_free(struct plot_stage *st)
{
	plot_strv_free(st->names, st->nnames);
	free(st->old);
	st->names = NULL;
	st->old = NULL;
	st->nnames = st->nrenamed = 0;
}

void plot_stage_finish(struct plot_stage *st)
{
	pvx_tmpdir_remove(st->dir);
	stage_free(st);
}

void plot_stage_abort(struct plot_stage *st)
{
	char from[PATH_MAX], to[PATH_MAX], old[PATH_MAX];
	size_t i;

	/* Back to what outdir held, the last rename first; the name being
	 * renamed when the commit failed may have had its old file moved. */
	for (i = st->nnames; st->old && i-- > 0;) {
		stage_names(st, i, from, to, old);
		if (st->old[i] == OLD_MOVED || (i < st->nrenamed && st->old[i] == OLD_LINKED))
			rename(old, to);
		else if (i < st->nrenamed)
			unlink(to);
	}
	if (st->dir[0])
		pvx_tmpdir_remove(st->dir);
	if (st->made_outdir)
		rmdir(st->outdir);
	stage_free(st);
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
	/* A reader of stdout that went away must not end us between the
	 * renames and the list: the write fails instead, and is undone. */
	signal(SIGPIPE, SIG_IGN);
}

int plot_interrupted(void)
{
	return interrupted;
}

static int start_job(struct plot_job *j, const char *gnuplot)
{
	char err[PATH_MAX + 128];

	/* Outside outdir: a full output disk must not swallow the message
	 * that says so. */
	j->errfd = pvx_tmpfile_fd("gnuplot", err, sizeof(err));
	if (j->errfd < 0) {
		pvx_err("cannot draw %s: %s", j->output, err);
		return -1;
	}
	/* With a standard stream closed the file may have its number, which
	 * the child's dup2() calls below would take over. */
	if (j->errfd <= 2) {
		int fd = fcntl(j->errfd, F_DUPFD_CLOEXEC, 3);

		close(j->errfd);
		j->errfd = fd;
		if (fd < 0) {
			pvx_err("cannot draw %s: %s", j->output, strerror(errno));
			return -1;
		}
	}
	j->pid = fork();
	if (j->pid < 0) {
		pvx_err("cannot draw %s: cannot start gnuplot: %s", j->output, strerror(errno));
		return -1;
	}
	if (j->pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		signal(SIGPIPE, SIG_DFL);
		if (null < 0 || dup2(null, 0) < 0 || dup2(j->errfd, 1) < 0 || dup2(j->errfd, 2) < 0)
			_exit(127);
		execl(gnuplot, "gnuplot", "-e", j->expr, j->script, (char *)NULL);
		fprintf(stderr, "cannot run %s: %s\n", gnuplot, strerror(errno));
		_exit(127);
	}
	return 0;
}

void plot_job_free(struct plot_job *j)
{
	if (j->errfd >= 0)
		close(j->errfd);
	j->errfd = -1;
	free(j->expr);
	free(j->from);
	j->expr = j->from = NULL;
}

/*
 * Call @fn for each line gnuplot said that says something (it marks
 * where an error is with a line of blanks and a caret).
 */
static void each_line(const struct plot_job *j, void (*fn)(const char *line, void *arg), void *arg)
{
	char line[1024];
	int fd = j->errfd >= 0 ? dup(j->errfd) : -1;
	FILE *f;

	if (fd < 0 || lseek(fd, 0, SEEK_SET) < 0 || !(f = fdopen(fd, "r"))) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (line[strspn(line, " \t^")])
			fn(line, arg);
	}
	fclose(f);
}

/*
 * gnuplot's message without where in our script it arose ('"plots/x.gp"
 * line 35: '): the script is ours, the cause is in the results file.
 */
static const char *cause_of(const char *line)
{
	const char *p;

	if (line[0] != '"')
		return line;
	p = strstr(line, "\" line ");
	if (!p)
		return line;
	p += strlen("\" line ");
	p += strspn(p, "0123456789");
	return !strncmp(p, ": ", 2) ? p + 2 : line;
}

static void keep_line(const char *line, void *arg)
{
	snprintf(arg, 1024, "%s", cause_of(line));
}

static void warn_line(const char *line, void *arg)
{
	pvx_warn("gnuplot, %s: %s", ((const struct plot_job *)arg)->output, cause_of(line));
}

void plot_job_warnings(const struct plot_job *j)
{
	each_line(j, warn_line, (void *)j);
}

static int job_status(const struct plot_job *j, int status)
{
	char msg[1024] = "";

	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	/* gnuplot's error is the last thing it said. */
	each_line(j, keep_line, msg);
	if (WIFSIGNALED(status))
		pvx_err("cannot draw %s from %s: gnuplot was killed by signal %d", j->output,
			j->from, WTERMSIG(status));
	else if (*msg)
		pvx_err("cannot draw %s from %s: gnuplot failed: %s", j->output, j->from, msg);
	else
		pvx_err("cannot draw %s from %s: gnuplot failed (exit status %d) and said nothing",
			j->output, j->from, WEXITSTATUS(status));
	return -1;
}

/* The end of a whole figure of each format. */
static const struct {
	const char *ext;
	const char *head; /* its first bytes */
	size_t head_len;
	const char *tail; /* its last bytes, but for trailing white space */
	size_t tail_len;
	const char *what;
} formats[] = {
	/* The IEND chunk: a length of 0, its type, its CRC. */
	{ "png", "\x89PNG\r\n\x1a\n", 8, "\0\0\0\0IEND\xae\x42\x60\x82", 12, "no IEND chunk" },
	{ "svg", "<?xml", 5, "</svg>", 6, "no </svg> at its end" },
};

/*
 * Why the figure gnuplot wrote at @path, @size bytes, in @fd, is not
 * whole, into @why; or 0.
 */
static int incomplete(int fd, const char *path, off_t size, char *why, size_t len)
{
	const char *ext = strrchr(path, '.');
	char buf[512];
	size_t i, n, end;
	ssize_t got;

	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (ext && !strcmp(ext + 1, formats[i].ext))
			break;
	if (i == sizeof(formats) / sizeof(formats[0]))
		return 0;
	got = pread(fd, buf, formats[i].head_len, 0);
	if (got != (ssize_t)formats[i].head_len ||
	    memcmp(buf, formats[i].head, formats[i].head_len)) {
		pvx_set_err(why, len, "gnuplot wrote %lld bytes that do not begin a %s file",
			    (long long)size, formats[i].ext);
		return -1;
	}
	n = size < (off_t)sizeof(buf) ? (size_t)size : sizeof(buf);
	got = pread(fd, buf, n, size - (off_t)n);
	end = got > 0 ? (size_t)got : 0;
	while (end && strchr(" \t\r\n", buf[end - 1]))
		end--;
	if (end < formats[i].tail_len ||
	    memcmp(buf + end - formats[i].tail_len, formats[i].tail, formats[i].tail_len)) {
		pvx_set_err(why, len, "gnuplot wrote %lld bytes of %s, %s", (long long)size,
			    formats[i].ext, formats[i].what);
		return -1;
	}
	return 0;
}

/* Whether @j's figure is there, not empty and whole; else one error line. */
static int check_output(const struct plot_job *j)
{
	char why[256], said[1024] = "";
	struct statvfs vfs;
	struct stat sb;
	int fd, bad;

	fd = open(j->path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 || fstat(fd, &sb)) {
		pvx_set_err(why, sizeof(why), "gnuplot wrote nothing (%s)", strerror(errno));
		bad = -1;
	} else if (!S_ISREG(sb.st_mode) || !sb.st_size) {
		pvx_set_err(why, sizeof(why), "gnuplot wrote an empty file");
		bad = -1;
	} else {
		bad = incomplete(fd, j->path, sb.st_size, why, sizeof(why));
	}
	if (fd >= 0)
		close(fd);
	if (!bad)
		return 0;
	/* gnuplot exits 0 when its write fails: a full disk is the likely
	 * cause, and the one worth naming. */
	each_line(j, keep_line, said);
	if (!statvfs(j->path[0] ? j->path : ".", &vfs) && vfs.f_bavail == 0)
		pvx_err("cannot draw %s from %s: %s (%s)", j->output, j->from, strerror(ENOSPC),
			why);
	else if (*said)
		pvx_err("cannot draw %s from %s: %s: %s", j->output, j->from, why, said);
	else
		pvx_err("cannot draw %s from %s: %s", j->output, j->from, why);
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
			if (!ret && !interrupted &&
			    (job_status(&jobs[i], status) || check_output(&jobs[i])))
				ret = -1;
		}
	}
	if (interrupted && !ret) {
		pvx_err("interrupted by signal %d; nothing written", (int)interrupted);
		ret = -1;
	}
	return ret;
}
