// SPDX-License-Identifier: GPL-2.0
/*
 * Exit collector: counts KVM PR exits, emulated instructions and
 * reentries per vCPU thread and phase, by exit vector and instruction
 * class, and a log2 histogram of exit-to-reentry time, all in the kernel.
 * The launcher names the phase of its vCPU thread in vcpu_phase while the
 * vCPU is stopped at a phase marker; threads not in that map are ignored.
 */
#include "vmlinux.h"

#include <bpf/bpf_helpers.h>

#include <pvexit/classes.h>
#include <pvexit/collect.h>

#include "exits.h"

char LICENSE[] SEC("license") = "GPL";

/* The tracepoints' records, as far as we read them.  The kvm_pr and kvm
 * modules carry their BTF; CO-RE finds the fields there by name. */
struct trace_event_raw_kvm_exit___pvx {
	unsigned int exit_nr;
	unsigned long msr;
	unsigned long last_inst;
} __attribute__((preserve_access_index));

struct trace_event_raw_kvm_ppc_instr___pvx {
	unsigned int inst;
} __attribute__((preserve_access_index));

/* Set by the loader: the byte order of this kernel (1 little-endian). */
const volatile __u32 host_le = 1;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u32);
} vcpu_phase SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct pvx_count_key);
	__type(value, __u64);
} counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct pvx_hist_key);
	__type(value, __u64);
} hist SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, struct pvx_exit_start);
} pending SEC(".maps");

/* Counts of what could not be recorded: a full map must not pass as a
 * quiet phase.  Index 0: counts, 1: hist. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} dropped SEC(".maps");

struct pvx_match {
	__u32 match, mask;
};

/* The class table's match and mask, in table order. */
static const struct pvx_match table[PVX_CLASS_COUNT] = {
#define PVX_CLASS(id, name, syntax, match, mask, kind, field, width, families, feature, bench) \
	{ match, mask },
#include <pvexit/classes.def>
#undef PVX_CLASS
};

static __u32 classify(__u32 word)
{
	__u32 i;

	for (i = 0; i < PVX_CLASS_COUNT; i++)
		if ((word & table[i].mask) == table[i].match)
			return i;
	return PVX_CLASS_OTHER;
}

static void add(void *map, const void *key, __u32 which)
{
	__u64 one = 1, *v;

	v = bpf_map_lookup_elem(map, key);
	if (v) {
		__sync_fetch_and_add(v, 1);
		return;
	}
	if (bpf_map_update_elem(map, key, &one, BPF_NOEXIST)) {
		/* Lost a race with another CPU, or the map is full. */
		v = bpf_map_lookup_elem(map, key);
		if (v) {
			__sync_fetch_and_add(v, 1);
			return;
		}
		v = bpf_map_lookup_elem(&dropped, &which);
		if (v)
			__sync_fetch_and_add(v, 1);
	}
}

static int count(__u32 tid, __u32 phase, __u32 kind, __u32 vector, __u32 cls)
{
	struct pvx_count_key k = {
		.tid = tid, .phase = phase, .kind = kind, .vector = vector, .cls = cls
	};

	add(&counts, &k, 0);
	return 0;
}

/* The vCPU thread's phase, or NULL for threads we do not watch. */
static __u32 *watched(__u32 *tid)
{
	*tid = (__u32)bpf_get_current_pid_tgid();
	return bpf_map_lookup_elem(&vcpu_phase, tid);
}

SEC("tracepoint/kvm_pr/kvm_exit")
int on_exit(struct trace_event_raw_kvm_exit___pvx *ctx)
{
	struct pvx_exit_start *s, fresh;
	__u32 tid, *phase, word, vector, cls = PVX_CLASS_OTHER;

	phase = watched(&tid);
	if (!phase)
		return 0;
	/* Direct loads from the record: CO-RE relocates their offsets, and
	 * they cost no helper call on this hot path. */
	vector = ctx->exit_nr;
	if (vector == PVX_VECTOR_PROGRAM) {
		/* last_inst is as the guest fetched it: byte-swapped when the
		 * guest's byte order (MSR[LE]) is not the host's. */
		word = (__u32)ctx->last_inst;
		if ((__u32)(ctx->msr & 1) != host_le)
			word = __builtin_bswap32(word);
		cls = classify(word);
	}
	/* Update the thread's slot in place: replacing a hash element
	 * allocates a new one every exit. */
	s = bpf_map_lookup_elem(&pending, &tid);
	if (!s) {
		fresh.ns = bpf_ktime_get_ns();
		fresh.vector = vector;
		fresh.cls = cls;
		bpf_map_update_elem(&pending, &tid, &fresh, BPF_ANY);
	} else {
		s->ns = bpf_ktime_get_ns();
		s->vector = vector;
		s->cls = cls;
	}
	return count(tid, *phase, PVX_EV_EXIT, vector, cls);
}

SEC("tracepoint/kvm/kvm_ppc_instr")
int on_instr(struct trace_event_raw_kvm_ppc_instr___pvx *ctx)
{
	__u32 tid, *phase;

	phase = watched(&tid);
	if (!phase)
		return 0;
	return count(tid, *phase, PVX_EV_INSTR, 0, classify(ctx->inst));
}

SEC("tracepoint/kvm_pr/kvm_book3s_reenter")
int on_reenter(void *ctx)
{
	struct pvx_exit_start *s;
	struct pvx_hist_key h = {};
	__u32 tid, *phase;

	(void)ctx;
	phase = watched(&tid);
	if (!phase)
		return 0;
	s = bpf_map_lookup_elem(&pending, &tid);
	if (s && s->ns) {
		h.tid = tid;
		h.phase = *phase;
		h.vector = s->vector;
		h.cls = s->cls;
		h.slot = pvx_hist_slot(bpf_ktime_get_ns() - s->ns);
		s->ns = 0; /* paired: a second reentry will not count it again */
		add(&hist, &h, 1);
	}
	return count(tid, *phase, PVX_EV_REENTER, 0, PVX_CLASS_OTHER);
}
