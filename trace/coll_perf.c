// SPDX-License-Identifier: GPL-2.0-only
/*
 * perf stat has no notion of our phases, so it runs in interval mode
 * (-I 10, CSV) and pvexit reads its lines as they come.  At a phase
 * marker the vCPU is stopped, so once perf has printed twice more
 * (the second print's counters were read after the stop) the running
 * totals are exactly those at the marker; a phase's counts are the
 * difference of the totals at its two markers.
 *
 * perf stat counts events, not exit vectors: its emulation-exit figure
 * is the kvm_ppc_instr count, which KVM emits once per emulated
 * instruction, the same event the BPF collector and the trace decoder
 * count as "kvm_ppc_instr" (equal to their PROGRAM exits on every row).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "collector.h"
#include "proc.h"
#include "tmp.h"
#include "util.h"

#define PERF_EVENTS "kvm_pr:kvm_exit,kvm:kvm_ppc_instr"
#define INTERVAL_MS "10"
#define WAIT_MS 30000 /* perf starting or printing, in an emulated host */
#define STOP_MS 5000 /* perf's last print and exit after SIGINT */

enum { EV_EXIT, EV_INSTR, NEV };
static const char *const ev_names[NEV] = { "kvm_pr:kvm_exit", "kvm:kvm_ppc_instr" };

struct run_perf {
	pid_t child;
	int fd; /* perf's --log-fd, read end */
	int err_fd; /* perf's stderr: an unlinked file of ours */
	char buf[4096];
	size_t len;
	char ts[32]; /* the print being read: its timestamp ... */
	unsigned int seen; /* ... and the events read for it */
	uint64_t prints;
	uint64_t total[NEV], mark[NEV];
	int cur; /* the phase since the last marker, or -1 */
	char fail[256]; /* set once something went wrong */
	uint64_t (*counts)[NEV]; /* per phase */
	size_t ncounts;
};

/* perf's last words, for a reason that says something. */
static void perf_said(struct run_perf *p, char *out, size_t len)
{
	char line[256], last[256] = "";
	int fd = p->err_fd >= 0 ? dup(p->err_fd) : -1;
	FILE *f = fd >= 0 ? fdopen(fd, "r") : NULL;

	if (fd >= 0 && !f)
		close(fd);
	if (f)
		rewind(f);

	while (f && fgets(line, sizeof(line), f))
		if (line[0] != '\n')
			snprintf(last, sizeof(last), "%s", line);
	if (f)
		fclose(f);
	last[strcspn(last, "\n")] = '\0';
	snprintf(out, len, "%s", last[0] ? last : "no message");
}

/* One CSV line: time,count,unit,event,... */
static int take_line(struct run_perf *p, char *line)
{
	char *f[4], *s = line, *end;
	unsigned long long n;
	int i, ev;

	while (*s == ' ')
		s++;
	if (!*s || *s == '#')
		return 0;
	for (i = 0; i < 4; i++) {
		f[i] = s;
		s = strchr(s, ',');
		if (!s && i < 3)
			goto bad;
		if (s)
			*s++ = '\0';
	}
	for (ev = 0; ev < NEV; ev++)
		if (!strcmp(f[3], ev_names[ev]))
			break;
	if (ev == NEV)
		goto bad;
	if (!strcmp(f[1], "<not counted>")) {
		n = 0; /* the thread did not run */
	} else {
		errno = 0;
		n = strtoull(f[1], &end, 10);
		if (errno || end == f[1] || *end) {
			snprintf(p->fail, sizeof(p->fail), "perf stat counted %s: '%s'", f[3],
				 f[1]);
			return -1;
		}
	}
	if (strlen(f[0]) >= sizeof(p->ts))
		goto bad;
	if (strcmp(f[0], p->ts)) {
		memcpy(p->ts, f[0], strlen(f[0]) + 1);
		p->seen = 0;
	}
	p->total[ev] += n;
	p->seen |= 1u << ev;
	if (p->seen == (1u << NEV) - 1) {
		p->prints++;
		p->seen = 0;
	}
	return 0;
bad:
	snprintf(p->fail, sizeof(p->fail), "perf stat printed an unexpected line: %.120s", line);
	return -1;
}

/* Read what perf wrote, waiting up to @ms for something (0: not at all). */
static int pump(struct run_perf *p, int ms)
{
	struct pollfd pfd = { .fd = p->fd, .events = POLLIN };
	char *nl;
	ssize_t n;
	int r;

	do
		r = poll(&pfd, 1, ms);
	while (r < 0 && errno == EINTR);
	if (r == 0) {
		if (ms)
			snprintf(p->fail, sizeof(p->fail), "perf stat printed nothing for %d s",
				 ms / 1000);
		return ms ? -1 : 0;
	}
	n = read(p->fd, p->buf + p->len, sizeof(p->buf) - 1 - p->len);
	if (n <= 0) {
		char said[200];

		perf_said(p, said, sizeof(said));
		snprintf(p->fail, sizeof(p->fail), "perf stat stopped: %s", said);
		return -1;
	}
	p->len += (size_t)n;
	p->buf[p->len] = '\0';
	while ((nl = strchr(p->buf, '\n'))) {
		*nl = '\0';
		if (take_line(p, p->buf))
			return -1;
		p->len -= (size_t)(nl + 1 - p->buf);
		memmove(p->buf, nl + 1, p->len + 1);
	}
	if (p->len == sizeof(p->buf) - 1) {
		snprintf(p->fail, sizeof(p->fail), "perf stat printed a line too long to read");
		return -1;
	}
	return 0;
}

/* Two more complete prints than now. */
static int settle(struct run_perf *p)
{
	uint64_t want;

	for (;;) {
		struct pollfd pfd = { .fd = p->fd, .events = POLLIN };

		if (poll(&pfd, 1, 0) <= 0)
			break;
		if (pump(p, 0))
			return -1;
	}
	want = p->prints + 2;
	while (p->prints < want)
		if (pump(p, WAIT_MS))
			return -1;
	return 0;
}

static void child(pid_t tid, int log_fd, int err_fd)
{
	char tidarg[16], fdarg[16];
	sigset_t intr;

	/* SIGINT is how perf is stopped: pvexit may have been started with
	 * it ignored (nohup, a script's &), which exec would pass on. */
	signal(SIGINT, SIG_DFL);
	sigemptyset(&intr);
	sigaddset(&intr, SIGINT);
	sigprocmask(SIG_UNBLOCK, &intr, NULL);
	if (err_fd >= 0) {
		dup2(err_fd, 2);
		dup2(err_fd, 1);
	}
	snprintf(tidarg, sizeof(tidarg), "%d", (int)tid);
	snprintf(fdarg, sizeof(fdarg), "%d", log_fd);
	execlp("perf", "perf", "stat", "-e", PERF_EVENTS, "-x", ",", "-I", INTERVAL_MS, "--log-fd",
	       fdarg, "-t", tidarg, (char *)NULL);
	fprintf(stderr, "cannot run perf: %s\n", strerror(errno));
	_exit(127);
}

/* perf stat starts afresh for each guest run. */
struct perf_state {
	struct run_perf *run; /* the guest run's under way, or NULL */
};

static int perf_open(void **priv, const struct pvx_coll_opts *o, char *why, size_t len)
{
	(void)o;
	(void)why;
	(void)len;
	*priv = pvx_xcalloc(1, sizeof(struct perf_state));
	return 0;
}

static void perf_close(void *priv)
{
	free(priv);
}

static void perf_free(struct run_perf *p)
{
	if (p->err_fd >= 0)
		close(p->err_fd);
	free(p->counts);
	free(p);
}

static int perf_start(void *priv, pid_t tid, char *why, size_t len)
{
	struct run_perf *p = pvx_xcalloc(1, sizeof(*p));
	char err[512];
	int fds[2];

	p->cur = -1;
	p->err_fd = pvx_tmpfile_fd("perf", err, sizeof(err));
	if (p->err_fd < 0) {
		snprintf(why, len, "cannot start perf stat: %s", err);
		goto fail;
	}
	if (pipe(fds) < 0) {
		snprintf(why, len, "cannot start perf stat: %s", strerror(errno));
		goto fail;
	}
	p->child = fork();
	if (p->child < 0) {
		snprintf(why, len, "cannot start perf stat: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		goto fail;
	}
	if (p->child == 0) {
		close(fds[0]);
		child(tid, fds[1], p->err_fd);
	}
	close(fds[1]);
	p->fd = fds[0];
	/* Counting has begun once it prints. */
	while (!p->prints)
		if (pump(p, WAIT_MS)) {
			snprintf(why, len, "%s", p->fail);
			kill(p->child, SIGKILL);
			pvx_wait(p->child, NULL);
			close(p->fd);
			goto fail;
		}
	memcpy(p->mark, p->total, sizeof(p->mark));
	((struct perf_state *)priv)->run = p;
	return 0;
fail:
	perf_free(p);
	return -1;
}

/*
 * SIGINT, then read until perf closes its end: its last print must not
 * wait on a full pipe while we wait on perf.  The counts were all taken
 * at the markers, so what it prints now is not needed, and a perf that
 * will not end is killed.
 */
static void perf_stop(struct run_perf *p)
{
	uint64_t end = pvx_now_ns() + STOP_MS * 1000000ull, now;
	char sink[4096];
	bool closed = false;
	ssize_t n;
	int r;

	kill(p->child, SIGINT);
	while (!closed && (now = pvx_now_ns()) < end) {
		struct pollfd pfd = { .fd = p->fd, .events = POLLIN };

		r = poll(&pfd, 1, (int)((end - now + 999999) / 1000000));
		if (r < 0 && errno != EINTR)
			break;
		if (r <= 0)
			continue;
		n = read(p->fd, sink, sizeof(sink));
		if (n < 0 && errno != EINTR && errno != EAGAIN)
			break;
		closed = n == 0;
	}
	if (!closed)
		kill(p->child, SIGKILL);
	pvx_wait(p->child, NULL);
	close(p->fd);
}

static void perf_mark(void *priv, pid_t tid, int phase)
{
	struct run_perf *p = ((struct perf_state *)priv)->run;
	size_t n;
	int ev;

	(void)tid;
	if (!p || p->fail[0] || settle(p))
		return;
	if (p->cur >= 0) {
		if ((size_t)p->cur >= p->ncounts) {
			n = 2 * (size_t)p->cur + 16;
			p->counts = pvx_xrealloc(p->counts, n, sizeof(*p->counts));
			memset(p->counts + p->ncounts, 0, (n - p->ncounts) * sizeof(*p->counts));
			p->ncounts = n;
		}
		for (ev = 0; ev < NEV; ev++)
			p->counts[p->cur][ev] += p->total[ev] - p->mark[ev];
	}
	memcpy(p->mark, p->total, sizeof(p->mark));
	p->cur = phase;
}

static int perf_read(void *priv, pid_t tid, const struct pvx_coll_phases *ph,
		     struct pvx_phase_exits *out, char *why, size_t len)
{
	struct run_perf *p = ((struct perf_state *)priv)->run;
	unsigned int i;
	int rc = -1;

	(void)tid;
	((struct perf_state *)priv)->run = NULL;
	memset(out, 0, ph->n * sizeof(*out));
	perf_stop(p);
	if (p->fail[0]) {
		snprintf(why, len, "%s", p->fail);
	} else {
		for (i = 0; i < ph->n && i < p->ncounts; i++) {
			out[i].exits = p->counts[i][EV_EXIT];
			out[i].instr = p->counts[i][EV_INSTR];
			out[i].emul = out[i].instr;
		}
		rc = 0;
	}
	perf_free(p);
	return rc;
}

const struct pvx_collector_ops pvx_coll_perf_ops = {
	.open = perf_open,
	.start = perf_start,
	.mark = perf_mark,
	.read = perf_read,
	.close = perf_close,
};
