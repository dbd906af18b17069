/*
 * pvexit run --trace: record this process's KVM PR tracepoints raw
 * around one payload run (a recorder process, trace_record.c) and turn
 * the decoded trace into per-phase counts, a third view beside the vCPU
 * stats and the BPF collector.
 */
#ifndef PVEXIT_RUN_TRACE_H
#define PVEXIT_RUN_TRACE_H

#include <stddef.h>

#include "exit_collector.h"
#include "launcher.h"

struct run_trace;

/* Start recording this process; return once the events flow, or NULL
 * with one line in @why. */
struct run_trace *run_trace_start(char *why, size_t len);

/**
 * run_trace_stop() - stop, decode, and count per phase of @r.
 * @out: r->nphases entries, overwritten: the trace's counts per phase
 *	(a phase is the segment after its begin marker's MMIO exit)
 * Return: 0, or -1 with @why set (recording failed, events lost, or the
 * file does not decode).  The recording is removed either way.
 */
int run_trace_stop(struct run_trace *t, const struct launch_result *r, struct pvx_phase_exits *out,
		   char *why, size_t len);

#endif
