// SPDX-License-Identifier: GPL-2.0-only
/*
 * The trace as pvexit run's third counter.  A child process records this
 * process's threads (trace_record.c) while the launcher runs the guest;
 * the decoder splits each thread's exits at its MMIO exits, and every
 * channel record is one MMIO exit, so the exits of a phase are the
 * segment numbered by the records sent up to its begin marker.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "collector.h"
#include "proc.h"
#include "tmp.h"
#include "trace_decode.h"
#include "trace_record.h"
#include "util.h"

struct coll_trace {
	pid_t child; /* the recorder of the guest run under way, or 0 */
	char dir[4096]; /* its private directory ... */
	char path[4200]; /* ... and the recording in it */
};

static int trace_open(void **priv, const struct pvx_coll_opts *o, char *why, size_t len)
{
	(void)o;
	(void)why;
	(void)len;
	*priv = pvx_xcalloc(1, sizeof(struct coll_trace));
	return 0;
}

static void trace_close(void *priv)
{
	free(priv);
}

static void trace_mark(void *priv, pid_t tid, int phase)
{
	/* The decoder finds the markers in the trace itself. */
	(void)priv;
	(void)tid;
	(void)phase;
}

static int trace_start(void *priv, pid_t tid, char *why, size_t len)
{
	struct coll_trace *t = priv;
	struct pollfd pfd;
	pid_t self = getpid();
	char one = 0, err[512];
	int fds[2], st, n;

	(void)tid;
	if (pvx_tmpdir_make("trace", t->dir, sizeof(t->dir), err, sizeof(err)) < 0) {
		snprintf(why, len, "cannot start the trace recorder: %s", err);
		return -1;
	}
	snprintf(t->path, sizeof(t->path), "%s/run.pvtrace", t->dir);
	if (pipe(fds) < 0) {
		snprintf(why, len, "cannot start the trace recorder: %s", strerror(errno));
		pvx_tmpdir_remove(t->dir);
		return -1;
	}
	t->child = fork();
	if (t->child < 0) {
		snprintf(why, len, "cannot start the trace recorder: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		pvx_tmpdir_remove(t->dir);
		return -1;
	}
	if (t->child == 0) {
		struct pvx_record_opts o = {
			.out = t->path, .pid = self, .buffer_kb = 65536, .ready_fd = fds[1]
		};
		struct pvx_record_result res;
		char err[512];

		close(fds[0]);
		if (pvx_trace_record(&o, &res, err, sizeof(err)) < 0) {
			fprintf(stderr, "%s: error: trace: %s\n", pvx_prog, err);
			_exit(1);
		}
		_exit(res.lost ? 3 : 0);
	}
	close(fds[1]);
	/* The guest must not start before the events are on: its first
	 * phases would go uncounted and fail as a disagreement. */
	pfd.fd = fds[0];
	pfd.events = POLLIN;
	do
		n = poll(&pfd, 1, 10000);
	while (n < 0 && errno == EINTR);
	if (n > 0)
		n = (int)read(fds[0], &one, 1);
	close(fds[0]);
	if (n == 1 && one == 1)
		return 0;
	if (n == 0 && pvx_wait_nohang(t->child, &st) == 0) {
		snprintf(why, len, "the trace recorder did not start within 10 s");
		kill(t->child, SIGTERM);
	} else {
		snprintf(why, len, "the trace recorder stopped before recording");
	}
	pvx_wait(t->child, &st);
	pvx_tmpdir_remove(t->dir);
	return -1;
}

static void add_row(struct pvx_phase_exits *p, const struct pvx_trace_row *row, bool ns)
{
	unsigned int i;

	pvx_phase_exits_exit(p, row->vector, row->cls, row->exits);
	pvx_phase_exits_instr(p, row->cls, row->instr);
	p->reenter += row->paired;
	if (ns)
		for (i = 0; i < PVX_HIST_SLOTS; i++)
			p->hist[i] += row->hist[i];
}

static int trace_read(void *priv, pid_t tid, const struct pvx_coll_phases *ph,
		      struct pvx_phase_exits *out, char *why, size_t len)
{
	struct coll_trace *t = priv;
	struct pvx_trace tr;
	char err[512];
	unsigned int i;
	size_t k;
	int st, rc = -1;

	memset(out, 0, ph->n * sizeof(*out));
	kill(t->child, SIGINT);
	pvx_wait(t->child, &st);
	if (!WIFEXITED(st) || (WEXITSTATUS(st) != 0 && WEXITSTATUS(st) != 3)) {
		snprintf(why, len, "the trace recorder failed (status %d)", st);
		goto out;
	}
	if (WEXITSTATUS(st) == 3) {
		snprintf(why, len, "the ring buffer lost events: trace counts are lower bounds");
		goto out;
	}
	if (pvx_trace_read(t->path, PVX_TRACE_SEGMENTS, &tr, err, sizeof(err)) < 0) {
		snprintf(why, len, "%s", err);
		goto out;
	}
	if (pvx_trace_lossy(&tr)) {
		snprintf(why, len, "the trace lost %llu events",
			 (unsigned long long)pvx_trace_lost(&tr));
		pvx_trace_free(&tr);
		goto out;
	}
	for (k = 0; k < tr.nrows; k++) {
		const struct pvx_trace_row *row = &tr.rows[k];

		if (row->tid != (uint32_t)tid)
			continue;
		for (i = 0; i < ph->n; i++)
			if (ph->segment[i] == row->seg)
				add_row(&out[i], row, pvx_trace_clock_is_ns(tr.clock));
	}
	pvx_trace_free(&tr);
	rc = 0;
out:
	pvx_tmpdir_remove(t->dir);
	return rc;
}

const struct pvx_collector_ops pvx_coll_trace_ops = {
	.open = trace_open,
	.start = trace_start,
	.mark = trace_mark,
	.read = trace_read,
	.close = trace_close,
};
