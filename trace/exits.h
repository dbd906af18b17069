/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the exit collector's BPF programs (exits.bpf.c) and its user side
 * (exits.c) share: the per-thread slots of the programs' global data.
 * Included by both, so only fixed-width types, no padding holes.
 *
 * Each watched vCPU thread owns one slot.  The programs add to the
 * slot's counters for the thread's current phase; the user side folds
 * them into its own per-phase totals and zeroes them each time it moves
 * the thread to another phase, while the thread is out of KVM_RUN.  So
 * an exit costs no map lookup: the slot is plain memory, found by tid.
 */
#ifndef PVEXIT_TRACE_EXITS_H
#define PVEXIT_TRACE_EXITS_H

#include <pvexit/classes.h>
#include <pvexit/collect.h>

/* The phase of a vCPU thread outside any measured phase: not counted. */
#define PVX_PHASE_IDLE 0xffffffffu

/* vCPU threads watched at once: a power of two (the slot table is
 * open-addressed by tid). */
#define PVX_EXIT_SLOTS 64
/* Distinct vectors other than PROGRAM kept per thread and phase; more
 * are counted as dropped. */
#define PVX_EXIT_VECTORS 32
/* Counters by class: the table's rows, then "other". */
#define PVX_EXIT_CLASSES (PVX_CLASS_COUNT + 1)

/* What the user side reads back of one phase of one thread. */
struct pvx_exit_counts {
	__u64 reenter; /* kvm_pr:kvm_book3s_reenter */
	__u64 program[PVX_EXIT_CLASSES]; /* kvm_exit at PROGRAM, by class */
	__u64 instr[PVX_EXIT_CLASSES]; /* kvm:kvm_ppc_instr, by class */
	__u64 hist[PVX_HIST_SLOTS]; /* exit to reentry, log2 ns */
	__u32 vector[PVX_EXIT_VECTORS]; /* kvm_exit at other vectors ... */
	__u64 by_vector[PVX_EXIT_VECTORS]; /* ... and their counts */
};

struct pvx_exit_slot {
	__u32 tid; /* 0: free (tid 0 never runs a vCPU) */
	__u32 phase; /* the launcher's phase index, or PVX_PHASE_IDLE */
	__u64 exit_ns; /* the pending exit's time; 0 once paired */
	/* The last PROGRAM exit's word (instruction order) and class, so
	 * that its kvm_ppc_instr need not classify it again. */
	__u32 exit_word;
	__u32 exit_cls; /* PVX_EXIT_CLASSES: no word */
	struct pvx_exit_counts n;
};

#endif
