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
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elf_load.h"
#include "proc.h"
#include "run_lab.h"
#include "suite.h"
#include "tmp.h"
#include "util.h"

const char *run_suite_path(const char *name)
{
	static const char *const where[] = { "../../../bench", "../share/pvexit", NULL };
	static char path[PATH_MAX];

	if (strcmp(name, "default"))
		return name;
	return pvx_find_data(where, "default.suite", path, sizeof(path)) ? path : name;
}

static volatile pid_t child;
static volatile sig_atomic_t caught;

/* Ctrl-C before lab/run starts ends us once what was staged is removed;
 * after, a signal sent to us alone (not by a terminal to the whole
 * group) must still stop the lab: pass it on. */
static void forward(int sig)
{
	caught = sig;
	if (child > 0)
		kill(child, sig);
}

static const int forwarded[] = { SIGINT, SIGTERM, SIGHUP };
#define NFORWARDED (sizeof(forwarded) / sizeof(forwarded[0]))

/* In lab/run's child: the signals as they were before forward(). */
static void restore_signals(void *old)
{
	size_t i;

	for (i = 0; i < NFORWARDED; i++)
		sigaction(forwarded[i], &((const struct sigaction *)old)[i], NULL);
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

/* As much as the launcher's loader takes (ELF_FILE_MAX, launcher/elf_load.c):
 * a payload is a few pages, and anything bigger is not worth copying. */
#define PAYLOAD_MAX (64ull << 20)

/* The guest RAM a payload is checked against here: the most --mem allows.
 * Inside the lab, the run checks it again against the --mem given. */
#define CHECK_RAM (2048ull << 20)

/* The payload images, as --payload-dir names them, and what each must be. */
static const struct {
	const char *name;
	bool big_endian;
	unsigned int bits;
} payloads[] = {
	{ "payload-be.elf", true, 64 },
	{ "payload-le.elf", false, 64 },
	{ "payload-be32.elf", true, 32 },
};
#define NPAYLOADS (sizeof(payloads) / sizeof(payloads[0]))

/*
 * Whether the staged copy @path of payload @k, a copy of @from, is an
 * image the launcher would boot: its own loader says, into RAM that is
 * only reserved, not touched but where the image lands.
 */
static int check_payload(size_t k, const char *path, const char *from, char *err, size_t errlen)
{
	char why[PATH_MAX + 256];
	struct guest_image img;
	size_t n = strlen(path);
	void *ram;
	int rc;

	ram = mmap(NULL, CHECK_RAM, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (ram == MAP_FAILED) {
		pvx_set_err(err, errlen, "cannot check %s: no address space to load it into: %s",
			    from, strerror(errno));
		return -1;
	}
	rc = elf_load_file(path, ram, CHECK_RAM, &img, why, sizeof(why));
	munmap(ram, CHECK_RAM);
	/* The loader names the copy; the user knows the file as @from. */
	if (rc) {
		pvx_set_err(err, errlen, "%s: %s", from,
			    !strncmp(why, path, n) && !strncmp(why + n, ": ", 2) ? why + n + 2 :
										   why);
		return -1;
	}
	if (img.big_endian != payloads[k].big_endian || img.bits != payloads[k].bits) {
		pvx_set_err(err, errlen,
			    "%s: a %u-bit %s-endian image, where %s must be %u-bit %s-endian", from,
			    img.bits, img.big_endian ? "big" : "little", payloads[k].name,
			    payloads[k].bits, payloads[k].big_endian ? "big" : "little");
		return -1;
	}
	return 0;
}

/* Copy the payloads of @dir into @stage, for the lab to see, each checked. */
static int stage_payloads(const char *dir, const char *stage, char *err, size_t errlen)
{
	char from[PATH_MAX], to[PATH_MAX];
	struct stat st;
	size_t i, n = 0;

	for (i = 0; i < NPAYLOADS; i++) {
		snprintf(from, sizeof(from), "%.*s/%s", PATH_MAX - 32, dir, payloads[i].name);
		snprintf(to, sizeof(to), "%.*s/%s", PATH_MAX - 32, stage, payloads[i].name);
		if (stat(from, &st) && errno == ENOENT)
			continue; /* run says which one it misses, if it needs it */
		if (pvx_tmpdir_copy(stage, payloads[i].name, from, PAYLOAD_MAX, err, errlen) < 0 ||
		    check_payload(i, to, from, err, errlen) < 0)
			return -1;
		n++;
	}
	if (!n) {
		pvx_set_err(err, errlen,
			    "%s: no payload-be.elf, payload-le.elf or payload-be32.elf", dir);
		return -1;
	}
	return 0;
}

/*
 * The suite and the payloads go in through a directory of this process's
 * in @outdir (which the lab sees as /out): made 0700 under a name nobody
 * can guess, since @outdir may be shared, and filled with files created
 * anew, so nothing planted there is followed or handed in.  Each copy is
 * bounded (the suite reader and the loader take no more) and checked
 * before the lab boots.
 * Return: 0, or -1 after one error line, with nothing left behind.
 */
static int stage(const char *outdir, const char *suite, const char *payload_dir, char *dir,
		 size_t len)
{
	char err[2 * PATH_MAX + 256];

	if (pvx_tmpdir_make_in(outdir, "lab", dir, len, err, sizeof(err)) < 0) {
		pvx_err("cannot hand files to the lab: %s", err);
		return -1;
	}
	if (suite && pvx_tmpdir_copy(dir, "suite", run_suite_path(suite), PVX_SUITE_MAX_BYTES, err,
				     sizeof(err)) < 0) {
		pvx_err("cannot copy the suite %s into %s: %s", suite, outdir, err);
		goto fail;
	}
	if (payload_dir && stage_payloads(payload_dir, dir, err, sizeof(err)) < 0) {
		pvx_err("cannot hand the payloads of %s to the lab: %s", payload_dir, err);
		goto fail;
	}
	return 0;
fail:
	pvx_tmpdir_remove(dir);
	dir[0] = '\0';
	return -1;
}

/* Undo the handlers of run_in_lab() and remove what was staged. */
static void clean_up(const struct sigaction *old, const char *staged, const char *tmpdir)
{
	pvx_tmpdir_remove(staged);
	if (tmpdir[0])
		rmdir(tmpdir);
	restore_signals((void *)old);
}

int run_in_lab(int argc, char **argv, const char *suite, const char *out, const char *payload_dir,
	       unsigned int nruns, uint64_t timeout, const char *why)
{
	char lab_run[PATH_MAX], le_pvexit[PATH_MAX], tmo[32], outdir[PATH_MAX] = "";
	char in_out[PATH_MAX], in_suite[PATH_MAX], in_pl[PATH_MAX], staged[PATH_MAX] = "";
	char tmpdir[PATH_MAX] = "", err[PATH_MAX + 128];
	const char *dir = pvx_exe_dir(), *env = getenv("PVEXIT_LAB_RUN");
	struct sigaction fwd, old[NFORWARDED];
	struct pvx_cmd cmd = { .path = lab_run, .setup = restore_signals, .arg = old };
	char **args;
	int i, n = 0, rc, exec_fd;
	size_t k;
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
	/*
	 * From the first file made to the last removed, a signal is caught:
	 * before lab/run starts, what was made is removed and the signal
	 * ends us as it would have; after, it is passed on (Ctrl-C reaches
	 * lab/run too, which stops the lab and says so) and waited out.
	 */
	memset(&fwd, 0, sizeof(fwd));
	fwd.sa_handler = forward;
	caught = 0;
	for (k = 0; k < NFORWARDED; k++)
		sigaction(forwarded[k], &fwd, &old[k]);
	/* The results come back into their file's directory; without one,
	 * a temporary directory carries the suite in. */
	if (out) {
		char copy[PATH_MAX];

		snprintf(copy, sizeof(copy), "%s", out);
		snprintf(outdir, sizeof(outdir), "%s", dirname(copy));
		snprintf(copy, sizeof(copy), "%s", out);
		snprintf(in_out, sizeof(in_out), "/out/%s", basename(copy));
	} else if (suite || payload_dir) {
		if (pvx_tmpdir_make("run", tmpdir, sizeof(tmpdir), err, sizeof(err)) < 0) {
			pvx_err("%s", err);
			clean_up(old, staged, tmpdir);
			return PVX_EXIT_ERROR;
		}
		snprintf(outdir, sizeof(outdir), "%s", tmpdir);
	}
	if (suite || payload_dir) {
		const char *base;

		if (stage(outdir, suite, payload_dir, staged, sizeof(staged)) < 0) {
			clean_up(old, staged, tmpdir);
			return PVX_EXIT_ERROR;
		}
		base = strrchr(staged, '/') + 1;
		snprintf(in_suite, sizeof(in_suite), "/out/%s/suite", base);
		snprintf(in_pl, sizeof(in_pl), "/out/%s", base);
	}
	if (caught) {
		clean_up(old, staged, tmpdir);
		raise(caught);
		return 128 + caught;
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
	/* Inside, the lab is the host: --lab has done its work. */
	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--lab"))
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
	cmd.argv = args;
	pid = pvx_spawn(&cmd, &exec_fd, NULL, 0);
	child = pid;
	if (pid < 0) {
		pvx_err("cannot start %s: %s", lab_run, strerror(errno));
		rc = 1;
	} else {
		/* One that came while lab/run was being started. */
		if (caught)
			kill(pid, caught);
		rc = wait_child(pid, exec_fd, lab_run);
	}
	child = 0;
	clean_up(old, staged, tmpdir);
	free(args);
	return rc;
}
