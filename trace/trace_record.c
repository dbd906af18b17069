// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvexit trace record: the three KVM PR tracepoints, in a tracefs
 * instance of our own so that nothing else tracing on the host is
 * disturbed, captured page by page from trace_pipe_raw into the raw
 * trace container.  Full pages are spliced out while the workload runs;
 * the partly filled ones are read once tracing stops.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <tracefs.h>

#include "proc.h"
#include "pvtrace.h"
#include "tmp.h"
#include "trace_decode_internal.h"
#include "trace_record.h"
#include "util.h"

static const struct {
	const char *sys, *name, *hint;
} events[] = {
	{ PVX_TP_EXIT_SYS, PVX_TP_EXIT, "is the kvm-pr module loaded?" },
	{ PVX_TP_INSTR_SYS, PVX_TP_INSTR, "is this a PowerPC KVM host, with kvm loaded?" },
	{ PVX_TP_REENTER_SYS, PVX_TP_REENTER, "is the kvm-pr module loaded?" },
};
#define NEVENTS (sizeof(events) / sizeof(events[0]))

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

struct rec {
	const struct pvx_record_opts *o;
	struct pvx_record_result *res;
	struct tracefs_instance *inst;
	struct tracefs_cpu **tcpu;
	unsigned int ncpus, page_size;
	int long_size;
	unsigned char *page;
	struct pvt_writer *w;
	pid_t child;
	int go_fd, exec_fd; /* the child waits on go_fd; exec_fd reports a failed exec */
	char *err;
	size_t errlen;
};

static int fail(struct rec *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct rec *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	pvx_vset_err(r->err, r->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* Where tracefs is; it is the user's to mount, never ours. */
static const char *tracing_dir(struct rec *r)
{
	const char *dir = NULL;
	char path[512];

	if (tracefs_tracing_dir_is_mounted(false, &dir) != 1 || !dir) {
		fail(r,
		     "tracefs is not mounted: mount it with 'mount -t tracefs nodev /sys/kernel/tracing'");
		return NULL;
	}
	snprintf(path, sizeof(path), "%s/events/header_page", dir);
	if (access(path, R_OK)) {
		if (errno == EACCES || errno == EPERM)
			fail(r, "no permission to read %s: recording needs root", path);
		else
			fail(r, "cannot read %s: %s", path, strerror(errno));
		return NULL;
	}
	return dir;
}

static char *read_file(struct rec *r, struct tracefs_instance *inst, const char *file, int *len)
{
	char *s = tracefs_instance_file_read(inst, file, len);

	if (!s || *len <= 0)
		fail(r, "cannot read %s/%s: %s", tracefs_tracing_dir(), file,
		     errno ? strerror(errno) : "empty");
	return s;
}

/* The "[name]" entry of a trace_clock file. */
static void clock_name(const char *s, char *out, size_t n)
{
	const char *a = s ? strchr(s, '[') : NULL, *b = a ? strchr(a, ']') : NULL;

	out[0] = 0;
	if (a && b && (size_t)(b - a - 1) < n)
		snprintf(out, n, "%.*s", (int)(b - a - 1), a + 1);
}

/* INFO, header_page, header_event and the formats; learns the page size. */
static int start_file(struct rec *r, const char *dir)
{
	struct pvt_info info = { 0 };
	struct tep_handle *tep;
	char *hp, *he, *clk, text[1024], clock[32] = "";
	struct utsname u;
	int hplen, helen, len, i, n;
	size_t k;

	for (k = 0; k < NEVENTS; k++)
		if (!tracefs_event_file_exists(NULL, events[k].sys, events[k].name, "format"))
			return fail(r, "no tracepoint %s:%s in %s/events (%s)", events[k].sys,
				    events[k].name, dir, events[k].hint);
	hp = read_file(r, NULL, "events/header_page", &hplen);
	if (!hp)
		return -1;
	tep = tep_alloc();
	if (!tep || tep_parse_header_page(tep, hp, hplen, sizeof(long)) ||
	    tep_get_sub_buffer_size(tep) < (int)PVT_MIN_PAGE ||
	    tep_get_sub_buffer_size(tep) > (int)PVT_MAX_PAGE ||
	    (tep_get_header_page_size(tep) != 4 && tep_get_header_page_size(tep) != 8)) {
		tep_free(tep);
		free(hp);
		return fail(r, "%s/events/header_page does not describe a ring-buffer page I know",
			    dir);
	}
	r->page_size = (unsigned int)tep_get_sub_buffer_size(tep);
	r->long_size = tep_get_header_page_size(tep);
	tep_free(tep);

	clk = tracefs_instance_file_read(r->inst, "trace_clock", &len);
	clock_name(clk, clock, sizeof(clock));
	free(clk);
	uname(&u);
	n = snprintf(text, sizeof(text), "clock=%s\nkernel=%s\nmachine=%s\n", clock, u.release,
		     u.machine);
	if (r->o->pid)
		n += snprintf(text + n, sizeof(text) - (size_t)n, "pid=%d\n", (int)r->o->pid);
	for (i = 0; r->o->argv && r->o->argv[i] && (size_t)n < sizeof(text) - 1; i++)
		n += snprintf(text + n, sizeof(text) - (size_t)n, "%s%s",
			      i ? " " : "command=", r->o->argv[i]);
	if ((size_t)n < sizeof(text) - 1 && r->o->argv)
		strcat(text, "\n");
	info.big_endian = __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__;
	info.long_size = (unsigned int)r->long_size;
	info.page_size = r->page_size;
	info.ncpus = r->ncpus;
	info.text = text;
	r->w = pvt_create(r->o->out, &info, r->err, r->errlen);
	if (!r->w) {
		free(hp);
		return -1;
	}
	pvt_section(r->w, PVT_HEADER_PAGE, hp, (size_t)hplen, NULL, 0);
	free(hp);
	he = read_file(r, NULL, "events/header_event", &helen);
	if (!he)
		return -1;
	pvt_section(r->w, PVT_HEADER_EVENT, he, (size_t)helen, NULL, 0);
	free(he);
	for (k = 0; k < NEVENTS; k++) {
		char *f = tracefs_event_file_read(NULL, events[k].sys, events[k].name, "format",
						  &len);

		if (!f || len <= 0) {
			free(f);
			return fail(r, "cannot read the format of %s:%s", events[k].sys,
				    events[k].name);
		}
		pvt_format(r->w, events[k].sys, f, (size_t)len);
		free(f);
	}
	return pvt_error(r->w) ? fail(r, "%s", pvt_error(r->w)) : 0;
}

/* In the child: the command starts only once tracing is on. */
static void wait_for_go(void *arg)
{
	const int *go = arg;
	char c;

	close(go[1]);
	if (read(go[0], &c, 1) != 1)
		_exit(127);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
}

/* A child that waits for the go byte, then runs the command. */
static int spawn(struct rec *r)
{
	int go[2];
	struct pvx_cmd cmd = { .argv = r->o->argv, .setup = wait_for_go, .arg = go };

	if (pipe2(go, O_CLOEXEC))
		return fail(r, "pipe: %s", strerror(errno));
	r->child = pvx_spawn(&cmd, &r->exec_fd, r->err, r->errlen);
	close(go[0]);
	if (r->child < 0) {
		r->child = 0;
		close(go[1]);
		return -1;
	}
	r->go_fd = go[1];
	return 0;
}

static int release(struct rec *r)
{
	int e;

	if (write(r->go_fd, "g", 1) != 1)
		return fail(r, "cannot start '%s': %s", r->o->argv[0], strerror(errno));
	close(r->go_fd);
	r->go_fd = -1;
	e = pvx_spawn_result(r->exec_fd);
	r->exec_fd = -1;
	if (e) {
		pvx_wait(r->child, NULL);
		r->child = 0;
		return fail(r, "cannot run '%s': %s", r->o->argv[0], strerror(e));
	}
	return 0;
}

/* set_event_pid: the process's threads; event-fork adds their children. */
static int filter_pids(struct rec *r)
{
	char path[64], *list = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&list, &len);
	pid_t pid = r->child ? r->child : r->o->pid;
	struct dirent *de;
	DIR *d;
	int ret;

	if (!m)
		return fail(r, "out of memory");
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	d = opendir(path);
	if (!d) {
		fclose(m);
		free(list);
		return fail(r, "no process %d (%s)", (int)pid, strerror(errno));
	}
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			fprintf(m, "%s ", de->d_name);
	closedir(d);
	fclose(m);
	ret = tracefs_instance_file_write(r->inst, "options/event-fork", "1") < 0 ||
	      tracefs_instance_file_write(r->inst, "set_event_pid", list) < 0;
	free(list);
	if (ret)
		return fail(r, "cannot set the pid filter of instance %s: %s",
			    tracefs_instance_get_name(r->inst), strerror(errno));
	return 0;
}

/* Write out every full page waiting in the ring buffers. */
static int drain(struct rec *r, bool partial, bool *any)
{
	unsigned int cpu;

	for (cpu = 0; cpu < r->ncpus; cpu++) {
		for (;;) {
			int n = partial ? tracefs_cpu_flush(r->tcpu[cpu], r->page) :
					  tracefs_cpu_buffered_read(r->tcpu[cpu], r->page, true);

			if (n < 0 && (errno == EAGAIN || errno == EINTR))
				n = 0;
			if (n < 0)
				return fail(r, "reading the ring buffer of CPU %u: %s", cpu,
					    strerror(errno));
			if (!n)
				break;
			if ((unsigned int)n != r->page_size)
				return fail(r, "CPU %u: a %d-byte read, not a %u-byte page", cpu, n,
					    r->page_size);
			if (pvt_page(r->w, cpu, r->page))
				return fail(r, "%s", pvt_error(r->w));
			r->res->pages++;
			*any = true;
		}
	}
	return 0;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Until the command or process ends, time is up, or a signal arrives. */
static int capture(struct rec *r)
{
	uint64_t end = r->o->duration ? now_ms() + 1000ull * r->o->duration : 0;

	for (;;) {
		bool any = false;

		if (drain(r, false, &any))
			return -1;
		if (stop_signal) {
			r->res->interrupted = 1;
			break;
		}
		if (r->child) {
			int st;
			pid_t p = pvx_wait_nohang(r->child, &st);

			if (p == r->child) {
				r->child = 0;
				r->res->ran = 1;
				r->res->status = st;
				break;
			}
		} else if (r->o->pid && kill(r->o->pid, 0) && errno == ESRCH) {
			break;
		}
		if (end && now_ms() >= end)
			break;
		if (!any) {
			struct timespec ts = { 0, 50 * 1000 * 1000 };

			nanosleep(&ts, NULL);
		}
	}
	return 0;
}

/* Stop tracing, take what is left, and the kernel's loss counts. */
static int finish(struct rec *r)
{
	unsigned int cpu;
	bool any;

	tracefs_trace_off(r->inst);
	if (drain(r, false, &any) || drain(r, true, &any))
		return -1;
	for (cpu = 0; cpu < r->ncpus; cpu++) {
		struct pvx_trace_cpu c = { 0 };
		char file[64], *s;
		int len;

		snprintf(file, sizeof(file), "per_cpu/cpu%u/stats", cpu);
		s = read_file(r, r->inst, file, &len);
		if (!s)
			return -1;
		if (!pvx_parse_cpu_stats(s, (size_t)len, &c))
			r->res->lost += c.overrun + c.commit_overrun + c.dropped;
		pvt_cpu_stats(r->w, cpu, s, (size_t)len);
		free(s);
	}
	if (pvt_error(r->w))
		return fail(r, "%s", pvt_error(r->w));
	return 0;
}

static int setup(struct rec *r)
{
	char name[48], suffix[9];
	size_t k;
	unsigned int cpu;
	const char *dir = tracing_dir(r);

	if (!dir)
		return -1;
	if (r->o->pid && kill(r->o->pid, 0) && errno == ESRCH)
		return fail(r, "no process %d", (int)r->o->pid);
	/* libtracefs hands back an instance that exists already.  Under a
	 * name nobody can guess none should; one that does is someone
	 * else's, whose tracing is not ours to change or destroy. */
	pvx_random_suffix(suffix, sizeof(suffix));
	snprintf(name, sizeof(name), "pvexit-%d-%s", (int)getpid(), suffix);
	r->inst = tracefs_instance_create(name);
	if (!r->inst)
		return fail(r, "cannot create the tracefs instance %s/instances/%s: %s", dir, name,
			    strerror(errno));
	if (!tracefs_instance_is_new(r->inst)) {
		tracefs_instance_free(r->inst);
		r->inst = NULL;
		return fail(r, "the tracefs instance %s/instances/%s already exists: not using it",
			    dir, name);
	}
	if (start_file(r, dir))
		return -1;
	if (r->o->buffer_kb && tracefs_instance_set_buffer_size(r->inst, r->o->buffer_kb, -1) < 0)
		return fail(r, "cannot set the ring buffer of instance %s to %u KiB per CPU: %s",
			    name, r->o->buffer_kb, strerror(errno));
	if (r->o->argv && spawn(r))
		return -1;
	if ((r->child || r->o->pid) && filter_pids(r))
		return -1;
	for (k = 0; k < NEVENTS; k++)
		if (tracefs_event_enable(r->inst, events[k].sys, events[k].name))
			return fail(r, "cannot enable %s:%s in instance %s: %s", events[k].sys,
				    events[k].name, name, strerror(errno));
	r->tcpu = pvx_xcalloc(r->ncpus, sizeof(*r->tcpu));
	for (cpu = 0; cpu < r->ncpus; cpu++) {
		r->tcpu[cpu] = tracefs_cpu_open(r->inst, cpu, true);
		if (!r->tcpu[cpu])
			return fail(r, "cannot open the raw ring buffer of CPU %u: %s", cpu,
				    strerror(errno));
		if (tracefs_cpu_read_size(r->tcpu[cpu]) != (int)r->page_size)
			return fail(r, "CPU %u reads %d-byte pages, the header_page says %u", cpu,
				    tracefs_cpu_read_size(r->tcpu[cpu]), r->page_size);
	}
	r->page = pvx_xcalloc(r->page_size, 1);
	if (tracefs_trace_on(r->inst))
		return fail(r, "cannot turn tracing on in instance %s: %s", name, strerror(errno));
	return r->child ? release(r) : 0;
}

static void teardown(struct rec *r)
{
	unsigned int cpu;

	if (r->go_fd >= 0)
		close(r->go_fd); /* the child sees EOF and exits */
	if (r->exec_fd >= 0)
		close(r->exec_fd);
	if (r->child > 0) {
		kill(r->child, SIGTERM);
		pvx_wait(r->child, NULL);
	}
	for (cpu = 0; r->tcpu && cpu < r->ncpus; cpu++)
		if (r->tcpu[cpu])
			tracefs_cpu_close(r->tcpu[cpu]);
	free(r->tcpu);
	free(r->page);
	if (r->inst) {
		tracefs_instance_destroy(r->inst);
		tracefs_instance_free(r->inst);
	}
	if (r->w)
		pvt_abort(r->w);
}

int pvx_trace_record(const struct pvx_record_opts *o, struct pvx_record_result *res, char *err,
		     size_t errlen)
{
	struct rec r = {
		.o = o, .res = res, .err = err, .errlen = errlen, .go_fd = -1, .exec_fd = -1
	};
	struct sigaction sa = { 0 }, old_int, old_term;
	long n = sysconf(_SC_NPROCESSORS_CONF);
	int ret = -1;

	memset(res, 0, sizeof(*res));
	tracefs_set_loglevel(TEP_LOG_NONE);
	tep_set_loglevel(TEP_LOG_NONE);
	if (n < 1 || n > (long)PVT_MAX_CPUS)
		return fail(&r, "sysconf reports %ld CPUs", n);
	r.ncpus = (unsigned int)n;
	res->ncpus = r.ncpus;
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	stop_signal = 0;
	if (setup(&r))
		goto out;
	if (o->ready_fd > 2) {
		char one = 1;

		if (write(o->ready_fd, &one, 1) != 1) {
			fail(&r, "cannot say the recording has started: %s", strerror(errno));
			goto out;
		}
	}
	if (capture(&r) || finish(&r))
		goto out;
	if (pvt_commit(r.w, err, errlen)) {
		r.w = NULL;
		goto out;
	}
	r.w = NULL;
	ret = 0;
out:
	teardown(&r);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	return ret;
}
