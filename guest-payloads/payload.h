/* SPDX-License-Identifier: GPL-2.0-only */
/* Running the classes' scenarios: see payload.c. */
#ifndef PVEXIT_PAYLOAD_H
#define PVEXIT_PAYLOAD_H

#include <stdbool.h>

#include "runtime/args.h"
#include "runtime/rt_asm.h"

/* Before anything runs: push the decrementer far away. */
void payload_init(void);

/* Run every scenario of class @cls's rewrite kind; @patched says the PV
 * patcher rewrote all of the class's sites, so the patched loop runs. */
void payload_run_class(unsigned int cls, const struct args *a, bool patched);

/* An interrupt arrived: true if a scenario expected and handled it. */
bool payload_interrupt(struct rt_frame *f);

#endif
