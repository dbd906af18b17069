/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The payload loops, three per class of the table (classes.def):
 *   pvx_loop_raw_ID   the privileged instruction, trapping
 *   pvx_loop_pv_ID    the same words, placed where the PV patcher
 *                     rewrites them (.pvtext) when this build can
 *                     benchmark the class (bench includes its family)
 *   pvx_loop_base_ID  the same loop with a nop in its place
 * unsigned long loop(blocks, in, in2, rb): operands alternate between r4
 * (starting as @in) and r5 (@in2), so one loop serves every scenario
 * (an EE toggle is "set with r4, clear with r5"); r6 (@rb) is mtsrin's
 * RB.
 * Each block runs PVX_UNROLL instructions; the final r4 is returned.  No
 * hypercall runs inside, so CTR may count.
 */
#include <pvexit/classes.h>
#include "runtime/rt_asm.h"
#include "loops.h"

.macro PVX_LOOP sym, word4, word5
	.globl \sym
	.type \sym, @function
	.p2align 7
\sym:
	mtctr r3
1:
	.rept PVX_UNROLL / 2
	.long \word4
	.long \word5
	.endr
	bdnz 1b
	mr r3, r4
	blr
	.size \sym, . - \sym
.endm

/* Operands r4 / r5 in the RT/RS field and r6 as RB (mtsrin), in just
 * the fields the class's mask leaves free (none for tlbsync, wrteei). */
#define OPS(match, mask, r) ((match)|((((r) << PVX_INSN_RT_SHIFT)|(6 << PVX_INSN_RB_SHIFT)) & ~(mask)))

/* The patched loops of the classes this image benchmarks (RT_FAMILY)
 * go in .pvtext. */

#define PVX_CLASS(id, name, syntax, match, mask, kind, field, width, families, feature, bench, quiet)    \
	.section .text.loops, "ax";                                                                \
	PVX_LOOP pvx_loop_raw_##id, OPS(match, mask, 4), OPS(match, mask, 5);                           \
	PVX_LOOP pvx_loop_base_##id, 0x60000000, 0x60000000;                                       \
	.if ((bench) & RT_FAMILY);                                                          \
	.section .pvtext, "ax";                                                                    \
	.else;                                                                                     \
	.section .text.loops, "ax";                                                                \
	.endif;                                                                                    \
	PVX_LOOP pvx_loop_pv_##id, OPS(match, mask, 4), OPS(match, mask, 5);
#include <pvexit/classes.def>
#undef PVX_CLASS
