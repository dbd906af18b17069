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
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "run_trace.h"
#include "trace_decode.h"
#include "trace_record.h"
#include "util.h"

struct run_trace {
	pid_t child;
	char path[64];
};

struct run_trace *run_trace_start(char *why, size_t len)
{
	struct run_trace *t = pvx_xcalloc(1, sizeof(*t));
	struct pollfd pfd;
	pid_t self = getpid();
	char one = 0;
	int fds[2], st, n;

	snprintf(t->path, sizeof(t->path), "/tmp/pvexit-run-%d.pvtrace", (int)self);
	if (pipe(fds) < 0) {
		snprintf(why, len, "cannot start the trace recorder: %s", strerror(errno));
		free(t);
		return NULL;
	}
	t->child = fork();
	if (t->child < 0) {
		snprintf(why, len, "cannot start the trace recorder: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		free(t);
		return NULL;
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
		return t;
	if (n == 0 && waitpid(t->child, &st, WNOHANG) == 0) {
		snprintf(why, len, "the trace recorder did not start within 10 s");
		kill(t->child, SIGTERM);
	} else {
		snprintf(why, len, "the trace recorder stopped before recording");
	}
	waitpid(t->child, &st, 0);
	unlink(t->path);
	free(t);
	return NULL;
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

int run_trace_stop(struct run_trace *t, const struct launch_result *r, struct pvx_phase_exits *out,
		   char *why, size_t len)
{
	struct pvx_trace tr;
	char err[512];
	pid_t tid = (pid_t)syscall(SYS_gettid);
	unsigned int i;
	size_t k;
	int st, rc = -1;

	memset(out, 0, r->nphases * sizeof(*out));
	kill(t->child, SIGINT);
	while (waitpid(t->child, &st, 0) < 0 && errno == EINTR)
		;
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
		for (i = 0; i < r->nphases; i++)
			if (r->phases[i].segment == row->seg)
				add_row(&out[i], row, pvx_trace_clock_is_ns(tr.clock));
	}
	pvx_trace_free(&tr);
	rc = 0;
out:
	unlink(t->path);
	free(t);
	return rc;
}
