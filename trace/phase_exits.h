/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What an exit collector counted in one phase of one vCPU thread, in the
 * form every collector (BPF maps, the trace decoder) fills, so pvexit run
 * can put them side by side and compare them field by field.
 */
#ifndef PVEXIT_PHASE_EXITS_H
#define PVEXIT_PHASE_EXITS_H

#include <stdbool.h>
#include <stdint.h>

#include <pvexit/classes.h>
#include <pvexit/collect.h>

#define PVX_MAX_VECTORS 32 /* distinct exit vectors kept per phase */

struct pvx_phase_exits {
	uint64_t exits; /* kvm_pr:kvm_exit, every vector */
	uint32_t vector[PVX_MAX_VECTORS]; /* exit_nr ... */
	uint64_t by_vector[PVX_MAX_VECTORS]; /* ... and its count */
	unsigned int nvectors;
	/* PROGRAM exits (emulation) by class; [PVX_CLASS_COUNT] = other */
	uint64_t emul_by_class[PVX_CLASS_COUNT + 1];
	uint64_t emul; /* their sum */
	/* kvm:kvm_ppc_instr by class; [PVX_CLASS_COUNT] = other */
	uint64_t instr_by_class[PVX_CLASS_COUNT + 1];
	uint64_t instr;
	uint64_t reenter; /* kvm_pr:kvm_book3s_reenter */
	/* exit-to-reentry ns, all vectors: slot i counts [2^i, 2^(i+1)) */
	uint64_t hist[PVX_HIST_SLOTS];
	/* instr, instr_by_class, reenter and hist were not collected */
	bool counts_only;
};

/* @n kvm_exit events at @vector whose instruction decoded as class @cls
 * (a pvx_classes[] index; anything else counts as "other"). */
void pvx_phase_exits_exit(struct pvx_phase_exits *p, uint32_t vector, int cls, uint64_t n);

/* @n kvm_ppc_instr events of class @cls. */
void pvx_phase_exits_instr(struct pvx_phase_exits *p, int cls, uint64_t n);

/* Add @b's counts to @sum (vectors merged by number). */
void pvx_phase_exits_add(struct pvx_phase_exits *sum, const struct pvx_phase_exits *b);

#endif
