/* SPDX-License-Identifier: GPL-2.0-only */
/* The per-class table that pvexit run prints for one payload run. */
#ifndef PVEXIT_RUN_TABLE_H
#define PVEXIT_RUN_TABLE_H

#include <stdbool.h>
#include <stdio.h>

#include "launcher.h"
#include "run_colls.h"

/**
 * run_table_print() - print @r's facts, special phases and class table.
 * @endian: "be" or "le", for the rows
 * Return: the number of failed verdicts (exit counts off what the class
 * table promises, failed checks, phases without results).
 */
int run_table_print(FILE *f, const struct launch_result *r, const char *endian,
		    const struct run_colls *c);

/* A phase's delta of the stat @name (0 if the host has no such stat). */
uint64_t run_table_delta(const struct launch_result *r, const struct launch_phase *p,
			 const char *name);

/* The value of the guest's fact @key into *@v.  Return: false if it gave none. */
bool run_table_fact(const struct launch_result *r, const char *key, uint64_t *v);

/* ns per op of a phase, from the guest's timebase ticks. */
double run_table_ns_per_op(const struct launch_result *r, const struct launch_phase *p);

/**
 * run_table_verdict() - hold phase @i to its case's promise (cases.def)
 * and every collector in @c that counted to the stats' emulation exits.
 * @why: at least 200 bytes.  Return: true if all is well.
 */
bool run_table_verdict(const struct launch_result *r, unsigned int i, const struct run_colls *c,
		       char *why, size_t len);

/* What the markers add to a collector's counts (the least of the empty
 * marker phases), taken out of each phase of @ph. */
void run_table_markers(const struct launch_result *r, struct pvx_phase_exits *ph);

#endif
