/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * From an exit's instruction word to a row of the class table
 * (include/pvexit/classes.def).  The trace decoder uses it on every
 * kvm_pr:kvm_exit and kvm:kvm_ppc_instr record; the BPF collector
 * (exits.bpf.c) applies the same two rules in the kernel:
 *
 *   - byte order: kvm_exit's last_inst is the word as the host's own lwz
 *     read it from guest memory, so it is byte-swapped whenever the
 *     guest's MSR[LE] differs from the host's byte order;
 *     kvm_ppc_instr's inst has already been put in instruction order by
 *     the kernel (kvmppc_get_last_inst()).
 *   - matching: the first row, in table order, whose mask and match
 *     accept the word.  No two rows of today's table accept the same
 *     word (tests/unit/test_insn_class.c checks it), so the order only
 *     matters to a future row that overlaps an earlier one.
 */
#ifndef PVEXIT_INSN_CLASS_H
#define PVEXIT_INSN_CLASS_H

#include <stdbool.h>
#include <stdint.h>

#include <pvexit/classes.h>
#include <pvexit/collect.h>

/* A word that is in no row of the table. */
#define PVX_INSN_OTHER (-1)

/* MSR[LE], the guest's byte order, in the msr field of kvm_exit. */
#define PVX_MSR_LE 0x1u

/* KVM_INST_FETCH_FAILED: the exit path could not read the word. */
#define PVX_INSN_FETCH_FAILED 0xffffffffu

/**
 * pvx_insn_classify() - the class of an instruction word.
 * @word: the word in instruction order (as the ISA writes it)
 *
 * Context: any; no allocation.
 * Return: a PVX_CLASS_* id, or PVX_INSN_OTHER.
 */
int pvx_insn_classify(uint32_t word);

/**
 * pvx_insn_from_exit() - kvm_exit's last_inst in instruction order.
 * @last_inst: the tracepoint's last_inst field, as a number (its low 32
 *	bits hold the word)
 * @guest_msr: the msr field of the same record (the guest's MSR)
 * @host_big_endian: the byte order of the kernel that recorded it
 *
 * Return: the word (PVX_INSN_FETCH_FAILED is its own byte swap).
 */
uint32_t pvx_insn_from_exit(uint64_t last_inst, uint64_t guest_msr, bool host_big_endian);

/**
 * pvx_insn_exit_has_word() - whether kvm_exit's last_inst means
 * anything for exit @vector.  KVM PR's exit path reads the word for a
 * few vectors only and leaves the previous one in place for the others;
 * of those few, the table's classes can only take PROGRAM, so only
 * PROGRAM exits are classified (as the BPF collector does).
 */
bool pvx_insn_exit_has_word(uint32_t vector);

/* The class's name, "other" for PVX_INSN_OTHER, "-" for anything else. */
const char *pvx_insn_class_name(int cls);

#endif
