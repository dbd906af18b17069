/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PowerPC instruction encodings (Power ISA, Book I), as the PV patcher
 * emits them.  Register arguments are numbers 0-31; displacements are
 * byte offsets.  Freestanding.
 */
#ifndef PVEXIT_PPC_INSN_H
#define PVEXIT_PPC_INSN_H

#include <stdint.h>

#define PPC_R(r, shift) (((uint32_t)(r)&0x1f) << (shift))
#define PPC_D(d) ((uint32_t)(d)&0xffffu)
#define PPC_DS(d) ((uint32_t)(d)&0xfffcu)

/* D-form loads and stores: rT/rS, d(rA); rA = 0 means address d. */
#define PPC_LWZ(rt, d, ra) (0x80000000u | PPC_R(rt, 21) | PPC_R(ra, 16) | PPC_D(d))
#define PPC_STW(rs, d, ra) (0x90000000u | PPC_R(rs, 21) | PPC_R(ra, 16) | PPC_D(d))
/* DS-form: the displacement's low two bits are not encoded. */
#define PPC_LD(rt, d, ra) (0xe8000000u | PPC_R(rt, 21) | PPC_R(ra, 16) | PPC_DS(d))
#define PPC_STD(rs, d, ra) (0xf8000000u | PPC_R(rs, 21) | PPC_R(ra, 16) | PPC_DS(d))

/* Immediate logic: rA = rS op UI. */
#define PPC_ORI(ra, rs, ui) (0x60000000u | PPC_R(rs, 21) | PPC_R(ra, 16) | PPC_D(ui))
#define PPC_XORI(ra, rs, ui) (0x68000000u | PPC_R(rs, 21) | PPC_R(ra, 16) | PPC_D(ui))
#define PPC_ANDI_DOT(ra, rs, ui) (0x70000000u | PPC_R(rs, 21) | PPC_R(ra, 16) | PPC_D(ui))
#define PPC_LI(rt, si) (0x38000000u | PPC_R(rt, 21) | PPC_D(si))
#define PPC_NOP 0x60000000u

/* X-form: rA = rS op rB. */
#define PPC_XFORM(xo, ra, rs, rb) \
	(0x7c000000u | PPC_R(rs, 21) | PPC_R(ra, 16) | PPC_R(rb, 11) | ((uint32_t)(xo) << 1))
#define PPC_OR(ra, rs, rb) PPC_XFORM(444, ra, rs, rb)
#define PPC_XOR(ra, rs, rb) PPC_XFORM(316, ra, rs, rb)
#define PPC_MR(ra, rs) PPC_OR(ra, rs, rs)

/* Condition register. */
#define PPC_MFCR(rt) (0x7c000026u | PPC_R(rt, 21))
#define PPC_MTCR(rs) (0x7c0ff120u | PPC_R(rs, 21)) /* mtcrf 0xff */
#define PPC_CMPWI(ra, si) (0x2c000000u | PPC_R(ra, 16) | PPC_D(si)) /* cr0 */
#define PPC_CMPDI(ra, si) (0x2c200000u | PPC_R(ra, 16) | PPC_D(si)) /* cr0, L = 1 */

/* Rotates on the low word: rA = ROTL32(rS, sh) under mask mb..me. */
#define PPC_MD(sh, mb, me) (PPC_R(sh, 11) | PPC_R(mb, 6) | PPC_R(me, 1))
#define PPC_RLWINM(ra, rs, sh, mb, me) \
	(0x54000000u | PPC_R(rs, 21) | PPC_R(ra, 16) | PPC_MD(sh, mb, me))
#define PPC_RLWIMI(ra, rs, sh, mb, me) \
	(0x50000000u | PPC_R(rs, 21) | PPC_R(ra, 16) | PPC_MD(sh, mb, me))

/* Branches, displacement in bytes from the branch itself. */
#define PPC_B(disp) (0x48000000u | ((uint32_t)(disp)&0x03fffffcu))
#define PPC_BEQ(disp) (0x41820000u | PPC_DS(disp)) /* bc 12,eq */
#define PPC_BNE(disp) (0x40820000u | PPC_DS(disp)) /* bc 4,eq */
/* Reach of an I-form branch: a signed 26-bit byte displacement. */
#define PPC_B_MIN (-0x2000000L)
#define PPC_B_MAX 0x1fffffcL

/* MSR bits the trampolines look at. */
#define PPC_MSR_EE 0x8000u
#define PPC_MSR_RI 0x2u
#define PPC_MSR_IR 0x20u
#define PPC_MSR_DR 0x10u

#endif
