/*
 * perf stat as pvexit run's fourth counter (--perf): the counts of
 * kvm_pr:kvm_exit and kvm:kvm_ppc_instr in the vCPU thread, per phase.
 */
#ifndef PVEXIT_RUN_PERF_H
#define PVEXIT_RUN_PERF_H

#include <stddef.h>
#include <sys/types.h>

#include "launcher.h"
#include "phase_exits.h"

struct run_perf;

/* Start perf stat on thread @tid; NULL with the reason in @why. */
struct run_perf *run_perf_start(pid_t tid, char *why, size_t len);

/* At a phase marker, with the vCPU stopped: close the counts of the
 * phase that ran since the last marker and open @phase (-1: none).
 * After a failure it does nothing; run_perf_stop() reports it. */
void run_perf_mark(struct run_perf *p, int phase);

/**
 * run_perf_stop() - stop perf and hand over its per-phase counts.
 * @out: @r->nphases entries: exits = kvm_exit, instr = kvm_ppc_instr,
 *	and emul = instr (see run_perf.c)
 * Return: 0, or -1 with the reason in @why.  Frees @p either way.
 */
int run_perf_stop(struct run_perf *p, const struct launch_result *r, struct pvx_phase_exits *out,
		  char *why, size_t len);

#endif
