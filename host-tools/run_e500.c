// SPDX-License-Identifier: GPL-2.0-only
/*
 * The e500 guest where this machine has no BookE KVM: each run boots the
 * e500 lab (lab/run --host e500), where the static pvexit-launch runs the
 * payload and writes its launch result to /out.  It comes back here as
 * the run itself, and everything after (tables, verdicts, results) is
 * what a run on a real e500v2 host gets.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elf_load.h"
#include "proc.h"
#include "run_e500.h"
#include "run_lab.h"
#include "tmp.h"
#include "util.h"

/* pvexit-launch is a few hundred KiB static. */
#define LAUNCH_MAX (64ull << 20)
#define LAUNCH_ENV "PVEXIT_E500_LAUNCH"

static const char *lab_status(int rc)
{
	switch (rc) {
	case 124:
		return "the e500 lab timed out";
	case 125:
		return "the e500 lab failed to run (lab/run said why above)";
	case 126:
		return "the e500 lab's kernel crashed (lab/run showed its console)";
	case 127:
		return "lab/run could not be started";
	case 130:
		return "interrupted";
	default:
		return "the e500 lab ended without a launch result";
	}
}

int run_e500_launch(const struct launch_opts *lo, struct launch_result *r, char *err, size_t errlen)
{
	char lab_run[PATH_MAX], launch[PATH_MAX], tmp[PATH_MAX], stage[PATH_MAX + 8];
	char out[PATH_MAX + 8], result[PATH_MAX + 32], mem[24], tmo[24], lab_tmo[24];
	char *args[32];
	struct pvx_cmd cmd = { .path = lab_run };
	FILE *f;
	int n = 0, exec_fd, st, wst, rc = -1;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	if (run_lab_path(lab_run, sizeof(lab_run)) < 0 || access(lab_run, X_OK)) {
		pvx_set_err(
			err, errlen,
			"no BookE KVM here, and no lab/run to boot the e500 lab (set PVEXIT_LAB_RUN)");
		return -1;
	}
	/* make e500 builds it beside this pvexit: BUILD/e500/bin. */
	if (pvx_tool_path(LAUNCH_ENV, "../../e500/bin/pvexit-launch", launch, sizeof(launch)) < 0 ||
	    access(launch, R_OK)) {
		pvx_set_err(
			err, errlen,
			"no BookE KVM here, and the e500 lab's launcher is not built (%s): run 'make e500'",
			launch);
		return -1;
	}
	if (pvx_tmpdir_make("e500", tmp, sizeof(tmp), err, errlen) < 0)
		return -1;
	snprintf(stage, sizeof(stage), "%s/in", tmp);
	snprintf(out, sizeof(out), "%s/out", tmp);
	snprintf(result, sizeof(result), "%s/launch.txt", out);
	if (mkdir(stage, 0700) < 0 || mkdir(out, 0700) < 0) {
		pvx_set_err(err, errlen, "cannot make %s/in and /out: %s", tmp, strerror(errno));
		goto done;
	}
	if (pvx_tmpdir_copy(stage, "pvexit-launch", launch, LAUNCH_MAX, err, errlen) < 0 ||
	    pvx_tmpdir_copy(stage, "payload-e500.elf", lo->payload, ELF_FILE_MAX, err, errlen) < 0)
		goto done;
	{
		char path[PATH_MAX + 32];

		snprintf(path, sizeof(path), "%s/pvexit-launch", stage);
		if (chmod(path, 0755) < 0) {
			pvx_set_err(err, errlen, "cannot chmod %s: %s", path, strerror(errno));
			goto done;
		}
	}
	snprintf(mem, sizeof(mem), "%llu", (unsigned long long)(lo->ram_size >> 20));
	snprintf(tmo, sizeof(tmo), "%u", lo->timeout_s);
	/* The lab's own watchdog leaves the run's time to end it first. */
	snprintf(lab_tmo, sizeof(lab_tmo), "%u", lo->timeout_s + 120);
	args[n++] = lab_run;
	args[n++] = "--host";
	args[n++] = "e500";
	args[n++] = "--build";
	args[n++] = stage;
	args[n++] = "--out";
	args[n++] = out;
	args[n++] = "--timeout";
	args[n++] = lab_tmo;
	args[n++] = "--";
	args[n++] = "/pvexit/pvexit-launch";
	args[n++] = "--guest";
	args[n++] = "e500";
	args[n++] = "--mem";
	args[n++] = mem;
	args[n++] = "--timeout";
	args[n++] = tmo;
	if (lo->verbose)
		args[n++] = "--verbose";
	args[n++] = "--output";
	args[n++] = "/out/launch.txt";
	args[n++] = "/pvexit/payload-e500.elf";
	args[n++] = (char *)(lo->bootargs ? lo->bootargs : "");
	args[n] = NULL;
	cmd.argv = args;
	pid = pvx_spawn(&cmd, &exec_fd, err, errlen);
	if (pid < 0)
		goto done;
	st = pvx_spawn_result(exec_fd);
	if (pvx_wait(pid, &wst) < 0) {
		pvx_set_err(err, errlen, "waiting for lab/run: %s", strerror(errno));
		goto done;
	}
	if (st) {
		pvx_set_err(err, errlen, "cannot run %s: %s", lab_run, strerror(st));
		goto done;
	}
	st = pvx_exit_code(wst);
	f = fopen(result, "r");
	if (!f) {
		pvx_set_err(err, errlen, "%s (lab/run exit status %d)", lab_status(st), st);
		goto done;
	}
	/* pvexit-launch's 0 and 1 both wrote a result; the lab's own
	 * failures after it (a late kernel crash) still fail the run. */
	rc = launch_result_read(f, "the e500 lab's launch result", r, err, errlen);
	fclose(f);
	if (rc == 0 && st != 0 && st != 1) {
		pvx_set_err(err, errlen, "%s (lab/run exit status %d)", lab_status(st), st);
		launch_result_free(r);
		rc = -1;
	} else if (rc == 0 && r->error[0]) {
		pvx_set_err(err, errlen, "%s", r->error);
		rc = -1;
	}
done:
	pvx_tmpdir_remove(stage);
	pvx_tmpdir_remove(out);
	pvx_tmpdir_remove(tmp);
	return rc;
}
