// SPDX-License-Identifier: GPL-2.0-only
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tmp.h"
#include "util.h"

static const char *tmp_root(void)
{
	const char *t = getenv("TMPDIR");

	return t && t[0] == '/' ? t : "/tmp";
}

int pvx_tmpdir_make(const char *what, char *dir, size_t len, char *err, size_t errlen)
{
	int n = snprintf(dir, len, "%s/pvexit-%s-XXXXXX", tmp_root(), what);

	if (n < 0 || (size_t)n >= len) {
		pvx_set_err(err, errlen, "temporary directory name under %s too long", tmp_root());
		dir[0] = '\0';
		return -1;
	}
	/* mkdtemp creates it 0700. */
	if (!mkdtemp(dir)) {
		pvx_set_err(err, errlen, "cannot make a temporary directory in %s: %s", tmp_root(),
			    strerror(errno));
		dir[0] = '\0';
		return -1;
	}
	return 0;
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
