/* SPDX-License-Identifier: GPL-2.0-only */
/* Ids and constants for the payload scenarios in cases.def. */
#ifndef PVEXIT_CASES_H
#define PVEXIT_CASES_H

#include "classes.h"

#define PVX_SETUP_NONE 0 /* operands 0 */
#define PVX_SETUP_VALUE 1 /* operands a known pattern (stores) */
#define PVX_SETUP_EE_ON 2 /* operands: the MSR with EE set */
#define PVX_SETUP_EE_OFF 3 /* operands: the MSR with EE clear */
#define PVX_SETUP_EE_TOGGLE 4 /* alternately EE set and clear, nothing pending */
#define PVX_SETUP_EE_PENDING 5 /* EE set while a decrementer interrupt is pending */
#define PVX_SETUP_OTHER_BIT 6 /* alternately FP set and clear, EE clear */
#define PVX_SETUP_SR 7 /* a segment register value, and RB naming the segment */

#ifndef __ASSEMBLER__
enum pvx_case_id {
#define PVX_CASE(id, kind, name, setup, raw, patched, irq) PVX_CASE_##id,
#include "cases.def"
#undef PVX_CASE
	PVX_CASE_COUNT
};

struct pvx_case_info {
	int kind;
	const char *name;
	int setup;
	unsigned int raw, patched, irq;
};

extern const struct pvx_case_info pvx_cases[PVX_CASE_COUNT];
#endif

#endif
