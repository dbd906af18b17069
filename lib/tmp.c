// SPDX-License-Identifier: GPL-2.0-only
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tmp.h"
#include "util.h"

static const char *tmp_root(void)
{
	const char *t = getenv("TMPDIR");

	return t && t[0] == '/' ? t : "/tmp";
}

static int make_dir(const char *parent, const char *dot, const char *what, char *dir, size_t len,
		    char *err, size_t errlen)
{
	int n = snprintf(dir, len, "%s/%spvexit-%s-XXXXXX", parent, dot, what);

	if (n < 0 || (size_t)n >= len) {
		pvx_set_err(err, errlen, "temporary directory name under %s too long", parent);
		dir[0] = '\0';
		return -1;
	}
	/* mkdtemp creates it 0700. */
	if (!mkdtemp(dir)) {
		pvx_set_err(err, errlen, "cannot make a temporary directory in %s: %s", parent,
			    strerror(errno));
		dir[0] = '\0';
		return -1;
	}
	return 0;
}

int pvx_tmpdir_make(const char *what, char *dir, size_t len, char *err, size_t errlen)
{
	return make_dir(tmp_root(), "", what, dir, len, err, errlen);
}

int pvx_tmpdir_make_in(const char *parent, const char *what, char *dir, size_t len, char *err,
		       size_t errlen)
{
	return make_dir(parent, ".", what, dir, len, err, errlen);
}

void pvx_tmpdir_remove(const char *dir)
{
	char path[4096];
	struct dirent *e;
	DIR *d;

	if (!dir || !dir[0])
		return;
	d = opendir(dir);
	while (d && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

/* @n bytes as a reader would say it: "64 MiB", "1 KiB", "100 bytes". */
static void size_text(uint64_t n, char *buf, size_t len)
{
	if (n && !(n & ((1u << 20) - 1)))
		snprintf(buf, len, "%llu MiB", (unsigned long long)(n >> 20));
	else if (n && !(n & 1023))
		snprintf(buf, len, "%llu KiB", (unsigned long long)(n >> 10));
	else
		snprintf(buf, len, "%llu bytes", (unsigned long long)n);
}

/* Copy @in to @out, at most @max bytes; -1 with @err naming @from or @path. */
static int copy_fd(int in, int out, uint64_t max, const char *from, const char *path, char *err,
		   size_t errlen)
{
	char buf[16384], lim[32];
	uint64_t done = 0;
	ssize_t n, w;

	for (;;) {
		n = read(in, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			pvx_set_err(err, errlen, "cannot read %s: %s", from, strerror(errno));
			return -1;
		}
		if (n == 0)
			return 0;
		/* fstat() said it fits; a file that grows since is cut off
		 * here, not copied until the disk is full. */
		done += (uint64_t)n;
		if (done > max) {
			size_text(max, lim, sizeof(lim));
			pvx_set_err(err, errlen, "%s grew past %s while being copied", from, lim);
			return -1;
		}
		/* A short write to a file is a full disk or a size limit:
		 * trying again would not finish. */
		w = write(out, buf, (size_t)n);
		if (w != n) {
			pvx_set_err(err, errlen, "cannot write %s: %s", path,
				    w < 0 ? strerror(errno) : "short write (disk full?)");
			return -1;
		}
	}
}

static const char *file_kind(mode_t m)
{
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISBLK(m))
		return "a block device";
	if (S_ISFIFO(m))
		return "a FIFO";
	return "a socket";
}

/* Open @from for a copy of at most @max bytes: a regular file only. */
static int open_source(const char *from, uint64_t max, char *err, size_t errlen)
{
	char lim[32];
	struct stat st;
	int in;

	/* O_NONBLOCK: a FIFO must not hang the open; it is refused below. */
	in = open(from, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (in < 0) {
		pvx_set_err(err, errlen, "cannot read %s: %s", from, strerror(errno));
		return -1;
	}
	if (fstat(in, &st)) {
		pvx_set_err(err, errlen, "cannot read %s: %s", from, strerror(errno));
		close(in);
		return -1;
	}
	/* /dev/zero or a pipe would never end, nor fit anywhere. */
	if (!S_ISREG(st.st_mode)) {
		pvx_set_err(err, errlen, "%s is not a regular file (%s)", from,
			    file_kind(st.st_mode));
		close(in);
		return -1;
	}
	if ((uint64_t)st.st_size > max) {
		size_text(max, lim, sizeof(lim));
		pvx_set_err(err, errlen, "%s is %lld bytes, more than the %s it may be", from,
			    (long long)st.st_size, lim);
		close(in);
		return -1;
	}
	return in;
}

int pvx_tmpdir_copy(const char *dir, const char *name, const char *from, uint64_t max, char *err,
		    size_t errlen)
{
	char path[4096];
	int in, out, rc, n = snprintf(path, sizeof(path), "%s/%s", dir, name);

	if (n < 0 || (size_t)n >= sizeof(path)) {
		pvx_set_err(err, errlen, "file name in %s too long", dir);
		return -1;
	}
	in = open_source(from, max, err, errlen);
	if (in < 0)
		return -1;
	out = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (out < 0) {
		pvx_set_err(err, errlen, "cannot create %s: %s", path, strerror(errno));
		close(in);
		return -1;
	}
	rc = copy_fd(in, out, max, from, path, err, errlen);
	close(in);
	if (close(out) && !rc) {
		pvx_set_err(err, errlen, "cannot write %s: %s", path, strerror(errno));
		rc = -1;
	}
	if (rc)
		unlink(path);
	return rc;
}

int pvx_tmpfile_fd(const char *what, char *err, size_t errlen)
{
	char path[4096];
	int fd, n = snprintf(path, sizeof(path), "%s/pvexit-%s-XXXXXX", tmp_root(), what);

	if (n < 0 || (size_t)n >= sizeof(path)) {
		pvx_set_err(err, errlen, "temporary file name under %s too long", tmp_root());
		return -1;
	}
	fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0) {
		pvx_set_err(err, errlen, "cannot make a temporary file in %s: %s", tmp_root(),
			    strerror(errno));
		return -1;
	}
	unlink(path);
	return fd;
}

void pvx_random_suffix(char *buf, size_t len)
{
	static const char set[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	unsigned char r[64];
	size_t i, n = len ? len - 1 : 0;

	if (!len)
		return;
	if (n > sizeof(r))
		n = sizeof(r);
	if (getrandom(r, n, GRND_NONBLOCK) != (ssize_t)n) {
		/* No entropy yet (early boot) or no getrandom: the clock
		 * and pid, guessable, but still unlikely to be taken. */
		struct timespec ts;
		uint64_t x;

		clock_gettime(CLOCK_REALTIME, &ts);
		x = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 30) ^ ((uint64_t)getpid() << 48);
		for (i = 0; i < n; i++) {
			x = x * 6364136223846793005ull + 1442695040888963407ull;
			r[i] = (unsigned char)(x >> 56);
		}
	}
	for (i = 0; i < n; i++)
		buf[i] = set[r[i] % (sizeof(set) - 1)];
	buf[n] = '\0';
}
