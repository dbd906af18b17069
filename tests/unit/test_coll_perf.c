// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvexit run --perf's reading of perf stat, against a stand-in "perf" on
 * PATH (a shell script printing what perf stat -x, -I prints): per-phase
 * deltas between markers, and one clear reason for each way perf can
 * fail (not installed, an error at start, output it does not expect),
 * and its stop: by SIGINT even where pvexit's was ignored, with its last
 * print read however long, and by SIGKILL when SIGINT does not end it.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collector.h"
#include "unit.h"

static char dir[] = "/tmp/pvx-perf-XXXXXX";

/* Put a perf that runs @body (sh, with $fd the --log-fd) first on PATH. */
static void fake_perf(const char *body)
{
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "%s/perf", dir);
	f = fopen(path, "w");
	if (!f)
		return;
	fprintf(f,
		"#!/bin/sh\n"
		"while [ $# -gt 0 ]; do [ \"$1\" = --log-fd ] && fd=$2; shift; done\n"
		"%s\n",
		body);
	fclose(f);
	chmod(path, 0755);
}

/* Prints every 10 ms: 5 kvm_exit and 3 kvm_ppc_instr each time. */
static const char *const steady =
	"i=0; while :; do i=$((i+1)); "
	"printf '     0.%06d,5,,kvm_pr:kvm_exit,100,100.00,,\\n     0.%06d,3,,kvm:kvm_ppc_instr,100,100.00,,\\n' $i $i >&$fd; "
	"sleep 0.01; done";

static const uint64_t no_segments[2];

static void test_deltas(void)
{
	struct pvx_coll_phases ph = { .n = 2, .segment = no_segments };
	struct pvx_collector *p = pvx_coll_open(PVX_COLL_PERF, &(struct pvx_coll_opts){ 0 });
	struct pvx_phase_exits *out;
	pid_t tid = getpid();

	fake_perf(steady);
	CHECK("run_perf: opens", p->available);
	if (!CHECK("run_perf: starts with a perf that prints", pvx_coll_start(p, tid) == 0)) {
		printf("  why: %s\n", p->why);
		pvx_coll_close(p);
		return;
	}
	pvx_coll_mark(p, tid, 0);
	usleep(50000);
	pvx_coll_mark(p, tid, -1); /* phase 0 closed */
	usleep(30000);
	pvx_coll_mark(p, tid, 1);
	pvx_coll_mark(p, tid, -1); /* phase 1: marked twice in a row */
	out = pvx_coll_read(p, tid, &ph, true);
	if (!CHECK("run_perf: stops cleanly", out != NULL)) {
		printf("  why: %s\n", p->why);
		pvx_coll_close(p);
		return;
	}
	/* Whole prints only, at least the two each marker waits for. */
	CHECK("run_perf: a phase's kvm_exit count is whole prints",
	      out[0].exits >= 10 && out[0].exits % 5 == 0);
	CHECK_EQ_U64("run_perf: kvm_ppc_instr from the same prints", out[0].instr * 5,
		     out[0].exits * 3);
	CHECK_EQ_U64("run_perf: its emulation exits are kvm_ppc_instr", out[0].emul, out[0].instr);
	CHECK("run_perf: a back-to-back phase gets the prints between its markers",
	      out[1].exits >= 10 && out[1].instr * 5 == out[1].exits * 3);
	free(out);
	pvx_coll_close(p);
}

/* One phase, marked and read with the perf on PATH: its counts, or NULL. */
static struct pvx_phase_exits *one_phase(void)
{
	struct pvx_coll_phases ph = { .n = 1, .segment = no_segments };
	struct pvx_collector *p = pvx_coll_open(PVX_COLL_PERF, &(struct pvx_coll_opts){ 0 });
	struct pvx_phase_exits *out = NULL;
	pid_t tid = getpid();

	if (pvx_coll_start(p, tid) == 0) {
		pvx_coll_mark(p, tid, 0);
		pvx_coll_mark(p, tid, -1);
		out = pvx_coll_read(p, tid, &ph, true);
	}
	pvx_coll_close(p);
	return out;
}

/* A stand-in that does @on_int when SIGINT comes, then says so in
 * DIR/said; it prints as steady does until then.  Return: a stop that
 * gave the counts, and DIR/said's first line in @said ("" if none). */
static bool stop_with(const char *on_int, char *said, size_t len)
{
	struct pvx_phase_exits *out;
	char body[1024], path[64];
	FILE *f;

	snprintf(path, sizeof(path), "%s/said", dir);
	unlink(path);
	snprintf(body, sizeof(body), "trap '%s; echo stopped >%s; exit 0' INT\n%s", on_int, path,
		 steady);
	fake_perf(body);
	out = one_phase();
	*said = '\0';
	f = fopen(path, "r");
	if (f) {
		if (!fgets(said, (int)len, f))
			*said = '\0';
		said[strcspn(said, "\n")] = '\0';
		fclose(f);
	}
	free(out);
	return out != NULL;
}

static void test_stop(void)
{
	struct pvx_phase_exits *out;
	char said[64], body[1024];

	CHECK("run_perf stop: SIGINT ends perf", stop_with(":", said, sizeof(said)));
	CHECK_STR_CONTAINS("run_perf stop: perf saw the SIGINT", said, "stopped");

	/* As under nohup: without the reset, perf would never see SIGINT. */
	signal(SIGINT, SIG_IGN);
	CHECK("run_perf stop: pvexit's SIGINT ignored: perf still ends",
	      stop_with(":", said, sizeof(said)));
	CHECK_STR_CONTAINS("run_perf stop: pvexit's SIGINT ignored: perf's is not", said,
			   "stopped");
	signal(SIGINT, SIG_DFL);

	/* 256 KiB, four pipes' worth, after SIGINT: it must all be read. */
	CHECK("run_perf stop: a long last print is read",
	      stop_with("i=0; while [ $i -lt 4096 ]; do printf \"%063d\\n\" 0 >&$fd; "
			"i=$((i+1)); done",
			said, sizeof(said)));
	CHECK_STR_CONTAINS("run_perf stop: a long last print: perf ended by itself", said,
			   "stopped");

	/* A perf that ignores SIGINT itself is killed, the counts kept. */
	snprintf(body, sizeof(body), "trap '' INT\n%s", steady);
	fake_perf(body);
	out = one_phase();
	CHECK("run_perf stop: a perf deaf to SIGINT is killed, its counts kept",
	      out && out[0].exits >= 10);
	free(out);
}

static void expect_fail(const char *name, const char *body, const char *says, bool at_start)
{
	struct pvx_coll_phases ph = { .n = 1, .segment = no_segments };
	struct pvx_collector *p = pvx_coll_open(PVX_COLL_PERF, &(struct pvx_coll_opts){ 0 });
	pid_t tid = getpid();
	char title[160];
	int rc;

	fake_perf(body);
	rc = pvx_coll_start(p, tid);
	if (at_start) {
		snprintf(title, sizeof(title), "run_perf: %s: no start", name);
		CHECK(title, rc < 0 && !p->running);
	} else if (rc == 0) {
		pvx_coll_mark(p, tid, 0);
		pvx_coll_mark(p, tid, -1);
		snprintf(title, sizeof(title), "run_perf: %s: stop fails", name);
		CHECK(title, pvx_coll_read(p, tid, &ph, true) == NULL);
	} else {
		snprintf(title, sizeof(title), "run_perf: %s: starts", name);
		CHECK(title, 0);
	}
	snprintf(title, sizeof(title), "run_perf: %s: says why", name);
	CHECK_STR_CONTAINS(title, p->why, says);
	pvx_coll_close(p);
}

/* perf's messages go to a file nobody else can name: none is left in
 * $TMPDIR, predictable or not. */
static void test_no_named_files(void)
{
	char tmp[] = "/tmp/pvx-perf-tmpdir-XXXXXX", cmd[160];
	const char *old = getenv("TMPDIR");
	struct pvx_coll_phases ph = { .n = 1, .segment = no_segments };
	struct pvx_collector *p;
	pid_t tid = getpid();
	char *keep = old ? strdup(old) : NULL;
	FILE *ls;
	int entries = 0;

	if (!CHECK("run_perf: a TMPDIR to watch", mkdtemp(tmp) != NULL))
		return;
	setenv("TMPDIR", tmp, 1);
	fake_perf(steady);
	p = pvx_coll_open(PVX_COLL_PERF, &(struct pvx_coll_opts){ 0 });
	if (pvx_coll_start(p, tid) == 0) {
		snprintf(cmd, sizeof(cmd), "ls -A %s", tmp);
		ls = popen(cmd, "r");
		while (ls && fgetc(ls) != EOF)
			entries++;
		if (ls)
			pclose(ls);
		free(pvx_coll_read(p, tid, &ph, true));
	}
	CHECK("run_perf: nothing of perf's named in TMPDIR while it runs", entries == 0);
	pvx_coll_close(p);
	if (keep)
		setenv("TMPDIR", keep, 1);
	else
		unsetenv("TMPDIR");
	free(keep);
	rmdir(tmp);
}

int main(void)
{
	char path[4096];
	const char *env = getenv("PATH");
	char *old = env ? strdup(env) : NULL;

	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(path, sizeof(path), "%s:%s", dir, old ? old : "/bin:/usr/bin");
	setenv("PATH", path, 1);

	/* A stop that hangs fails the test instead of hanging make check. */
	alarm(120);
	test_deltas();
	test_no_named_files();
	test_stop();
	expect_fail("perf's own error at start",
		    "echo 'event syntax error: kvm_pr:kvm_exit' >&2; exit 129",
		    "perf stat stopped: event syntax error", true);
	expect_fail("a line it cannot read", "echo 'garbage,1' >&$fd; sleep 5", "unexpected line",
		    true);
	expect_fail("a count that is not a number",
		    "printf '0.01,<not supported>,,kvm_pr:kvm_exit,0,100.00,,\\n' >&$fd; sleep 5",
		    "counted kvm_pr:kvm_exit: '<not supported>'", true);
	expect_fail(
		"perf dying mid-run",
		"printf '0.01,1,,kvm_pr:kvm_exit,1,1,,\\n0.01,1,,kvm:kvm_ppc_instr,1,1,,\\n' >&$fd; echo 'killed' >&2; exit 1",
		"perf stat stopped: killed", false);
	/* Not on PATH at all. */
	setenv("PATH", "/nonexistent", 1);
	expect_fail("no perf", "", "cannot run perf", true);

	setenv("PATH", old ? old : "/bin:/usr/bin", 1);
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	if (system(path))
		fprintf(stderr, "could not remove %s\n", dir);
	free(old);
	return unit_done();
}
