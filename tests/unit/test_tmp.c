// SPDX-License-Identifier: GPL-2.0-only
/*
 * lib/tmp: private temporary directories and files, where $TMPDIR says,
 * never sharing a name, and copies into them that refuse what someone
 * planted, a disk that fills up, and a source without an end.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tmp.h"
#include "unit.h"

static char base[4096];

/* What the copies below may be: more than any source they make. */
#define COPY_MAX (1u << 20)

static int mode_of(const char *path)
{
	struct stat st;

	return lstat(path, &st) ? -1 : (int)(st.st_mode & 07777);
}

static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static int write_file(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	bool ok = fd >= 0 && write(fd, data, len) == (ssize_t)len;

	if (fd >= 0)
		close(fd);
	return ok ? 0 : -1;
}

static bool same_content(const char *path, const char *data, size_t len)
{
	char buf[256];
	int fd = open(path, O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf)) : -1;

	if (fd >= 0)
		close(fd);
	return n == (ssize_t)len && !memcmp(buf, data, len);
}

static void dirs(void)
{
	char a[4096], b[4096], c[4096], prefix[4200], err[256] = "";

	setenv("TMPDIR", base, 1);
	snprintf(prefix, sizeof(prefix), "%s/pvexit-unit-", base);
	CHECK("tmpdir: made", pvx_tmpdir_make("unit", a, sizeof(a), err, sizeof(err)) == 0);
	CHECK("tmpdir: in $TMPDIR, named pvexit-WHAT-", starts_with(a, prefix));
	CHECK("tmpdir: mode 0700", mode_of(a) == 0700);
	CHECK("tmpdir: a second one", pvx_tmpdir_make("unit", b, sizeof(b), err, sizeof(err)) == 0);
	CHECK("tmpdir: two calls, two names", strcmp(a, b) != 0);

	snprintf(prefix, sizeof(prefix), "%s/.pvexit-lab-", base);
	CHECK("tmpdir_make_in: made",
	      pvx_tmpdir_make_in(base, "lab", c, sizeof(c), err, sizeof(err)) == 0);
	CHECK("tmpdir_make_in: hidden in the parent", starts_with(c, prefix));
	CHECK("tmpdir_make_in: mode 0700", mode_of(c) == 0700);

	snprintf(prefix, sizeof(prefix), "%s/f", a);
	CHECK("remove: a file in the directory", write_file(prefix, "x", 1) == 0);
	pvx_tmpdir_remove(a);
	CHECK("remove: the directory and its files are gone", access(a, F_OK) && errno == ENOENT);
	pvx_tmpdir_remove(b);
	pvx_tmpdir_remove(c);
	CHECK("remove: all gone", access(b, F_OK) && access(c, F_OK));
	pvx_tmpdir_remove("");

	setenv("TMPDIR", "relative/dir", 1);
	CHECK("relative TMPDIR: ignored",
	      pvx_tmpdir_make("unit", a, sizeof(a), err, sizeof(err)) == 0 &&
		      starts_with(a, "/tmp/pvexit-unit-"));
	pvx_tmpdir_remove(a);

	snprintf(prefix, sizeof(prefix), "%s/missing", base);
	setenv("TMPDIR", prefix, 1);
	CHECK("missing TMPDIR: fails",
	      pvx_tmpdir_make("unit", a, sizeof(a), err, sizeof(err)) == -1);
	CHECK_STR_CONTAINS("missing TMPDIR: says so", err, "cannot make a temporary directory in");
	CHECK("missing TMPDIR: no name left", a[0] == '\0');
	setenv("TMPDIR", base, 1);
	CHECK("name too long: fails", pvx_tmpdir_make("unit", a, 8, err, sizeof(err)) == -1);
	CHECK_STR_CONTAINS("name too long: says so", err, "too long");
}

static void tmpfiles(void)
{
	char err[256] = "";
	struct stat st;
	int fd;

	setenv("TMPDIR", base, 1);
	fd = pvx_tmpfile_fd("unit", err, sizeof(err));
	CHECK("tmpfile: made", fd >= 0);
	CHECK("tmpfile: mode 0600, unlinked", !fstat(fd, &st) && S_ISREG(st.st_mode) &&
						      (st.st_mode & 07777) == 0600 &&
						      st.st_nlink == 0);
	CHECK("tmpfile: writable", write(fd, "abc", 3) == 3);
	close(fd);
}

/* In a child with a 4 KiB file size limit: a copy of more than that. */
static int copy_past_limit(const char *dir, const char *from)
{
	struct rlimit lim = { 4096, 4096 };
	char err[256] = "", dest[4200];
	int rc;

	signal(SIGXFSZ, SIG_IGN);
	alarm(20); /* a copy that never ends fails the check */
	if (setrlimit(RLIMIT_FSIZE, &lim))
		return 2;
	rc = pvx_tmpdir_copy(dir, "big", from, COPY_MAX, err, sizeof(err));
	snprintf(dest, sizeof(dest), "%s/big", dir);
	return rc == -1 && strstr(err, "cannot write") && access(dest, F_OK) && errno == ENOENT ?
		       0 :
		       1;
}

/* Whether @dir/@name is absent, as a failed copy must leave it. */
static bool absent(const char *dir, const char *name)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return access(path, F_OK) && errno == ENOENT;
}

/*
 * Whether a copy of @from is refused with @want in its error, in a child
 * under an alarm: a copy that never ends fails the check, not the test.
 */
static bool refused_at_once(const char *dir, const char *name, const char *from, const char *want)
{
	char err[256] = "";
	int st = -1;
	pid_t pid;

	pid = fork();
	if (pid == 0) {
		alarm(10);
		if (pvx_tmpdir_copy(dir, name, from, COPY_MAX, err, sizeof(err)) == -1 &&
		    strstr(err, want))
			_exit(0);
		_exit(1);
	}
	return pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/*
 * Sources a copy must refuse at once, not copy until the disk is full or
 * wait on for ever: a device that never ends, a FIFO nobody writes, a
 * file larger than the bound.
 */
static void unbounded(const char *dir, const char *big)
{
	char fifo[4200], err[256] = "";

	CHECK("copy of /dev/zero: refused at once",
	      refused_at_once(dir, "zero", "/dev/zero",
			      "/dev/zero is not a regular file (a character device)"));
	CHECK("copy of /dev/zero: nothing made", absent(dir, "zero"));

	snprintf(fifo, sizeof(fifo), "%s/fifo", base);
	CHECK("copy of a FIFO: a FIFO", mkfifo(fifo, 0600) == 0);
	CHECK("copy of a FIFO nobody writes: refused, not waited on",
	      refused_at_once(dir, "fifo", fifo, "is not a regular file (a FIFO)"));
	CHECK("copy of a FIFO: nothing made", absent(dir, "fifo"));
	unlink(fifo);

	CHECK("copy of a file past the bound: refused",
	      pvx_tmpdir_copy(dir, "over", big, 65535, err, sizeof(err)) == -1);
	CHECK_STR_CONTAINS("copy of a file past the bound: says both sizes", err,
			   "is 65536 bytes, more than the 65535 bytes it may be");
	CHECK("copy of a file past the bound: nothing made", absent(dir, "over"));
	CHECK("copy of a file at the bound: made",
	      pvx_tmpdir_copy(dir, "at", big, 64 << 10, err, sizeof(err)) == 0);
}

static void copies(void)
{
	static const char data[] = "suite s\nrun classes=mfmsr\n";
	char dir[4096], src[4200], path[4200], big[4200], victim[4200], err[256] = "";
	char *blob = calloc(1, 65536);
	pid_t pid;
	int st = -1;

	setenv("TMPDIR", base, 1);
	if (pvx_tmpdir_make("copy", dir, sizeof(dir), err, sizeof(err))) {
		CHECK("copy: a directory to copy into", 0);
		free(blob);
		return;
	}
	snprintf(src, sizeof(src), "%s/source", base);
	write_file(src, data, sizeof(data) - 1);
	CHECK("copy: made", pvx_tmpdir_copy(dir, "suite", src, COPY_MAX, err, sizeof(err)) == 0);
	snprintf(path, sizeof(path), "%s/suite", dir);
	CHECK("copy: the same bytes", same_content(path, data, sizeof(data) - 1));
	CHECK("copy: mode 0600", mode_of(path) == 0600);

	CHECK("copy over a file there: refused",
	      pvx_tmpdir_copy(dir, "suite", src, COPY_MAX, err, sizeof(err)) == -1);
	CHECK_STR_CONTAINS("copy over a file there: says so", err, "cannot create");
	CHECK("copy over a file there: that file is left alone",
	      same_content(path, data, sizeof(data) - 1));

	snprintf(victim, sizeof(victim), "%s/victim", base);
	snprintf(path, sizeof(path), "%s/planted", dir);
	CHECK("planted symlink: planted", symlink(victim, path) == 0);
	CHECK("planted symlink: refused",
	      pvx_tmpdir_copy(dir, "planted", src, COPY_MAX, err, sizeof(err)) == -1);
	CHECK("planted symlink: its target not created", access(victim, F_OK) && errno == ENOENT);

	snprintf(path, sizeof(path), "%s/missing", base);
	CHECK("copy of a missing file: fails",
	      pvx_tmpdir_copy(dir, "m", path, COPY_MAX, err, sizeof(err)) == -1);
	CHECK_STR_CONTAINS("copy of a missing file: names it", err, path);
	snprintf(path, sizeof(path), "%s/m", dir);
	CHECK("copy of a missing file: nothing made", access(path, F_OK) && errno == ENOENT);

	snprintf(big, sizeof(big), "%s/big-source", base);
	CHECK("copy past a size limit: a 64 KiB source", blob && write_file(big, blob, 65536) == 0);
	pid = fork();
	if (pid == 0)
		_exit(copy_past_limit(dir, big));
	CHECK("copy past a size limit: fails, ends, leaves nothing",
	      waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);

	unbounded(dir, big);

	pvx_tmpdir_remove(dir);
	CHECK("copy: the directory removed, symlink and all", access(dir, F_OK) && errno == ENOENT);
	unlink(src);
	unlink(big);
	free(blob);
}

static void suffixes(void)
{
	char a[9], b[9];
	size_t i;
	bool ok = true;

	pvx_random_suffix(a, sizeof(a));
	pvx_random_suffix(b, sizeof(b));
	CHECK("random suffix: 8 characters", strlen(a) == 8 && strlen(b) == 8);
	for (i = 0; i < 8; i++)
		ok = ok && ((a[i] >= 'a' && a[i] <= 'z') || (a[i] >= '0' && a[i] <= '9'));
	CHECK("random suffix: [a-z0-9]", ok);
	CHECK("random suffix: two calls differ", strcmp(a, b) != 0);
}

int main(void)
{
	const char *t = getenv("TMPDIR");

	snprintf(base, sizeof(base), "%s/pvexit-unit-tmp-XXXXXX", t && t[0] == '/' ? t : "/tmp");
	if (!mkdtemp(base)) {
		CHECK("a scratch directory", 0);
		return unit_done();
	}
	dirs();
	tmpfiles();
	copies();
	suffixes();
	rmdir(base);
	CHECK("scratch directory: nothing left in it", access(base, F_OK) && errno == ENOENT);
	return unit_done();
}
