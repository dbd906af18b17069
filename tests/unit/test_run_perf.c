/*
 * pvexit run --perf's reading of perf stat, against a stand-in "perf" on
 * PATH (a shell script printing what perf stat -x, -I prints): per-phase
 * deltas between markers, and one clear reason for each way perf can
 * fail (not installed, an error at start, output it does not expect).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "run_perf.h"
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

static struct launch_result *result(unsigned int nphases)
{
	struct launch_result *r = calloc(1, sizeof(*r));

	if (r)
		r->nphases = nphases;
	return r;
}

static void test_deltas(void)
{
	struct launch_result *r = result(2);
	struct pvx_phase_exits out[2];
	struct run_perf *p;
	char why[512] = "";

	fake_perf(steady);
	p = run_perf_start(getpid(), why, sizeof(why));
	if (!CHECK("run_perf: starts with a perf that prints", p != NULL)) {
		printf("  why: %s\n", why);
		free(r);
		return;
	}
	run_perf_mark(p, 0);
	usleep(50000);
	run_perf_mark(p, -1); /* phase 0 closed */
	usleep(30000);
	run_perf_mark(p, 1);
	run_perf_mark(p, -1); /* phase 1: marked twice in a row */
	CHECK("run_perf: stops cleanly", run_perf_stop(p, r, out, why, sizeof(why)) == 0);
	/* Whole prints only, at least the two each marker waits for. */
	CHECK("run_perf: a phase's kvm_exit count is whole prints",
	      out[0].exits >= 10 && out[0].exits % 5 == 0);
	CHECK_EQ_U64("run_perf: kvm_ppc_instr from the same prints", out[0].instr * 5,
		     out[0].exits * 3);
	CHECK_EQ_U64("run_perf: its emulation exits are kvm_ppc_instr", out[0].emul, out[0].instr);
	CHECK("run_perf: a back-to-back phase gets the prints between its markers",
	      out[1].exits >= 10 && out[1].instr * 5 == out[1].exits * 3);
	free(r);
}

static void expect_fail(const char *name, const char *body, const char *says, bool at_start)
{
	struct launch_result *r = result(1);
	struct pvx_phase_exits out[1];
	struct run_perf *p;
	char why[512] = "", title[160];

	fake_perf(body);
	p = run_perf_start(getpid(), why, sizeof(why));
	if (at_start) {
		snprintf(title, sizeof(title), "run_perf: %s: no start", name);
		CHECK(title, p == NULL);
	} else if (p) {
		run_perf_mark(p, 0);
		run_perf_mark(p, -1);
		snprintf(title, sizeof(title), "run_perf: %s: stop fails", name);
		CHECK(title, run_perf_stop(p, r, out, why, sizeof(why)) < 0);
	} else {
		snprintf(title, sizeof(title), "run_perf: %s: starts", name);
		CHECK(title, 0);
	}
	snprintf(title, sizeof(title), "run_perf: %s: says why", name);
	CHECK_STR_CONTAINS(title, why, says);
	free(r);
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

	test_deltas();
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
