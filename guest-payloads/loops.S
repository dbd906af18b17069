/*
 * The payload loops, three per class of the table (classes.def):
 *   pvx_loop_raw_ID   the privileged instruction, trapping
 *   pvx_loop_pv_ID    the same words, placed where the PV patcher
 *                     rewrites them (.pvtext)
 *   pvx_loop_base_ID  the same loop with a nop in its place
 * uint64_t loop(uint64_t blocks, uint64_t in): r4 starts as @in (what a
 * store class writes), each block runs PVX_UNROLL instructions with r4 as
 * the operand, and the final r4 is returned.  No hypercall runs inside,
 * so CTR may count.
 */
#include <pvexit/classes.h>
#include "runtime/rt_asm.h"
#include "loops.h"

.macro PVX_LOOP sym, word
	.globl \sym
	.type \sym, @function
	.p2align 7
\sym:
	mtctr r3
1:
	.rept PVX_UNROLL
	.long \word
	.endr
	bdnz 1b
	mr r3, r4
	blr
	.size \sym, . - \sym
.endm

#define OPERAND_R4 (4 << PVX_INSN_RT_SHIFT)
#define PVX_CLASS(id, name, syntax, match, mask, kind, field, width, families, feature)           \
	.section .text.loops, "ax";                                                                \
	PVX_LOOP pvx_loop_raw_##id, (match)|OPERAND_R4;                                            \
	PVX_LOOP pvx_loop_base_##id, 0x60000000;                                                   \
	.section .pvtext, "ax";                                                                    \
	PVX_LOOP pvx_loop_pv_##id, (match)|OPERAND_R4;
#include <pvexit/classes.def>
#undef PVX_CLASS
