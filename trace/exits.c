// SPDX-License-Identifier: GPL-2.0-only
/*
 * User side of the BPF exit collector (exits.bpf.c): open, load and
 * attach the skeleton, say precisely why when that cannot be done, move
 * the watched threads between phases, and turn the counters into
 * per-phase counts.
 *
 * The programs count into one slot per thread for its current phase
 * only (exits.h); each phase change folds the slot into the totals kept
 * here.  pvx_exits_set_phase() must therefore be called while the thread
 * is out of KVM_RUN, as the launcher does at its phase markers: the
 * counters are taken with atomic exchanges, so nothing is lost even if
 * it is not, but an event in flight may land in either phase.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/libbpf.h>
#include <linux/types.h>

#include "bpf_error.h"
#include "collector.h"
#include "exits.h"
#include "exits.skel.h"
#include "util.h"

/* One thread's counts of one phase, folded from its slot. */
struct folded {
	__u32 tid, phase;
	struct pvx_phase_exits e;
};

struct pvx_exit_collector {
	struct exits_bpf *skel;
	struct folded *f;
	size_t nf, capf;
	uint64_t lost; /* events that could not be kept here (no memory, no slot) */
	bool counts_only; /* on_instr and on_reenter not loaded */
};

static bool verbose_libbpf;

static int print_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	/* Unless asked, we say what failed ourselves, in one line. */
	if (!verbose_libbpf)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static const struct {
	const char *system, *event;
} tracepoints[] = {
	{ "kvm_pr", "kvm_exit" },
	{ "kvm", "kvm_ppc_instr" },
	{ "kvm_pr", "kvm_book3s_reenter" },
};

/* The first tracefs mount that has an events directory. */
static const char *tracefs(void)
{
	static const char *const dirs[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };
	char path[128];
	size_t i;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/events", dirs[i]);
		if (!access(path, F_OK))
			return dirs[i];
	}
	return NULL;
}

/* Name what is missing before libbpf fails on it less clearly. */
static bool prerequisites(char *why, size_t len)
{
	const char *tfs = tracefs();
	char path[256];
	size_t i;

	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		snprintf(
			why, len,
			"no kernel BTF (/sys/kernel/btf/vmlinux: %s): CO-RE needs CONFIG_DEBUG_INFO_BTF",
			strerror(errno));
		return false;
	}
	for (i = 0; i < sizeof(tracepoints) / sizeof(tracepoints[0]); i++) {
		const char *sys = tracepoints[i].system;

		/* Without tracefs the load below says it, less precisely. */
		snprintf(path, sizeof(path), "%s/events/%s/%s", tfs, sys, tracepoints[i].event);
		if (tfs && access(path, F_OK)) {
			snprintf(why, len, "no tracepoint %s/%s (%s): is kvm-pr loaded?", sys,
				 tracepoints[i].event, path);
			return false;
		}
		/* A loaded module (initstate) needs BTF of its own for the
		 * programs to attach to its tracepoints. */
		snprintf(path, sizeof(path), "/sys/module/%s/initstate", sys);
		if (access(path, F_OK))
			continue;
		snprintf(path, sizeof(path), "/sys/kernel/btf/%s", sys);
		if (access(path, R_OK)) {
			snprintf(
				why, len,
				"no BTF for module %s (%s: %s): tp_btf programs need CONFIG_DEBUG_INFO_BTF_MODULES",
				sys, path, strerror(errno));
			return false;
		}
	}
	return true;
}

/*
 * Load and attach the BPF programs (with @counts_only, kvm_exit's alone);
 * @verbose lets libbpf's messages through.  Return: the collector, or
 * NULL with one line in @why saying what is missing: kernel BTF, a
 * tracepoint, the privilege, or what libbpf said.
 */
static struct pvx_exit_collector *pvx_exits_open(bool verbose, bool counts_only, char *why,
						 size_t len)
{
	struct pvx_exit_collector *c;
	int err;

	if (!prerequisites(why, len))
		return NULL;
	verbose_libbpf = verbose;
	libbpf_set_print(print_libbpf);
	c = calloc(1, sizeof(*c));
	if (!c) {
		snprintf(why, len, "out of memory");
		return NULL;
	}
	c->skel = exits_bpf__open();
	if (!c->skel) {
		pvx_bpf_error("opening the BPF object", errno, why, len);
		free(c);
		return NULL;
	}
	c->skel->rodata->host_le = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;
	c->skel->rodata->counts_only = counts_only;
	c->counts_only = counts_only;
	if (counts_only) {
		bpf_program__set_autoload(c->skel->progs.on_instr, false);
		bpf_program__set_autoload(c->skel->progs.on_reenter, false);
	}
	err = exits_bpf__load(c->skel);
	if (err) {
		pvx_bpf_error("loading the BPF programs", err, why, len);
		goto fail;
	}
	if (!c->skel->bss) {
		snprintf(why, len, "the kernel cannot map BPF global data (BPF_F_MMAPABLE)");
		goto fail;
	}
	err = exits_bpf__attach(c->skel);
	if (err) {
		pvx_bpf_error(
			"attaching to kvm_pr:kvm_exit, kvm:kvm_ppc_instr, kvm_pr:kvm_book3s_reenter",
			err, why, len);
		goto fail;
	}
	return c;
fail:
	exits_bpf__destroy(c->skel);
	free(c);
	return NULL;
}

/* Whether this kernel runs BPF programs interpreted (JIT off): the
 * collector then costs several times more per exit. */
static bool pvx_exits_jit_off(void)
{
	FILE *f = fopen("/proc/sys/net/core/bpf_jit_enable", "r");
	int c = f ? fgetc(f) : EOF;

	if (f)
		fclose(f);
	return c == '0';
}

/* The slot of @tid, or if @claim the free one it may take; NULL if none. */
static struct pvx_exit_slot *find_slot(struct pvx_exit_collector *c, __u32 tid, bool claim)
{
	struct pvx_exit_slot *slots = c->skel->bss->slots;
	__u32 i, h, t;

	/* The same probe sequence as the programs'. */
	for (i = 0; i < PVX_EXIT_SLOTS; i++) {
		h = (tid + i) & (PVX_EXIT_SLOTS - 1);
		t = __atomic_load_n(&slots[h].tid, __ATOMIC_ACQUIRE);
		if (t == tid)
			return &slots[h];
		if (!t)
			return claim ? &slots[h] : NULL;
	}
	return NULL;
}

static uint64_t take(__u64 *v, bool zero)
{
	return zero ? __atomic_exchange_n(v, 0, __ATOMIC_ACQ_REL) :
		      __atomic_load_n(v, __ATOMIC_ACQUIRE);
}

/* Add @s's counters to @p; with @zero, take them out of the slot. */
static void add_slot(struct pvx_phase_exits *p, struct pvx_exit_slot *s, bool zero)
{
	struct pvx_exit_counts *n = &s->n;
	uint64_t v;
	__u32 vec;
	int i;

	p->reenter += take(&n->reenter, zero);
	for (i = 0; i < PVX_EXIT_CLASSES; i++) {
		v = take(&n->program[i], zero);
		if (v)
			pvx_phase_exits_exit(p, PVX_VECTOR_PROGRAM, i, v);
		v = take(&n->instr[i], zero);
		if (v)
			pvx_phase_exits_instr(p, i, v);
	}
	for (i = 0; i < PVX_HIST_SLOTS; i++)
		p->hist[i] += take(&n->hist[i], zero);
	for (i = 0; i < PVX_EXIT_VECTORS; i++) {
		vec = __atomic_load_n(&n->vector[i], __ATOMIC_ACQUIRE);
		if (!vec)
			break;
		v = take(&n->by_vector[i], zero);
		if (v)
			pvx_phase_exits_exit(p, vec, PVX_CLASS_COUNT, v);
	}
	if (zero)
		for (i = 0; i < PVX_EXIT_VECTORS; i++)
			__atomic_store_n(&n->vector[i], 0, __ATOMIC_RELEASE);
}

static struct folded *folded(struct pvx_exit_collector *c, __u32 tid, __u32 phase)
{
	struct folded *f;
	size_t i;

	for (i = 0; i < c->nf; i++)
		if (c->f[i].tid == tid && c->f[i].phase == phase)
			return &c->f[i];
	if (c->nf == c->capf) {
		size_t cap = c->capf ? 2 * c->capf : 64;

		f = realloc(c->f, cap * sizeof(*f));
		if (!f)
			return NULL;
		c->f = f;
		c->capf = cap;
	}
	f = &c->f[c->nf++];
	memset(f, 0, sizeof(*f));
	f->tid = tid;
	f->phase = phase;
	return f;
}

/* Watch thread @tid, now in @phase (a phase index, or -1: between phases). */
static int pvx_exits_set_phase(struct pvx_exit_collector *c, pid_t tid, int phase)
{
	__u32 t = (__u32)tid, p = phase < 0 ? PVX_PHASE_IDLE : (__u32)phase, old;
	struct pvx_exit_slot *s;
	struct folded *f;

	if (tid <= 0) {
		errno = EINVAL;
		return -1;
	}
	s = find_slot(c, t, true);
	if (!s) {
		/* More threads than slots: this one goes uncounted, and
		 * pvx_exits_read() says so. */
		c->lost++;
		errno = ENOSPC;
		return -1;
	}
	if (!s->tid) {
		s->exit_cls = PVX_EXIT_CLASSES; /* no exit word seen yet */
		__atomic_store_n(&s->phase, p, __ATOMIC_RELAXED);
		__atomic_store_n(&s->tid, t, __ATOMIC_RELEASE);
		return 0;
	}
	old = __atomic_load_n(&s->phase, __ATOMIC_ACQUIRE);
	if (old == p)
		return 0;
	if (old != PVX_PHASE_IDLE) {
		f = folded(c, t, old);
		if (f) {
			add_slot(&f->e, s, true);
		} else {
			struct pvx_phase_exits gone = { 0 };

			add_slot(&gone, s, true);
			c->lost += gone.exits + gone.instr + gone.reenter;
		}
	}
	__atomic_store_n(&s->phase, p, __ATOMIC_RELEASE);
	return 0;
}

/*
 * The counts of thread @tid for phases 0..@nphases-1 into @out; @dropped
 * gets the events the kernel side could not record (a full map), which
 * make every figure a lower bound.  Return: 0.
 */
static int pvx_exits_read(struct pvx_exit_collector *c, pid_t tid, struct pvx_phase_exits *out,
			  unsigned int nphases, uint64_t *dropped)
{
	struct pvx_exit_slot *s = find_slot(c, (__u32)tid, false);
	__u32 phase;
	size_t i;

	memset(out, 0, nphases * sizeof(*out));
	for (i = 0; i < c->nf; i++)
		if (c->f[i].tid == (__u32)tid && c->f[i].phase < nphases)
			pvx_phase_exits_add(&out[c->f[i].phase], &c->f[i].e);
	/* The phase the thread is in: counted so far, not yet folded. */
	if (s) {
		phase = __atomic_load_n(&s->phase, __ATOMIC_ACQUIRE);
		if (phase < nphases)
			add_slot(&out[phase], s, false);
	}
	*dropped = __atomic_load_n(&c->skel->bss->dropped, __ATOMIC_ACQUIRE) + c->lost;
	return 0;
}

/* Forget everything counted so far (before the next guest run). */
static int pvx_exits_reset(struct pvx_exit_collector *c)
{
	/* Between guest runs: no watched thread is in KVM_RUN. */
	memset(c->skel->bss->slots, 0, sizeof(c->skel->bss->slots));
	__atomic_store_n(&c->skel->bss->dropped, 0, __ATOMIC_RELEASE);
	c->nf = 0;
	c->lost = 0;
	return 0;
}

static void pvx_exits_close(struct pvx_exit_collector *c)
{
	if (!c)
		return;
	exits_bpf__destroy(c->skel);
	free(c->f);
	free(c);
}

/* The collector interface (collector.h) over the functions above. */

static int bpf_open(void **priv, const struct pvx_coll_opts *o, char *why, size_t len)
{
	*priv = pvx_exits_open(o->verbose, o->counts_only, why, len);
	if (!*priv)
		return -1;
	if (pvx_exits_jit_off())
		pvx_warn(
			"the BPF JIT is off (net.core.bpf_jit_enable = 0): the collector's cost per exit is several times higher");
	return 0;
}

static int bpf_start(void *priv, pid_t tid, char *why, size_t len)
{
	(void)tid;
	(void)why;
	(void)len;
	/* Between guest runs nothing is left to count. */
	return pvx_exits_reset(priv);
}

static void bpf_mark(void *priv, pid_t tid, int phase)
{
	pvx_exits_set_phase(priv, tid, phase);
}

static int bpf_read(void *priv, pid_t tid, const struct pvx_coll_phases *ph,
		    struct pvx_phase_exits *out, char *why, size_t len)
{
	uint64_t dropped = 0;
	unsigned int i;

	if (pvx_exits_read(priv, tid, out, ph->n, &dropped) < 0) {
		snprintf(why, len, "reading the BPF maps failed: %s", strerror(errno));
		return -1;
	}
	if (dropped) {
		/* Lower bounds must not pass for counts. */
		snprintf(why, len, "the BPF maps overflowed: %llu events lost",
			 (unsigned long long)dropped);
		return -1;
	}
	for (i = 0; i < ph->n; i++)
		out[i].counts_only = ((struct pvx_exit_collector *)priv)->counts_only;
	return 0;
}

static void bpf_close(void *priv)
{
	pvx_exits_close(priv);
}

const struct pvx_collector_ops pvx_coll_bpf_ops = {
	.open = bpf_open,
	.start = bpf_start,
	.mark = bpf_mark,
	.read = bpf_read,
	.close = bpf_close,
};
