/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The BPF exit collector, as pvexit run uses it: load and attach the
 * programs of exits.bpf.c, name the vCPU thread's phase at each marker,
 * and read back per-phase counts by exit vector and instruction class
 * and the exit-to-reentry histograms.
 */
#ifndef PVEXIT_EXIT_COLLECTOR_H
#define PVEXIT_EXIT_COLLECTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "phase_exits.h"

struct pvx_exit_collector;

/**
 * pvx_exits_open() - load and attach the BPF programs.
 * @verbose: let libbpf's messages through to stderr
 * Return: the collector, or NULL with one line in @why saying what is
 * missing: kernel BTF, a tracepoint, the privilege, or what libbpf said.
 */
struct pvx_exit_collector *pvx_exits_open(bool verbose, bool counts_only, char *why, size_t len);

/* Whether this kernel runs BPF programs interpreted (JIT off): the
 * collector then costs several times more per exit. */
bool pvx_exits_jit_off(void);

/* Watch thread @tid, now in @phase (a phase index, or -1: between phases). */
int pvx_exits_set_phase(struct pvx_exit_collector *c, pid_t tid, int phase);

/**
 * pvx_exits_read() - the counts of thread @tid for phases 0..@nphases-1.
 * @out: @nphases entries, overwritten
 * @dropped: set to the events the kernel side could not record (a full
 *	map); non-zero makes every figure a lower bound
 * Return: 0, or -1 if the maps cannot be read.
 */
int pvx_exits_read(struct pvx_exit_collector *c, pid_t tid, struct pvx_phase_exits *out,
		   unsigned int nphases, uint64_t *dropped);

/* Forget everything counted so far (before the next guest run). */
int pvx_exits_reset(struct pvx_exit_collector *c);

void pvx_exits_close(struct pvx_exit_collector *c);

#endif
