/*
 * Constants and ids for the instruction-class table in classes.def.
 * Freestanding: included by guest, host and BPF-side code.
 */
#ifndef PVEXIT_CLASSES_H
#define PVEXIT_CLASSES_H

#include "magic_page.h"

/* How the patcher rewrites a class. */
#define PVX_KIND_LOAD 1 /* ld/lwz of the field into rT */
#define PVX_KIND_STORE 2 /* std/stw of rS into the field */
#define PVX_KIND_NOP 3 /* the instruction becomes a nop */
#define PVX_KIND_TRAMPOLINE 4 /* a branch to a trampoline */

/* CPU families, as a guest kernel is built for them. */
#define PVX_FAM_BOOK3S64 (1u << 0)
#define PVX_FAM_BOOK3S32 (1u << 1)
#define PVX_FAM_BOOKE (1u << 2)

/* The operand register field that masks leave free: bits 6-10 (RT/RS),
 * counted from the most significant bit, i.e. shifted by 21. */
#define PVX_INSN_RT_SHIFT 21
#define PVX_INSN_REG_MASK 0x1fu

#ifndef __ASSEMBLER__
enum pvx_class_id {
#define PVX_CLASS(id, name, syntax, match, mask, kind, field, width, families, feature) \
	PVX_CLASS_##id,
#include "classes.def"
#undef PVX_CLASS
	PVX_CLASS_COUNT
};
#endif

#endif
