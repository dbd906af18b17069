/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the exit collectors counted in one guest run, beside the vCPU
 * stats: each collector's per-phase counts, or the reason it has none.
 */
#ifndef PVEXIT_RUN_COLLS_H
#define PVEXIT_RUN_COLLS_H

#include "collector.h"
#include "phase_exits.h"

struct run_colls {
	/* one entry per phase, markers taken out; NULL: it did not count */
	struct pvx_phase_exits *ph[PVX_COLL_COUNT];
	char why[PVX_COLL_COUNT][512]; /* why it did not */
};

#endif
