/*
 * The exit collectors pvexit run puts beside the vCPU stats, each with
 * its per-phase counts, or the reason it has none.
 */
#ifndef PVEXIT_RUN_COLLS_H
#define PVEXIT_RUN_COLLS_H

#include "phase_exits.h"

enum run_coll { RUN_BPF, RUN_TRACE, RUN_PERF, RUN_NCOLL };

struct run_colls {
	/* one entry per phase, markers taken out; NULL: it did not count */
	struct pvx_phase_exits *ph[RUN_NCOLL];
	char why[RUN_NCOLL][512]; /* why it did not */
};

/* As results and tables name them: "bpf", "trace", "perf". */
extern const char *const run_coll_names[RUN_NCOLL];

#endif
