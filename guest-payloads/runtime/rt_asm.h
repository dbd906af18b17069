/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Constants shared by the runtime's assembly and C: the interrupt save
 * frame lives at a fixed low real address so that vector code can save
 * registers with RA = 0 addressing, before any register is free.
 */
#ifndef PVEXIT_RT_ASM_H
#define PVEXIT_RT_ASM_H

#define STACK_FRAME 112 /* ELFv2 minimum frame plus locals, 16-aligned */

#define VECTORS_SIZE 0x1800 /* copied to real address 0 */
#define RT_TRAMP_BYTES 0x10000 /* the trampoline area, as Linux's kvm_tmp */

#define FRAME_BASE 0x3000 /* below 0x8000: reachable as d(0) */
#define FRAME_GPR(n) (FRAME_BASE + 8 * (n))
#define FRAME_LR (FRAME_BASE + 8 * 32)
#define FRAME_CTR (FRAME_BASE + 8 * 33)
#define FRAME_CR (FRAME_BASE + 8 * 34)
#define FRAME_XER (FRAME_BASE + 8 * 35)
#define FRAME_SRR0 (FRAME_BASE + 8 * 36)
#define FRAME_SRR1 (FRAME_BASE + 8 * 37)
#define FRAME_DAR (FRAME_BASE + 8 * 38)
#define FRAME_DSISR (FRAME_BASE + 8 * 39)
#define FRAME_VEC (FRAME_BASE + 8 * 40)

/*
 * The CPU family the image is built for, and patches as: a BookE image
 * (PVX_BOOKE, for an e500v2 host) is 32-bit big-endian like a Book3S-32
 * one, but has no real mode, takes interrupts through IVPR and the
 * IVORs, and has DEAR and ESR where Book3S has DAR and DSISR.
 */
#if defined(PVX_BOOKE)
#define RT_FAMILY PVX_FAM_BOOKE
#define RT_IS64 0
#define RT_CACHE_LINE 32 /* e500 */
#elif defined(__powerpc64__)
#define RT_FAMILY PVX_FAM_BOOK3S64
#define RT_IS64 1
#define RT_CACHE_LINE 128 /* POWER8: the smallest line we flush on Book3S */
#else
#define RT_FAMILY PVX_FAM_BOOK3S32
#define RT_IS64 0
#define RT_CACHE_LINE 128
#endif

/* BookE SPRs the runtime sets up; the classes' SPRs are in classes.def. */
#define RT_SPRN_DEAR 61
#define RT_SPRN_ESR 62
#define RT_SPRN_IVPR 63
#define RT_SPRN_DEC 22
#define RT_SPRN_TSR 336
#define RT_SPRN_TCR 340
#define RT_SPRN_IVOR0 400 /* IVOR0-15: 400-415 */
#define RT_SPRN_IVOR32 528 /* IVOR32-35: 528-531 */
#define RT_SPRN_MAS0 624
#define RT_SPRN_MAS1 625
#define RT_SPRN_MAS2 626
#define RT_SPRN_MAS3 627
#define RT_SPRN_MAS7 944
/* The BookE vector slots: IVOR0-15 then IVOR32-35, 16 bytes apart. */
#define RT_BOOKE_SLOTS 20
#define RT_BOOKE_SLOT_BYTES 16

#ifdef __ASSEMBLER__

#define r0 0
#define r1 1
#define r2 2
#define r3 3
#define r4 4
#define r5 5
#define r6 6
#define r7 7
#define r10 10
#define r11 11
#define r12 12

/*
 * One source for 64- and 32-bit images.  The save frame keeps 8-byte
 * slots either way: a 32-bit image stores each register in the slot's
 * low word (FRAME_LOW), the high word staying 0.
 */
#ifdef __powerpc64__
#define STL std
#define LDL ld
#define STLU stdu
#define CMPL cmpld
#define RFI rfid
#define FRAME_LOW 0
#else
#define STL stw
#define LDL lwz
#define STLU stwu
#define CMPL cmplw
#define RFI rfi
#define FRAME_LOW 4
#endif

/* A 32-bit absolute address (the image lives below 2 GiB). */
#define LOAD_ADDR(reg, sym) \
	lis reg, (sym) @ha; \
	addi reg, reg, (sym) @l

/* An instruction word as a CPU in the other byte order reads it. */
#ifdef __LITTLE_ENDIAN__
#define OTHER_ENDIAN_WORD(w) \
	.byte((w) >> 24) & 0xff, ((w) >> 16) & 0xff, ((w) >> 8) & 0xff, (w)&0xff
#else
#define OTHER_ENDIAN_WORD(w) \
	.byte(w) & 0xff, ((w) >> 8) & 0xff, ((w) >> 16) & 0xff, ((w) >> 24) & 0xff
#endif

#else

#include <stdint.h>

struct rt_frame {
	uint64_t gpr[32];
	uint64_t lr, ctr, cr, xer, srr0, srr1, dar, dsisr, vec;
};

#endif
#endif
