// SPDX-License-Identifier: GPL-2.0-only
/*
 * Exit collector: counts KVM PR exits by vector and instruction class,
 * emulated instructions by class and reentries, and a log2 histogram of
 * exit-to-reentry time, per vCPU thread and phase, in the kernel.
 *
 * Every event of a trapping instruction runs through here three times
 * (kvm_exit, kvm_ppc_instr, kvm_book3s_reenter), and under an emulated
 * host each page and helper touched costs dearly, so the programs are
 * BTF tracepoints (the tracepoint's C arguments, no trace record built)
 * that touch one slot of plain global memory and call at most two
 * helpers, with no map lookup.  See exits.h for how the slots are shared.
 */
#include "vmlinux.h"

#include <bpf/bpf_helpers.h>

#include <pvexit/classes.h>
#include <pvexit/collect.h>

#include "exits.h"

char LICENSE[] SEC("license") = "GPL";

/*
 * What we read of the vCPU (Linux 6.1 arch/powerpc/include/asm/kvm_host.h).
 * The types live in the kvm and kvm_pr modules' BTF, which CO-RE
 * searches when vmlinux lacks them.
 */
struct kvm_vcpu_arch_shared___pvx {
	__u64 msr;
} __attribute__((preserve_access_index));

struct kvm_vcpu_arch___pvx {
	__u32 last_inst;
	struct kvm_vcpu_arch_shared___pvx *shared;
	bool shared_big_endian;
} __attribute__((preserve_access_index));

struct kvm_vcpu___pvx {
	struct kvm_vcpu_arch___pvx arch;
} __attribute__((preserve_access_index));

/* Set by the loader: the byte order of this kernel (1 little-endian). */
const volatile __u32 host_le = 1;
/* Set by the loader for counts only (by vector and class): on_instr and
 * on_reenter are then not loaded, and no exit is timed. */
const volatile __u32 counts_only = 0;

/* The slots, open-addressed by tid; the user side writes tid and phase
 * through the mmap of this section. */
struct pvx_exit_slot slots[PVX_EXIT_SLOTS];

/* Events that found no room: non-zero makes every figure a lower bound. */
__u64 dropped;

struct pvx_match {
	__u32 match, mask;
};

/* The class table's match and mask, in table order. */
static const struct pvx_match table[PVX_CLASS_COUNT] = {
#define PVX_CLASS(id, name, syntax, match, mask, kind, field, width, families, feature, bench, \
		  quiet)                                                                       \
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
	return PVX_CLASS_COUNT;
}

/* The calling thread's slot while it is in a phase, else NULL. */
static struct pvx_exit_slot *current_slot(void)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid(), i, h;
	struct pvx_exit_slot *s;

	for (i = 0; i < PVX_EXIT_SLOTS; i++) {
		h = (tid + i) & (PVX_EXIT_SLOTS - 1);
		s = &slots[h];
		if (s->tid == tid)
			return s->phase == PVX_PHASE_IDLE ? NULL : s;
		if (!s->tid)
			return NULL;
	}
	return NULL;
}

static void count_vector(struct pvx_exit_slot *s, __u32 vector)
{
	__u32 i;

	for (i = 0; i < PVX_EXIT_VECTORS; i++) {
		if (s->n.vector[i] == vector) {
			s->n.by_vector[i]++;
			return;
		}
		if (!s->n.vector[i]) {
			s->n.vector[i] = vector;
			s->n.by_vector[i] = 1;
			return;
		}
	}
	__sync_fetch_and_add(&dropped, 1);
}

/* The programs take the tracepoints' arguments (TP_PROTO) from ctx[]; the
 * verifier types each by the tracepoint's BTF prototype. */
SEC("tp_btf/kvm_exit")
int on_exit(__u64 *ctx)
{
	unsigned int exit_nr = (unsigned int)ctx[0];
	struct kvm_vcpu___pvx *vcpu = (void *)ctx[1];
	struct pvx_exit_slot *s = current_slot();
	__u64 msr;
	__u32 word, cls;

	if (!s)
		return 0;
	if (!counts_only)
		s->exit_ns = bpf_ktime_get_ns();
	if (exit_nr != PVX_VECTOR_PROGRAM) {
		s->exit_cls = PVX_EXIT_CLASSES;
		/* Vector 0 would read as a free entry; KVM has none. */
		if (exit_nr)
			count_vector(s, exit_nr);
		else
			__sync_fetch_and_add(&dropped, 1);
		return 0;
	}
	/* The shared page is in the byte order the guest last chose for it
	 * (kvmppc_get_msr()); last_inst is the word as the host's own load
	 * read it, so swapped when the guest's MSR[LE] is not the host's. */
	msr = pvx_shared_u64(vcpu->arch.shared->msr, vcpu->arch.shared_big_endian, host_le);
	word = pvx_exit_word(vcpu->arch.last_inst, msr & 1, host_le);
	cls = classify(word);
	s->exit_word = word;
	s->exit_cls = cls;
	if (cls < PVX_EXIT_CLASSES)
		s->n.program[cls]++;
	return 0;
}

SEC("tp_btf/kvm_ppc_instr")
int on_instr(__u64 *ctx)
{
	unsigned int inst = (unsigned int)ctx[0];
	struct pvx_exit_slot *s = current_slot();
	__u32 cls;

	if (!s)
		return 0;
	/* Nearly always the word of the exit that brought it here. */
	cls = s->exit_cls < PVX_EXIT_CLASSES && s->exit_word == inst ? s->exit_cls : classify(inst);
	if (cls < PVX_EXIT_CLASSES)
		s->n.instr[cls]++;
	return 0;
}

SEC("tp_btf/kvm_book3s_reenter")
int on_reenter(void *ctx)
{
	struct pvx_exit_slot *s = current_slot();
	__u32 slot;

	(void)ctx;
	if (!s)
		return 0;
	s->n.reenter++;
	if (s->exit_ns) {
		slot = pvx_hist_slot(bpf_ktime_get_ns() - s->exit_ns);
		s->exit_ns = 0; /* paired: a second reentry will not count it again */
		if (slot < PVX_HIST_SLOTS)
			s->n.hist[slot]++;
	}
	return 0;
}
