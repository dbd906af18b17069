/*
 * What the exit collector's BPF programs (exits.bpf.c) and its user side
 * (exits_collect.c) share: the keys and values of the maps.  Included by
 * both, so only fixed-width types, no padding holes.
 */
#ifndef PVEXIT_TRACE_EXITS_H
#define PVEXIT_TRACE_EXITS_H

/* What a count key counts. */
#define PVX_EV_EXIT 0 /* kvm_pr:kvm_exit */
#define PVX_EV_INSTR 1 /* kvm:kvm_ppc_instr, the emulated instruction */
#define PVX_EV_REENTER 2 /* kvm_pr:kvm_book3s_reenter */
#define PVX_EV_KINDS 3

/* The phase of a vCPU thread outside any measured phase. */
#define PVX_PHASE_IDLE 0xffffffffu

/* Class number for an instruction word outside the table, or an exit
 * whose last_inst means nothing (only PROGRAM exits are decoded). */
#define PVX_CLASS_OTHER 0xffffu

struct pvx_count_key {
	__u32 tid; /* the vCPU thread */
	__u32 phase; /* the launcher's phase index, or PVX_PHASE_IDLE */
	__u32 kind; /* PVX_EV_* */
	__u32 vector; /* exit_nr for exits, 0 otherwise */
	__u32 cls; /* class id, or PVX_CLASS_OTHER */
	__u32 pad;
};

struct pvx_hist_key {
	__u32 tid;
	__u32 phase;
	__u32 vector;
	__u32 cls;
	__u32 slot;
	__u32 pad;
};

/* The last exit of a thread, waiting for its reentry. */
struct pvx_exit_start {
	__u64 ns;
	__u32 vector;
	__u32 cls;
};

#endif
