// SPDX-License-Identifier: GPL-2.0-only
/*
 * No KVM PR here: run this same command inside the lab, whose ppc64le
 * build of pvexit is on PATH there.  Files cross through the lab's /out
 * share: the suite file and payloads in, the results file out (written there with a
 * rename, so it arrives whole or not at all).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
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
#include "results.h"
#include "run_lab.h"
#include "suite.h"
#include "tmp.h"
#include "util.h"

int run_lab_path(char *buf, size_t len)
{
	return pvx_tool_path("PVEXIT_LAB_RUN", "../../../lab/run", buf, len);
}

const char *run_suite_path(const char *name)
{
	static const char *const where[] = { "../../../bench", "../share/pvexit", NULL };
	static char path[PATH_MAX];
	char file[32];

	if (strcmp(name, "default") && strcmp(name, "e500"))
		return name;
	snprintf(file, sizeof(file), "%s.suite", name);
	return pvx_find_data(where, file, path, sizeof(path)) ? path : name;
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
		if (pvx_tmpdir_copy(stage, payloads[i].name, from, ELF_FILE_MAX, err, errlen) < 0 ||
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

const char *run_lab_host_names(const char *msg, char *buf, size_t len)
{
	const char *host = getenv("PVEXIT_LAB_OUT"), *p;
	size_t n = 0, hn;

	if (!getenv("PVEXIT_LAB") || !host || !*host || !len)
		return msg;
	/* "./r.json" would not be what was typed: "r.json" was. */
	if (!strcmp(host, "."))
		host = "";
	hn = strlen(host);
	for (p = msg; *p && n + 1 < len; p++) {
		if (!strncmp(p, "/out/", 5) && (p == msg || p[-1] == ' ') && n + hn + 2 < len) {
			memcpy(buf + n, host, hn);
			n += hn;
			if (hn)
				buf[n++] = '/';
			p += 4;
			continue;
		}
		buf[n++] = *p;
	}
	buf[n] = '\0';
	return buf;
}

/*
 * The temporary files the lab's pvexit writes its results under, beside
 * them in @dir: ".NAME.XXXXXX" (pvx_atomic_open) for NAME the results
 * file's or its CSV's.  A lab stopped while they exist (Ctrl-C, QEMU
 * killed) never renames or removes them: that is done here.
 */
struct results_temps {
	const char *dir;
	char name[2][NAME_MAX + 1]; /* the results file's, the CSV's */
	char **seen; /* such files there before the lab started */
	size_t nseen;
};

static bool is_results_temp(const struct results_temps *t, const char *e)
{
	size_t i, k, n;

	for (k = 0; k < 2; k++) {
		n = strlen(t->name[k]);
		if (e[0] != '.' || strncmp(e + 1, t->name[k], n) || e[n + 1] != '.' ||
		    strlen(e + n + 2) != 6)
			continue;
		for (i = n + 2; e[i]; i++)
			if (!((e[i] >= 'a' && e[i] <= 'z') || (e[i] >= 'A' && e[i] <= 'Z') ||
			      (e[i] >= '0' && e[i] <= '9')))
				break;
		if (!e[i])
			return true;
	}
	return false;
}

static bool seen_before(const struct results_temps *t, const char *e)
{
	size_t i;

	for (i = 0; i < t->nseen; i++)
		if (!strcmp(t->seen[i], e))
			return true;
	return false;
}

/* Note the results' temporaries @dir holds now (another run's, perhaps). */
static void temps_before(struct results_temps *t, const char *dir, const char *out)
{
	char csv[PATH_MAX];
	const char *b;
	struct dirent *e;
	DIR *d;

	memset(t, 0, sizeof(*t));
	t->dir = dir;
	b = strrchr(out, '/') ? strrchr(out, '/') + 1 : out;
	snprintf(t->name[0], sizeof(t->name[0]), "%.*s", NAME_MAX, b);
	pvx_results_csv_path(out, csv, sizeof(csv));
	b = strrchr(csv, '/') ? strrchr(csv, '/') + 1 : csv;
	snprintf(t->name[1], sizeof(t->name[1]), "%.*s", NAME_MAX, b);
	d = opendir(dir);
	while (d && (e = readdir(d)))
		if (is_results_temp(t, e->d_name)) {
			t->seen = pvx_xrealloc(t->seen, t->nseen + 1, sizeof(*t->seen));
			t->seen[t->nseen++] = pvx_xstrdup(e->d_name);
		}
	if (d)
		closedir(d);
}

/* Once the lab is gone: remove the temporaries it left, no others. */
static void temps_remove(struct results_temps *t)
{
	struct dirent *e;
	struct stat st;
	size_t i;
	DIR *d;

	if (!t->dir)
		return;
	d = opendir(t->dir);
	while (d && (e = readdir(d)))
		if (is_results_temp(t, e->d_name) && !seen_before(t, e->d_name) &&
		    !fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) && S_ISREG(st.st_mode))
			unlinkat(dirfd(d), e->d_name, 0);
	if (d)
		closedir(d);
	for (i = 0; i < t->nseen; i++)
		free(t->seen[i]);
	free(t->seen);
	memset(t, 0, sizeof(*t));
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
	char tmpdir[PATH_MAX] = "", err[PATH_MAX + 128], le_dir[PATH_MAX] = "";
	char out_env[PATH_MAX + 32];
	struct results_temps temps = { 0 };
	const char *dir = pvx_exe_dir(), *env = getenv("PVEXIT_LAB_RUN");
	struct sigaction fwd, old[NFORWARDED];
	struct pvx_cmd cmd = { .path = lab_run, .setup = restore_signals, .arg = old };
	char **args;
	int i, n = 0, rc, exec_fd;
	size_t k;
	pid_t pid;

	if (run_lab_path(lab_run, sizeof(lab_run)) < 0) {
		pvx_err("no KVM PR here (%s), and cannot find lab/run (set PVEXIT_LAB_RUN)", why);
		return 1;
	}
	if (access(lab_run, X_OK)) {
		pvx_err("no KVM PR here (%s), and no lab at %s: %s (set PVEXIT_LAB_RUN)", why,
			lab_run, strerror(errno));
		return 1;
	}
	/* The lab runs the ppc64le build made with this pvexit, whatever
	 * BUILD= it was made in, not the checkout's default one. */
	if (dir) {
		snprintf(le_dir, sizeof(le_dir), "%.*s/../../ppc64le", PATH_MAX - 32, dir);
		snprintf(le_pvexit, sizeof(le_pvexit), "%s/bin/pvexit", le_dir);
		if (access(le_pvexit, X_OK) && !env) {
			pvx_err("no KVM PR here (%s), and the lab's ppc64le build is missing (%s): run 'make build'",
				why, le_pvexit);
			return 1;
		}
		if (access(le_pvexit, X_OK))
			le_dir[0] = '\0';
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
	args = pvx_xcalloc((size_t)argc + 24, sizeof(*args));
	args[n++] = lab_run;
	args[n++] = "--timeout";
	args[n++] = tmo;
	if (le_dir[0]) {
		args[n++] = "--build";
		args[n++] = le_dir;
	}
	if (outdir[0]) {
		args[n++] = "--out";
		args[n++] = outdir;
	}
	/* So that the lab's pvexit names the results as they are known here
	 * (run_lab_host_names()). */
	if (out) {
		snprintf(out_env, sizeof(out_env), "PVEXIT_LAB_OUT=%s", outdir);
		args[n++] = "--env";
		args[n++] = out_env;
		temps_before(&temps, outdir, out);
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
	temps_remove(&temps);
	clean_up(old, staged, tmpdir);
	free(args);
	return rc;
}
