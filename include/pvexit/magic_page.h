/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The magic page: struct kvm_vcpu_arch_shared as the host shares it with
 * a PV guest, mapped at effective address -4096 by
 * KVM_HC_PPC_MAP_MAGIC_PAGE.  Offsets of its fields, in bytes.  Every
 * 64-bit field is naturally aligned, so the layout is the same for 32-
 * and 64-bit guests; a 32-bit guest reads the low word of a 64-bit field
 * at offset + 4.  The byte order is the guest kernel's (the host swaps
 * the page to match the interrupt MSR's LE bit when the page is mapped).
 *
 * Freestanding: included by guest and host code.
 */
#ifndef PVEXIT_MAGIC_PAGE_H
#define PVEXIT_MAGIC_PAGE_H

/* The page sits at the top of the effective address space, so a D- or
 * DS-form access with RA = 0 reaches every field: -4096 + offset. */
#define PVX_MAGIC_PAGE_EA (-4096L)
#define PVX_MAGIC_PAGE_SIZE 4096

#define PVX_MP_SCRATCH1 0
#define PVX_MP_SCRATCH2 8
#define PVX_MP_SCRATCH3 16
#define PVX_MP_CRITICAL 24
#define PVX_MP_SPRG0 32
#define PVX_MP_SPRG1 40
#define PVX_MP_SPRG2 48
#define PVX_MP_SPRG3 56
#define PVX_MP_SRR0 64
#define PVX_MP_SRR1 72
#define PVX_MP_DAR 80
#define PVX_MP_MSR 88
#define PVX_MP_DSISR 96 /* 32-bit */
#define PVX_MP_INT_PENDING 100 /* 32-bit */
#define PVX_MP_SR 104 /* 16 x 32-bit */
#define PVX_MP_MAS0 168 /* 32-bit */
#define PVX_MP_MAS1 172 /* 32-bit */
#define PVX_MP_MAS7_3 176 /* MAS7 high word, MAS3 low word */
#define PVX_MP_MAS2 184
#define PVX_MP_MAS4 192 /* 32-bit */
#define PVX_MP_MAS6 196 /* 32-bit */
#define PVX_MP_ESR 200 /* 32-bit */
#define PVX_MP_PIR 204 /* 32-bit */
#define PVX_MP_SPRG4 208
#define PVX_MP_SPRG5 216
#define PVX_MP_SPRG6 224
#define PVX_MP_SPRG7 232
#define PVX_MP_STRUCT_SIZE 240

/* KVM_HC_FEATURES, r4: the host offers the magic page. */
#define PVX_KVM_FEATURE_MAGIC_PAGE (1UL << 1)
/* KVM_HC_PPC_MAP_MAGIC_PAGE, r4: which optional fields are valid. */
#define PVX_MAGIC_FEAT_SR (1UL << 0)
#define PVX_MAGIC_FEAT_MAS0_TO_SPRG7 (1UL << 1)
/* Ored into the effective-address argument by guests whose trampolines
 * are mapped executable (all of them today). */
#define PVX_MAGIC_PAGE_FLAG_NOT_MAPPED_NX 1UL

/* Hypercalls: token = (42 << 16) | nr, in r11. */
#define PVX_KVM_VENDOR 42
#define PVX_KVM_HC_FEATURES 3
#define PVX_KVM_HC_PPC_MAP_MAGIC_PAGE 4
#define PVX_KVM_HCALL_TOKEN(nr) (((unsigned long)PVX_KVM_VENDOR << 16) | (nr))

#endif
