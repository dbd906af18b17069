/* SPDX-License-Identifier: GPL-2.0-only */
/* The payload loops of loops.S, one set per class of classes.def. */
#ifndef PVEXIT_LOOPS_H
#define PVEXIT_LOOPS_H

/* Instructions per loop iteration: enough that the loop's own bdnz is
 * a small share of even a one-cycle patched access. */
#define PVX_UNROLL 32

#ifndef __ASSEMBLER__
#include <stdint.h>

#include <pvexit/classes.h>

typedef unsigned long (*pvx_loop_fn)(unsigned long blocks, unsigned long in, unsigned long in2,
				     unsigned long rb);

#define PVX_CLASS(id, name, syntax, match, mask, kind, field, width, families, feature, bench, \
		  quiet)                                                                       \
	unsigned long pvx_loop_raw_##id(unsigned long, unsigned long, unsigned long,           \
					unsigned long);                                        \
	unsigned long pvx_loop_pv_##id(unsigned long, unsigned long, unsigned long,            \
				       unsigned long);                                         \
	unsigned long pvx_loop_base_##id(unsigned long, unsigned long, unsigned long,          \
					 unsigned long);
#include <pvexit/classes.def>
#undef PVX_CLASS
#endif

#endif
