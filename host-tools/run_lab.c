// SPDX-License-Identifier: GPL-2.0-only
/*
 * No KVM PR here: run this same command inside the lab, whose ppc64le
 * build of pvexit is on PATH there.  Files cross through the lab's /out
 * share: the suite file and payloads in, the results file out (written there with a
 * rename, so it arrives whole or not at all).
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "proc.h"
#include "run_lab.h"
#include "util.h"

const char *run_suite_path(const char *name)
{
	static char path[PATH_MAX];
	const char *dir = pvx_exe_dir();

	if (strcmp(name, "default") || !dir)
		return name;
	snprintf(path, sizeof(path), "%.*s/../../../bench/default.suite", PATH_MAX - 40, dir);
	return access(path, R_OK) ? name : path;
}

static int copy_file(const char *from, const char *to)
{
	char buf[8192];
	size_t n;
	FILE *in = fopen(from, "r"), *out;
	int rc = 0;

	if (!in)
		return -1;
	out = fopen(to, "w");
	if (!out) {
		fclose(in);
		return -1;
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			rc = -1;
	if (ferror(in))
		rc = -1;
	fclose(in);
	if (fclose(out))
		rc = -1;
	return rc;
}

static volatile pid_t child;

/* A signal sent to us alone (not by a terminal to the whole group) must
 * still stop the lab: pass it on. */
static void forward(int sig)
{
	if (child > 0)
		kill(child, sig);
}

/* In lab/run's child: SIGINT and SIGTERM as they were before forward(). */
static void restore_signals(void *old)
{
	sigaction(SIGINT, &((const struct sigaction *)old)[0], NULL);
	sigaction(SIGTERM, &((const struct sigaction *)old)[1], NULL);
}

/* lab/run's exit status, as a shell would give it. */
static int wait_child(pid_t pid, int exec_fd, const char *path)
{
	int st, e = pvx_spawn_result(exec_fd);

	if (pvx_wait(pid, &st) < 0)
		return 1;
	if (e) {
		pvx_err("cannot run %s: %s", path, strerror(e));
		return 127;
	}
	return pvx_exit_code(st);
}

/* The payload images, as --payload-dir names them. */
static const char *const payloads[] = { "payload-be.elf", "payload-le.elf", "payload-be32.elf" };
#define NPAYLOADS (sizeof(payloads) / sizeof(payloads[0]))

/* Copy the payloads of @dir into @stage (made here), for the lab to see. */
static int stage_payloads(const char *dir, const char *stage)
{
	char from[PATH_MAX], to[PATH_MAX];
	size_t i, n = 0;

	if (mkdir(stage, 0755) < 0)
		return -1;
	for (i = 0; i < NPAYLOADS; i++) {
		snprintf(from, sizeof(from), "%.*s/%s", PATH_MAX - 32, dir, payloads[i]);
		snprintf(to, sizeof(to), "%.*s/%s", PATH_MAX - 32, stage, payloads[i]);
		if (access(from, R_OK))
			continue; /* run says which one it misses, if it needs it */
		if (copy_file(from, to) < 0)
			return -1;
		n++;
	}
	if (!n) {
		errno = ENOENT;
		return -1;
	}
	return 0;
}

static void unstage_payloads(const char *stage)
{
	char path[PATH_MAX];
	size_t i;

	for (i = 0; i < NPAYLOADS; i++) {
		snprintf(path, sizeof(path), "%.*s/%s", PATH_MAX - 32, stage, payloads[i]);
		unlink(path);
	}
	rmdir(stage);
}

int run_in_lab(int argc, char **argv, const char *suite, const char *out, const char *payload_dir,
	       unsigned int nruns, uint64_t timeout, const char *why)
{
	char host_pl[PATH_MAX] = "", in_pl[PATH_MAX];
	char lab_run[PATH_MAX], le_pvexit[PATH_MAX], tmo[32], outdir[PATH_MAX] = "";
	char in_out[PATH_MAX], in_suite[PATH_MAX], host_suite[PATH_MAX] = "", tmpdir[PATH_MAX] = "";
	const char *dir = pvx_exe_dir(), *env = getenv("PVEXIT_LAB_RUN");
	struct sigaction fwd, old[2];
	struct pvx_cmd cmd = { .path = lab_run, .setup = restore_signals, .arg = old };
	char **args;
	int i, n = 0, rc, exec_fd;
	pid_t pid;

	if (env)
		snprintf(lab_run, sizeof(lab_run), "%s", env);
	else if (dir)
		snprintf(lab_run, sizeof(lab_run), "%.*s/../../../lab/run", PATH_MAX - 32, dir);
	else {
		pvx_err("no KVM PR here (%s), and cannot find lab/run (set PVEXIT_LAB_RUN)", why);
		return 1;
	}
	if (access(lab_run, X_OK)) {
		pvx_err("no KVM PR here (%s), and no lab at %s: %s (set PVEXIT_LAB_RUN)", why,
			lab_run, strerror(errno));
		return 1;
	}
	if (!env && dir) {
		snprintf(le_pvexit, sizeof(le_pvexit), "%.*s/../../ppc64le/bin/pvexit",
			 PATH_MAX - 32, dir);
		if (access(le_pvexit, X_OK)) {
			pvx_err("no KVM PR here (%s), and the lab's ppc64le build is missing (%s): run 'make build'",
				why, le_pvexit);
			return 1;
		}
	}
	/* The results come back into their file's directory; without one,
	 * a temporary directory carries the suite in. */
	if (out) {
		char copy[PATH_MAX];

		snprintf(copy, sizeof(copy), "%s", out);
		snprintf(outdir, sizeof(outdir), "%s", dirname(copy));
		snprintf(copy, sizeof(copy), "%s", out);
		snprintf(in_out, sizeof(in_out), "/out/%s", basename(copy));
	} else if (suite || payload_dir) {
		const char *t = getenv("TMPDIR");

		snprintf(tmpdir, sizeof(tmpdir), "%.*s/pvexit-run.XXXXXX", PATH_MAX - 32,
			 t && t[0] ? t : "/tmp");
		if (!mkdtemp(tmpdir)) {
			pvx_err("cannot create a temporary directory: %s", strerror(errno));
			return 1;
		}
		snprintf(outdir, sizeof(outdir), "%s", tmpdir);
	}
	if (suite) {
		snprintf(host_suite, sizeof(host_suite), "%.*s/.pvexit-suite-%d", PATH_MAX - 32,
			 outdir, (int)getpid());
		snprintf(in_suite, sizeof(in_suite), "/out/.pvexit-suite-%d", (int)getpid());
		if (copy_file(run_suite_path(suite), host_suite) < 0) {
			pvx_err("cannot copy the suite %s into %s: %s", suite, outdir,
				strerror(errno));
			unlink(host_suite);
			if (tmpdir[0])
				rmdir(tmpdir);
			return 1;
		}
	}
	if (payload_dir) {
		snprintf(host_pl, sizeof(host_pl), "%.*s/.pvexit-payloads-%d", PATH_MAX - 32,
			 outdir, (int)getpid());
		snprintf(in_pl, sizeof(in_pl), "/out/.pvexit-payloads-%d", (int)getpid());
		if (stage_payloads(payload_dir, host_pl) < 0) {
			pvx_err("cannot copy the payloads of %s into %s: %s", payload_dir, outdir,
				strerror(errno));
			unstage_payloads(host_pl);
			if (host_suite[0])
				unlink(host_suite);
			if (tmpdir[0])
				rmdir(tmpdir);
			return 1;
		}
	}
	fprintf(stderr, "%s: no KVM PR on this machine (%s); running inside the lab\n", pvx_prog,
		why);
	fflush(stderr);
	snprintf(tmo, sizeof(tmo), "%llu", (unsigned long long)(timeout * nruns + 120));
	args = pvx_xcalloc((size_t)argc + 16, sizeof(*args));
	args[n++] = lab_run;
	args[n++] = "--timeout";
	args[n++] = tmo;
	if (outdir[0]) {
		args[n++] = "--out";
		args[n++] = outdir;
	}
	args[n++] = "--";
	args[n++] = "pvexit";
	args[n++] = "run";
	args[n++] = "--no-lab";
	for (i = 1; i < argc; i++)
		args[n++] = argv[i];
	/* Later options win: these name the files as the lab sees them. */
	if (out) {
		args[n++] = "--output";
		args[n++] = in_out;
	}
	if (suite) {
		args[n++] = "--suite";
		args[n++] = in_suite;
	}
	if (payload_dir) {
		args[n++] = "--payload-dir";
		args[n++] = in_pl;
	}
	/* Ctrl-C reaches lab/run too, which stops the lab and says so; we
	 * pass on what is sent to us alone, wait for it and clean up. */
	memset(&fwd, 0, sizeof(fwd));
	fwd.sa_handler = forward;
	sigaction(SIGINT, &fwd, &old[0]);
	sigaction(SIGTERM, &fwd, &old[1]);
	cmd.argv = args;
	pid = pvx_spawn(&cmd, &exec_fd, NULL, 0);
	child = pid;
	if (pid < 0) {
		pvx_err("cannot start %s: %s", lab_run, strerror(errno));
		rc = 1;
	} else {
		rc = wait_child(pid, exec_fd, lab_run);
	}
	child = 0;
	restore_signals(old);
	if (host_suite[0])
		unlink(host_suite);
	if (host_pl[0])
		unstage_payloads(host_pl);
	if (tmpdir[0])
		rmdir(tmpdir);
	free(args);
	return rc;
}
