// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tracepoint counts from a tracefs instance's per-CPU "stats" files.
 * The instance does not overwrite (options/overwrite 0): a full buffer
 * drops new events and says so in "dropped events", which fails the
 * read rather than undercounting.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tmp.h"
#include "tp_count.h"
#include "util.h"

struct pvx_tpcount {
	char dir[256]; /* the instance */
	char event[128]; /* events/SYSTEM/EVENT in it */
	unsigned int ncpus;
};

static const char *const tracing_roots[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };

static int write_file(const char *path, const char *s, char *err, size_t errlen)
{
	size_t n = strlen(s);
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	ssize_t w;

	if (fd < 0) {
		pvx_set_err(err, errlen, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	w = n ? write(fd, s, n) : 0;
	if (w < 0 || (size_t)w != n) {
		pvx_set_err(err, errlen, "cannot write '%s' to %s: %s", s, path,
			    w < 0 ? strerror(errno) : "short write");
		close(fd);
		return -1;
	}
	if (close(fd) < 0) {
		pvx_set_err(err, errlen, "cannot write '%s' to %s: %s", s, path, strerror(errno));
		return -1;
	}
	return 0;
}

static const char *tracing_root(void)
{
	char path[128];
	size_t i;

	for (i = 0; i < sizeof(tracing_roots) / sizeof(tracing_roots[0]); i++) {
		snprintf(path, sizeof(path), "%s/instances", tracing_roots[i]);
		if (!access(path, F_OK))
			return tracing_roots[i];
	}
	return NULL;
}

struct pvx_tpcount *pvx_tpcount_open(const char *system, const char *event, const char *filter,
				     unsigned int buffer_kb, char *err, size_t errlen)
{
	const char *root = tracing_root();
	struct pvx_tpcount *t;
	char path[512], suffix[9], num[24];
	long ncpus = sysconf(_SC_NPROCESSORS_CONF);

	if (!root) {
		pvx_set_err(
			err, errlen,
			"tracefs is not mounted: mount it with 'mount -t tracefs nodev /sys/kernel/tracing'");
		return NULL;
	}
	snprintf(path, sizeof(path), "%s/events/%s/%s/enable", root, system, event);
	if (access(path, F_OK)) {
		pvx_set_err(err, errlen, "no tracepoint %s:%s in %s/events", system, event, root);
		return NULL;
	}
	t = pvx_xcalloc(1, sizeof(*t));
	t->ncpus = ncpus > 0 ? (unsigned int)ncpus : 1;
	pvx_random_suffix(suffix, sizeof(suffix));
	snprintf(t->dir, sizeof(t->dir), "%s/instances/pvexit-%d-%s", root, (int)getpid(), suffix);
	/* mkdir fails on a name that exists: an instance of somebody
	 * else's is never ours to use or remove. */
	if (mkdir(t->dir, 0700) < 0) {
		pvx_set_err(err, errlen, "cannot create the tracefs instance %s: %s", t->dir,
			    strerror(errno));
		free(t);
		return NULL;
	}
	snprintf(t->event, sizeof(t->event), "events/%s/%s", system, event);
	snprintf(num, sizeof(num), "%u", buffer_kb);
	snprintf(path, sizeof(path), "%s/options/overwrite", t->dir);
	if (write_file(path, "0", err, errlen) < 0)
		goto fail;
	snprintf(path, sizeof(path), "%s/buffer_size_kb", t->dir);
	if (write_file(path, num, err, errlen) < 0)
		goto fail;
	if (filter) {
		snprintf(path, sizeof(path), "%s/%s/filter", t->dir, t->event);
		if (write_file(path, filter, err, errlen) < 0)
			goto fail;
	}
	snprintf(path, sizeof(path), "%s/%s/enable", t->dir, t->event);
	if (write_file(path, "1", err, errlen) < 0)
		goto fail;
	return t;
fail:
	pvx_tpcount_close(t);
	return NULL;
}

int pvx_tpcount_reset(struct pvx_tpcount *t, char *err, size_t errlen)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/trace", t->dir);
	return write_file(path, "", err, errlen);
}

/* "name: value" of a per-CPU stats file, or -1 if it has no such line. */
static int stat_value(const char *text, const char *name, uint64_t *v)
{
	size_t n = strlen(name);
	const char *p = text;

	for (; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, name, n) && p[n] == ':') {
			char *end;

			errno = 0;
			*v = strtoull(p + n + 1, &end, 10);
			return errno || end == p + n + 1 ? -1 : 0;
		}
	return -1;
}

int pvx_tpcount_read(struct pvx_tpcount *t, uint64_t *count, char *err, size_t errlen)
{
	char path[512], text[1024];
	unsigned int cpu;

	*count = 0;
	for (cpu = 0; cpu < t->ncpus; cpu++) {
		uint64_t entries, overrun, dropped = 0;
		ssize_t n;
		int fd;

		snprintf(path, sizeof(path), "%s/per_cpu/cpu%u/stats", t->dir, cpu);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 && errno == ENOENT)
			continue; /* a CPU that is not there */
		if (fd < 0) {
			pvx_set_err(err, errlen, "cannot open %s: %s", path, strerror(errno));
			return -1;
		}
		n = read(fd, text, sizeof(text) - 1);
		close(fd);
		if (n <= 0) {
			pvx_set_err(err, errlen, "cannot read %s: %s", path,
				    n < 0 ? strerror(errno) : "empty");
			return -1;
		}
		text[n] = '\0';
		if (stat_value(text, "entries", &entries) < 0 ||
		    stat_value(text, "overrun", &overrun) < 0) {
			pvx_set_err(err, errlen, "%s: no entries and overrun lines", path);
			return -1;
		}
		stat_value(text, "dropped events", &dropped);
		if (overrun || dropped) {
			pvx_set_err(
				err, errlen,
				"%s: %llu events lost (overrun %llu, dropped %llu): the buffer is too small",
				path, (unsigned long long)(overrun + dropped),
				(unsigned long long)overrun, (unsigned long long)dropped);
			return -1;
		}
		*count += entries;
	}
	return 0;
}

void pvx_tpcount_close(struct pvx_tpcount *t)
{
	char path[512], err[64];

	if (!t)
		return;
	snprintf(path, sizeof(path), "%s/%s/enable", t->dir, t->event);
	write_file(path, "0", err, sizeof(err));
	rmdir(t->dir);
	free(t);
}

#define TP_BUFFER_KB 8192 /* per CPU: a phase's exits, 32-48 bytes each */

struct pvx_tpphases {
	struct pvx_tpcount *all, *emul;
	unsigned int nphases;
	uint64_t *exits, *emuls;
	bool *have;
	int phase; /* the phase under way, or -1 */
	char err[256]; /* the first failure */
};

struct pvx_tpphases *pvx_tpphases_open(bool booke, unsigned int nphases, char *err, size_t errlen)
{
	const char *sys = booke ? "kvm_booke" : "kvm_pr";
	struct pvx_tpphases *t = pvx_xcalloc(1, sizeof(*t));

	t->all = pvx_tpcount_open(sys, "kvm_exit", NULL, TP_BUFFER_KB, err, errlen);
	if (t->all)
		t->emul = pvx_tpcount_open(sys, "kvm_exit",
					   booke ? "exit_nr == 6" : "exit_nr == 0x700",
					   TP_BUFFER_KB, err, errlen);
	if (!t->emul) {
		pvx_tpphases_close(t);
		return NULL;
	}
	t->nphases = nphases;
	t->exits = pvx_xcalloc(nphases, sizeof(*t->exits));
	t->emuls = pvx_xcalloc(nphases, sizeof(*t->emuls));
	t->have = pvx_xcalloc(nphases, sizeof(*t->have));
	t->phase = -1;
	return t;
}

/* The vCPU is stopped in a marker's exit: empty the buffers when a
 * phase begins, take their counts when it ends. */
void pvx_tpphases_mark(struct pvx_tpphases *t, int phase)
{
	char err[256];

	if (!t || t->err[0])
		return;
	if (phase >= 0) {
		t->phase = (unsigned int)phase < t->nphases ? phase : -1;
		/* An index of an earlier run's phase: not counted yet. */
		if (t->phase >= 0)
			t->have[t->phase] = false;
		if (pvx_tpcount_reset(t->all, err, sizeof(err)) < 0 ||
		    pvx_tpcount_reset(t->emul, err, sizeof(err)) < 0)
			snprintf(t->err, sizeof(t->err), "%s", err);
		return;
	}
	if (t->phase < 0)
		return;
	if (pvx_tpcount_read(t->all, &t->exits[t->phase], err, sizeof(err)) < 0 ||
	    pvx_tpcount_read(t->emul, &t->emuls[t->phase], err, sizeof(err)) < 0)
		snprintf(t->err, sizeof(t->err), "%s", err);
	else
		t->have[t->phase] = true;
	t->phase = -1;
}

bool pvx_tpphases_get(const struct pvx_tpphases *t, unsigned int phase, uint64_t *exits,
		      uint64_t *emul)
{
	if (!t || t->err[0] || phase >= t->nphases || !t->have[phase])
		return false;
	*exits = t->exits[phase];
	*emul = t->emuls[phase];
	return true;
}

const char *pvx_tpphases_error(const struct pvx_tpphases *t)
{
	return t ? t->err : "";
}

void pvx_tpphases_close(struct pvx_tpphases *t)
{
	if (!t)
		return;
	pvx_tpcount_close(t->all);
	pvx_tpcount_close(t->emul);
	free(t->exits);
	free(t->emuls);
	free(t->have);
	free(t);
}
