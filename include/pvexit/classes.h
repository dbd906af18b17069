/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Constants, encodings and ids for the instruction-class table in
 * classes.def.  Freestanding: included by guest, host and assembly.
 */
#ifndef PVEXIT_CLASSES_H
#define PVEXIT_CLASSES_H

#include "magic_page.h"

/* How the patcher rewrites a class. */
#define PVX_KIND_LOAD 1 /* ld/lwz of the field into rT */
#define PVX_KIND_STORE 2 /* std/stw of rS into the field */
#define PVX_KIND_NOP 3 /* the instruction becomes a nop */
#define PVX_KIND_MTMSRD1 4 /* trampoline: mtmsrd rS,1 (EE and RI only) */
#define PVX_KIND_MTMSR 5 /* trampoline: mtmsr rS, mtmsrd rS,0 */
#define PVX_KIND_WRTEE 6 /* trampoline: wrtee rS */
#define PVX_KIND_WRTEEI0 7 /* trampoline: wrteei 0 */
#define PVX_KIND_WRTEEI1 8 /* trampoline: wrteei 1 (the wrtee one, EE given) */
#define PVX_KIND_MTSRIN 9 /* trampoline: mtsrin rS,rB */
#define PVX_KIND_IS_TRAMPOLINE(k) ((k) >= PVX_KIND_MTMSRD1)

/* CPU families, as a guest kernel is built for them. */
#define PVX_FAM_BOOK3S64 (1u << 0)
#define PVX_FAM_BOOK3S32 (1u << 1)
#define PVX_FAM_BOOKE (1u << 2)

/* Operand fields, counted as shifts from bit 31: RT/RS at 21, RB at 11. */
#define PVX_INSN_RT_SHIFT 21
#define PVX_INSN_RB_SHIFT 11
#define PVX_INSN_REG_MASK 0x1fu
/* Masks that leave RT/RS (and RB) free. */
#define PVX_MASK_RT 0xfc1fffffu
#define PVX_MASK_RT_RB 0xfc1f07ffu

/* mfspr/mtspr rX,SPR: the SPR number's two 5-bit halves are swapped in
 * the instruction (bits 11-15 hold spr[0:4], bits 16-20 spr[5:9]). */
#define PVX_SPR_FIELD(spr) ((((spr)&0x1f) << 16) | (((spr)&0x3e0) << 6))
#define PVX_MFSPR(spr) (0x7c0002a6u | PVX_SPR_FIELD(spr))
#define PVX_MTSPR(spr) (0x7c0003a6u | PVX_SPR_FIELD(spr))

#ifndef __ASSEMBLER__
enum pvx_class_id {
#define PVX_CLASS(id, name, syntax, match, mask, kind, field, width, families, feature, bench, \
		  quiet)                                                                       \
	PVX_CLASS_##id,
#include "classes.def"
#undef PVX_CLASS
	PVX_CLASS_COUNT
};

/* One row of the table, for code that walks it at run time. */
struct pvx_class_info {
	const char *name, *syntax;
	unsigned int match, mask;
	int kind, field, width;
	unsigned int families;
	unsigned long feature;
	unsigned int bench;
	unsigned int quiet;
};

/* The table itself, in classes.c. */
extern const struct pvx_class_info pvx_classes[PVX_CLASS_COUNT];
#endif

#endif
