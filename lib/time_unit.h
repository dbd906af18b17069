/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What a payload's timebase measures.  On a real host it is time (ns).
 * In the lab under QEMU's instruction counter (lab/run --clock icount)
 * the emulated clock advances one ns per emulated instruction, so the
 * same figure is a count of emulated POWER instructions, and must never
 * be shown or compared as time.
 */
#ifndef PVEXIT_TIME_UNIT_H
#define PVEXIT_TIME_UNIT_H

#include <stdbool.h>

enum pvx_time_unit {
	PVX_UNIT_NS, /* nanoseconds of the host's timebase */
	PVX_UNIT_INSN, /* emulated instructions (QEMU icount) */
	PVX_UNIT_COUNT
};

/* "ns" or "insn": the results files' word for it. */
const char *pvx_unit_name(enum pvx_time_unit u);

/* "ns/op" or "insn/op": a column heading. */
const char *pvx_unit_per_op(enum pvx_time_unit u);

/* For a reader: "ns per operation (host clock)", "emulated POWER
 * instructions per operation (QEMU icount)". */
const char *pvx_unit_title(enum pvx_time_unit u);

/* Its unit from @name ("ns", "insn").  Return: false if unknown. */
bool pvx_unit_parse(const char *name, enum pvx_time_unit *u);

/* The unit of this process's measurements: insn inside a lab booted with
 * --clock icount (PVEXIT_LAB_CLOCK), ns everywhere else. */
enum pvx_time_unit pvx_unit_here(void);

#endif
