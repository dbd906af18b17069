/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The payload's arguments, from /chosen/bootargs (words of KEY=VALUE):
 *   class=LIST|all      classes of classes.def to run, comma-separated
 *                       (default all)
 *   iterations=N        raw (trapping) iterations (default 20000)
 *   fast-iterations=N   patched and baseline iterations (default 2000000)
 *   channel-records=N   records sent to time the channel (default 200)
 *   fault=jump0|spin    misbehave on purpose after detection, so tests can
 *                       prove the launcher reports it (a crash; a hang)
 */
#ifndef PVEXIT_ARGS_H
#define PVEXIT_ARGS_H

#include <stdint.h>

enum fault { FAULT_NONE, FAULT_JUMP0, FAULT_SPIN };

struct args {
	uint64_t classes; /* bit per class id */
	enum fault fault;
	uint64_t iterations, fast_iterations, channel_records;
};

/* Fill @a from the device tree's bootargs (defaults without one); a bad
 * word is reported and counted in *@failures. */
void parse_args(const void *fdt, struct args *a, unsigned int *failures);

#endif
