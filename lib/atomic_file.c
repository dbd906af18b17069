// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic_file.h"
#include "util.h"

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return pvx_xstrdup(".");
	if (slash == path)
		return pvx_xstrdup("/");
	char *d = strndup(path, (size_t)(slash - path));

	if (!d)
		pvx_oom();
	return d;
}

/* The rename is durable only once the directory is on disk too. */
static void sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

int pvx_atomic_open(struct pvx_atomic_file *af, const char *path, char *err, size_t errlen)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	char *dir;
	mode_t mask;
	size_t n;
	int fd;

	memset(af, 0, sizeof(*af));
	if (!*base) {
		pvx_set_err(err, errlen, "%s: a directory, not a file name", path);
		return -1;
	}
	dir = dir_of(path);
	n = strlen(dir) + strlen(base) + 16;
	af->tmp = pvx_xcalloc(n, 1);
	snprintf(af->tmp, n, "%s/.%s.XXXXXX", dir, base);
	fd = mkostemp(af->tmp, O_CLOEXEC);
	if (fd < 0) {
		pvx_set_err(err, errlen, "%s: cannot create a temporary file in %s: %s", path, dir,
			    strerror(errno));
		free(dir);
		free(af->tmp);
		af->tmp = NULL;
		return -1;
	}
	free(dir);
	/* mkstemp makes it 0600; an output file is as readable as any other. */
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) < 0 || !(af->f = fdopen(fd, "w"))) {
		pvx_set_err(err, errlen, "%s: cannot set up %s: %s", path, af->tmp,
			    strerror(errno));
		close(fd);
		pvx_atomic_abort(af);
		return -1;
	}
	af->path = pvx_xstrdup(path);
	return 0;
}

int pvx_atomic_finish(struct pvx_atomic_file *af, char *err, size_t errlen)
{
	bool bad;

	if (!af->f)
		return 0;
	bad = ferror(af->f);
	errno = 0;
	if (bad || fflush(af->f) == EOF || fsync(fileno(af->f)) < 0) {
		pvx_set_err(err, errlen, "%s: cannot write %s: %s", af->path, af->tmp,
			    strerror(errno ? errno : EIO));
		pvx_atomic_abort(af);
		return -1;
	}
	if (fclose(af->f) == EOF) {
		af->f = NULL;
		pvx_set_err(err, errlen, "%s: cannot write %s: %s", af->path, af->tmp,
			    strerror(errno));
		pvx_atomic_abort(af);
		return -1;
	}
	af->f = NULL;
	return 0;
}

int pvx_atomic_commit(struct pvx_atomic_file *af, char *err, size_t errlen)
{
	char *dir;

	if (pvx_atomic_finish(af, err, errlen) < 0)
		return -1;
	if (rename(af->tmp, af->path) < 0) {
		pvx_set_err(err, errlen, "%s: cannot replace it with %s: %s", af->path, af->tmp,
			    strerror(errno));
		pvx_atomic_abort(af);
		return -1;
	}
	dir = dir_of(af->path);
	sync_dir(dir);
	free(dir);
	free(af->tmp);
	af->tmp = NULL;
	pvx_atomic_abort(af);
	return 0;
}

void pvx_atomic_abort(struct pvx_atomic_file *af)
{
	if (af->f)
		fclose(af->f);
	if (af->tmp)
		unlink(af->tmp);
	free(af->tmp);
	free(af->path);
	memset(af, 0, sizeof(*af));
}
