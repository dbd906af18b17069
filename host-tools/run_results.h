/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Gathering what pvexit run measured into a results file (results.h):
 * one row per class, case, variant and guest, its samples one per
 * repetition, the stats' and each exit collector's counts side by side.
 */
#ifndef PVEXIT_RUN_RESULTS_H
#define PVEXIT_RUN_RESULTS_H

#include "launcher.h"
#include "results.h"
#include "run_colls.h"

struct run_results;

/* Start the results of a run of @suite (a name for the file) on this
 * machine's KVM, of flavour @kvm ("pr", "e500v2"). */
struct run_results *run_results_new(const char *suite, const char *kvm);

/* The KVM host is not this machine but the lab the launch result @r
 * came from: its own description of itself. */
void run_results_host_from(struct run_results *rr, const struct launch_result *r, const char *kvm);

/**
 * run_results_add() - add one payload run's phases.
 * @guest: "be", "le", "be32" or "e500"
 * @variants: which variants to record (1 << PVX_VAR_*)
 * @c: the collectors' per-phase counts (markers taken out), or why each
 *	has none
 */
void run_results_add(struct run_results *rr, const struct launch_result *r, const char *guest,
		     unsigned int variants, const struct run_colls *c);

/**
 * run_results_finish() - summarize and hand over the results.
 * @complete: false when the run was interrupted
 * The caller owns the returned results (pvx_results_free, then free).
 */
struct pvx_results *run_results_finish(struct run_results *rr, bool complete);

#endif
