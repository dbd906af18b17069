// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reading a trace-cmd trace.dat (any file version libtracecmd reads: 6,
 * or 7 with its sections and compression) through libtracecmd, which
 * walks the pages and merges the CPUs in time order.  The records it
 * hands over are still checked: their size against the formats, their
 * CPU, and their offsets, which must grow on each CPU.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <trace-cmd/trace-cmd.h>

#include "trace_decode_internal.h"
#include "util.h"

/* Exported by libtracecmd 1.x (trace-cmd 3.x) though only its private
 * header declares them: the only way to the per-CPU ring-buffer stats
 * trace-cmd record saved, and to the trace clock. */
const char *tracecmd_get_cpustats(struct tracecmd_input *handle);
const char *tracecmd_get_trace_clock(struct tracecmd_input *handle);

struct dat_walk {
	const char *path;
	struct pvx_decoder *d;
	struct pvx_trace *t;
	unsigned long long *last_off;
	bool *seen;
	int failed;
	char *err;
	size_t errlen;
};

static int on_record(struct tracecmd_input *h, struct tep_record *rec, int cpu, void *data)
{
	struct dat_walk *w = data;

	(void)h;
	if (cpu < 0 || (unsigned int)cpu >= w->t->ncpus || rec->size < 0 || !rec->data) {
		pvx_set_err(w->err, w->errlen, "%s: a record of CPU %d with %d bytes (corrupt)",
			    w->path, cpu, rec->size);
		w->failed = 1;
		return -1;
	}
	/* A corrupt page can send the page walker back to an earlier event. */
	if (w->seen[cpu] && rec->offset <= w->last_off[cpu]) {
		pvx_set_err(w->err, w->errlen,
			    "%s: CPU %d goes back from offset %llu to %llu (corrupt page data)",
			    w->path, cpu, w->last_off[cpu], rec->offset);
		w->failed = 1;
		return -1;
	}
	w->seen[cpu] = true;
	w->last_off[cpu] = rec->offset;
	if (rec->missed_events > 0)
		w->t->cpu[cpu].missed += (uint64_t)rec->missed_events;
	else if (rec->missed_events < 0)
		w->t->cpu[cpu].missed_unknown++;
	if (pvx_decoder_event(w->d, rec->data, (unsigned int)rec->size, rec->ts)) {
		char what[160];

		snprintf(what, sizeof(what), "%s: CPU %d, record at offset %llu", w->path, cpu,
			 rec->offset);
		pvx_decoder_refused(w->d, what);
		w->failed = 1;
		return -1;
	}
	return 0;
}

/* libtracecmd prints some complaints (a failed mmap, a bad chunk) to
 * stderr whatever its log level; the decoder's caller owns stderr and
 * prints one error line, so the library's go to /dev/null. */
static int mute_stderr(void)
{
	int saved, null;

	fflush(stderr);
	saved = dup(STDERR_FILENO);
	null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (saved >= 0 && null >= 0)
		dup2(null, STDERR_FILENO);
	if (null >= 0)
		close(null);
	return saved;
}

static void unmute_stderr(int saved)
{
	if (saved < 0)
		return;
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
}

/* trace-cmd saves each CPU's stats file after a "CPU: N" line. */
static int cpu_stats(const char *path, const char *s, struct pvx_trace *t, char *err, size_t errlen)
{
	while (s && (s = strstr(s, "CPU:"))) {
		const char *body = strchr(s, '\n'), *end;
		char num[16];
		size_t n = 0;
		uint64_t cpu;

		s += 4;
		while (*s == ' ')
			s++;
		while (s[n] && s[n] != '\n' && n < sizeof(num) - 1) {
			num[n] = s[n];
			n++;
		}
		num[n] = 0;
		if (!body || !pvx_parse_u64(num, 0, t->ncpus ? t->ncpus - 1 : 0, &cpu)) {
			pvx_set_err(err, errlen, "%s: the saved CPU stats name CPU '%s' (of %u)",
				    path, num, t->ncpus);
			return -1;
		}
		body++;
		end = strstr(body, "CPU:");
		if (pvx_parse_cpu_stats(body, end ? (size_t)(end - body) : strlen(body),
					&t->cpu[cpu])) {
			pvx_set_err(err, errlen,
				    "%s: a count in the saved stats of CPU %llu is not a number",
				    path, (unsigned long long)cpu);
			return -1;
		}
		s = end;
	}
	return 0;
}

#define DAT_OPEN_FLAGS (TRACECMD_FL_LOAD_NO_PLUGINS | TRACECMD_FL_LOAD_NO_SYSTEM_PLUGINS)

/*
 * The rehearsal of tracecmd_open_fd(): the same call on the same
 * descriptor number, but with a file offset of its own, since the
 * decoder reads the file at the same time (a descriptor shares its
 * offset across fork()).  Nothing here may allocate before the open,
 * which must start from the decoder's heap.  The whole open, not only
 * its headers: libtracecmd 3.1 parses one more format (ftrace's last)
 * in tracecmd_init_data().
 */
static void rehearse_open(void *arg)
{
	int fd = *(int *)arg, own;
	char proc[40];
	struct tracecmd_input *h;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	own = open(proc, O_RDONLY | O_CLOEXEC);
	if (own < 0)
		return; /* (no rehearsal: each format gets a child) */
	if (dup2(own, fd) < 0) {
		close(own);
		return;
	}
	close(own);
	h = tracecmd_open_fd(fd, DAT_OPEN_FLAGS);
	/* (closing removes what libtracecmd may have put in /tmp) */
	if (h)
		tracecmd_close(h);
}

int pvx_trace_read_dat(const char *path, int fd, unsigned int flags, struct pvx_trace *t, char *err,
		       size_t errlen)
{
	struct tracecmd_input *h;
	struct tep_handle *tep;
	struct pvx_decoder d = { 0 };
	struct dat_walk w = { .path = path, .d = &d, .t = t, .err = err, .errlen = errlen };
	const char *s;
	int dfd, cpus, saved, ret = -1;
	struct pvx_dat_info info;

	t->kind = PVX_TRACE_DAT;
	if (pvx_dat_check(path, fd, &info, err, errlen))
		return -1;
	tracecmd_set_loglevel(TEP_LOG_NONE);
	tep_set_loglevel(TEP_LOG_NONE);
	dfd = dup(fd);
	if (dfd < 0) {
		pvx_set_err(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	pvx_dat_kallsyms_skip(dfd, info.kallsyms);
	pvx_dat_pages_check(info.page_size, info.big_endian, info.long_size);
	saved = mute_stderr();
	/* one child opens it too, a step ahead, and parses every format
	 * before the decoder does (trace_decode_format.c) */
	pvx_formats_rehearse(rehearse_open, &dfd);
	h = tracecmd_open_fd(dfd, DAT_OPEN_FLAGS);
	pvx_formats_rehearsed();
	if (!h) {
		unmute_stderr(saved);
		close(dfd);
		pvx_set_err(
			err, errlen,
			"%s: libtracecmd cannot read this trace.dat (truncated, corrupt, or a file version it does not know)",
			path);
		return -1;
	}
	tep = tracecmd_get_tep(h);
	cpus = tep ? tep_get_cpus(tep) : 0;
	if (!tep || cpus <= 0 || cpus > 8192) {
		pvx_set_err(err, errlen, "%s: the trace.dat names %d CPUs", path, cpus);
		goto out;
	}
	t->ncpus = (unsigned int)cpus;
	t->cpu = pvx_xcalloc(t->ncpus, sizeof(*t->cpu));
	t->big_endian = tep_is_file_bigendian(tep);
	t->long_size = tep_get_long_size(tep);
	/* libtracecmd fills in the sub-buffer size from the header_page,
	 * not always the page size. */
	t->page_size = (unsigned int)tep_get_sub_buffer_size(tep);
	if (!t->page_size)
		t->page_size = (unsigned int)tep_get_page_size(tep);
	if (t->long_size != 4 && t->long_size != 8) {
		pvx_set_err(err, errlen, "%s: the trace.dat gives a %d-byte long", path,
			    t->long_size);
		goto out;
	}
	s = tracecmd_get_trace_clock(h);
	if (s && strlen(s) < sizeof(t->clock))
		strcpy(t->clock, s);
	if (cpu_stats(path, tracecmd_get_cpustats(h), t, err, errlen) ||
	    pvx_decoder_init(&d, t, flags, tep, path, err, errlen))
		goto out;
	w.last_off = pvx_xcalloc(t->ncpus, sizeof(*w.last_off));
	w.seen = pvx_xcalloc(t->ncpus, sizeof(*w.seen));
	tracecmd_iterate_events(h, NULL, 0, on_record, &w);
	ret = w.failed ? -1 : 0;
out:
	unmute_stderr(saved);
	free(w.last_off);
	free(w.seen);
	pvx_decoder_fini(&d);
	tracecmd_close(h);
	return ret;
}
