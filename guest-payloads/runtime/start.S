/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Entry, interrupt vectors and hypercall stubs of the guest runtime.
 *
 * A Book3S image runs in real mode (MSR IR = DR = 0) at 0x400000, where
 * the pvexit launcher and QEMU's pseries loader both put it.  The
 * launcher enters with r3 = flattened device tree and the MSR already
 * 64-bit and in the image's byte order; QEMU's firmware (VOF) enters
 * big-endian, possibly in 32-bit mode, with r3 = initrd and r5 = its
 * client entry.  Both arrive at rt_main(r3, r5).
 *
 * A BookE image (PVX_BOOKE) has no real mode: KVM's e500 vCPU starts
 * with a TLB1 entry mapping the first 256 MiB one to one, so the same
 * addresses work, and the launcher enters it with r3 = the device tree.
 */
#include "rt_asm.h"

	.section .text.entry, "ax"
	.globl _start
_start:
#ifndef PVX_BOOKE
	/*
	 * Byte order: read in the image's own order, this word is a trap
	 * that never traps; read in the other order it is "b .+8", which
	 * lands on the words below.  Those are stored so that a CPU in the
	 * other order decodes them, and they rfid back to label 1 with
	 * MSR[LE] flipped.
	 */
	.long 0x08000048 /* tdi 0,0,0x48 */
	b 1f
	OTHER_ENDIAN_WORD(0x7d6000a6) /* mfmsr r11 */
	OTHER_ENDIAN_WORD(0x696b0001) /* xori r11,r11,1 (MSR_LE) */
	OTHER_ENDIAN_WORD(0x429f0005) /* bcl 20,31,$+4 */
	OTHER_ENDIAN_WORD(0x7d4802a6) /* mflr r10 */
	OTHER_ENDIAN_WORD(0x394a0014) /* addi r10,r10,20: label 1 */
	OTHER_ENDIAN_WORD(0x7d5a03a6) /* mtsrr0 r10 */
	OTHER_ENDIAN_WORD(0x7d7b03a6) /* mtsrr1 r11 */
	OTHER_ENDIAN_WORD(0x4c000024) /* rfid */
1:
#endif
#ifdef __powerpc64__
	/* 64-bit mode: firmware may call us in 32-bit mode. */
	mfmsr r11
	rldicl. r12, r11, 1, 63
	bne 2f
	li r12, 1
	rldicr r12, r12, 63, 0
	or r11, r11, r12
	mtmsrd r11
	isync
2:
	LOAD_ADDR(r2, .TOC.)
#endif
	LOAD_ADDR(r1, __stack_top)
	li r0, 0
	STLU r0, -STACK_FRAME(r1)

	LOAD_ADDR(r6, __bss_start)
	LOAD_ADDR(r7, __bss_end)
3:	CMPL r6, r7
	bge 4f
	stw r0, 0(r6)
	addi r6, r6, 4
	b 3b
4:
	mr r4, r5
	bl rt_main
	nop
5:	b 5b

#ifdef PVX_BOOKE
/*
 * BookE interrupt vectors: one 16-byte slot per IVOR (0-15, then
 * 32-35), which the runtime points IVPR and the IVORs at.  Each saves
 * r3, puts the IVOR number in r3 and goes to rt_vec_common.  The
 * linker aligns the section to 64 KiB, as IVPR wants.
 */
	.section .vectors, "ax"
	.globl __vectors_start
__vectors_start:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,32,33,34,35
	.p2align 4
	STL r3, FRAME_GPR(3) + FRAME_LOW(0)
	li r3, \n
	ba rt_vec_common
	.endr
	.globl __vectors_end
__vectors_end:
#else
/*
 * Interrupt vectors, linked into the image and copied to real address 0
 * by the runtime.  Word 0 stays 0 (an illegal instruction), so a jump to
 * address 0 is a program check, reported like any other crash.  Every
 * 0x80 slot from 0x100 saves r3, puts its vector number in r3 and goes
 * to rt_vec_common at its absolute address (the image is below 32 MiB).
 */
	.section .vectors, "ax"
	.globl __vectors_start
__vectors_start:
	.irp v, 0x100,0x180,0x200,0x280,0x300,0x380,0x400,0x480,0x500,0x580,0x600,0x680,0x700,0x780,0x800,0x880,0x900,0x980,0xa00,0xa80,0xb00,0xb80,0xc00,0xc80,0xd00,0xd80,0xe00,0xe80,0xf00,0xf80,0x1000,0x1080,0x1100,0x1180,0x1200,0x1280,0x1300,0x1380,0x1400,0x1480,0x1500,0x1580,0x1600,0x1680,0x1700,0x1780
	.org __vectors_start + \v
	STL r3, FRAME_GPR(3) + FRAME_LOW(0)
	li r3, \v
	ba rt_vec_common
	.endr
	.org __vectors_start + VECTORS_SIZE
	.globl __vectors_end
__vectors_end:
#endif

	.section .pvtext, "ax"
/*
 * In .pvtext, so the PV patcher rewrites its mfsrr0/mtsrr0 and friends
 * into magic-page accesses once the page is mapped, as a Linux guest's
 * exception code is rewritten: an interrupt then costs one exit, its
 * rfid, which no rewrite can avoid.
 *
 * Save everything into the frame at FRAME_BASE (absolute, reachable
 * with RA = 0, so no register is needed to address it), call
 * rt_interrupt(frame) on the interrupt stack, restore and return.  The
 * handler may change srr0/srr1 in the frame.  Interrupts do not nest:
 * MSR[EE] is off while this runs.
 */
rt_vec_common:
	STL r0, FRAME_GPR(0) + FRAME_LOW(0)
	STL r1, FRAME_GPR(1) + FRAME_LOW(0)
	STL r2, FRAME_GPR(2) + FRAME_LOW(0)
	.irp n, 4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	STL \n, FRAME_GPR(\n) + FRAME_LOW(0)
	.endr
	STL r3, FRAME_VEC + FRAME_LOW(0)
	mflr r4
	STL r4, FRAME_LR + FRAME_LOW(0)
	mfctr r4
	STL r4, FRAME_CTR + FRAME_LOW(0)
	mfcr r4
	STL r4, FRAME_CR + FRAME_LOW(0)
	mfxer r4
	STL r4, FRAME_XER + FRAME_LOW(0)
	mfsrr0 r4
	STL r4, FRAME_SRR0 + FRAME_LOW(0)
	mfsrr1 r4
	STL r4, FRAME_SRR1 + FRAME_LOW(0)
#ifdef PVX_BOOKE
	mfspr r4, RT_SPRN_DEAR
	STL r4, FRAME_DAR + FRAME_LOW(0)
	mfspr r4, RT_SPRN_ESR
	STL r4, FRAME_DSISR + FRAME_LOW(0)
#else
	mfdar r4
	STL r4, FRAME_DAR + FRAME_LOW(0)
	mfdsisr r4
	STL r4, FRAME_DSISR + FRAME_LOW(0)
#endif

#ifdef __powerpc64__
	LOAD_ADDR(r2, .TOC.)
#endif
	LOAD_ADDR(r1, __intr_stack_top)
	li r0, 0
	STLU r0, -STACK_FRAME(r1)
	li r3, FRAME_BASE
	bl rt_interrupt
	nop

	LDL r4, FRAME_SRR0 + FRAME_LOW(0)
	mtsrr0 r4
	LDL r4, FRAME_SRR1 + FRAME_LOW(0)
	mtsrr1 r4
	LDL r4, FRAME_LR + FRAME_LOW(0)
	mtlr r4
	LDL r4, FRAME_CTR + FRAME_LOW(0)
	mtctr r4
	LDL r4, FRAME_CR + FRAME_LOW(0)
	mtcrf 0xff, r4
	LDL r4, FRAME_XER + FRAME_LOW(0)
	mtxer r4
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	LDL \n, FRAME_GPR(\n) + FRAME_LOW(0)
	.endr
	RFI

	.text
/*
 * The hypercall stub: "li r3,-1" and three nops until the runtime copies
 * the host's hcall-instructions over them (as a Linux guest patches
 * epapr_hypercall_start), so a hypercall without a hypervisor returns -1.
 */
	.globl rt_kvm_hcall_stub
rt_kvm_hcall_stub:
	li r3, -1
	nop
	nop
	nop
	blr

/*
 * long rt_kvm_hcall(unsigned long token, unsigned long a1,
 *                   unsigned long a2, unsigned long *out)
 * ePAPR lets the hypervisor clobber r0, r12, XER, CTR, LR and CR: CR2-4
 * are non-volatile in both ABIs, so CR is saved here.
 */
	.globl rt_kvm_hcall
rt_kvm_hcall:
	mflr r0
#ifdef __powerpc64__
	std r0, 16(r1)
	mfcr r12
	std r12, 8(r1)
	stdu r1, -STACK_FRAME(r1)
	std r6, 32(r1)
#else
	stw r0, 4(r1)
	stwu r1, -32(r1)
	mfcr r12
	stw r12, 8(r1)
	stw r6, 12(r1)
#endif
	mr r11, r3
	mr r3, r4
	mr r4, r5
	bl rt_kvm_hcall_stub
#ifdef __powerpc64__
	ld r6, 32(r1)
	std r4, 0(r6)
	addi r1, r1, STACK_FRAME
	ld r12, 8(r1)
	mtcrf 0xff, r12
	ld r0, 16(r1)
#else
	lwz r6, 12(r1)
	stw r4, 0(r6)
	lwz r12, 8(r1)
	mtcrf 0xff, r12
	addi r1, r1, 32
	lwz r0, 4(r1)
#endif
	mtlr r0
	blr

#ifndef PVX_BOOKE
/*
 * long rt_papr_hcall(unsigned long opcode, a1, a2, a3, a4): a PAPR
 * hypercall (sc 1), used only where no pvexit launcher is present.
 */
	.globl rt_papr_hcall
rt_papr_hcall:
	mfcr r12
#ifdef __powerpc64__
	std r12, 8(r1)
	sc 1
	ld r12, 8(r1)
#else
	stwu r1, -16(r1)
	stw r12, 8(r1)
	sc 1
	lwz r12, 8(r1)
	addi r1, r1, 16
#endif
	mtcrf 0xff, r12
	blr
#endif

/*
 * void rt_flush_icache(void *start, void *end): make stores to code
 * visible to instruction fetch, a cache line (RT_CACHE_LINE) at a time.
 */
	.globl rt_flush_icache
rt_flush_icache:
	li r6, RT_CACHE_LINE - 1
	andc r5, r3, r6
1:	CMPL r5, r4
	bge 2f
	dcbst 0, r5
	addi r5, r5, RT_CACHE_LINE
	b 1b
2:	sync
	andc r5, r3, r6
3:	CMPL r5, r4
	bge 4f
	icbi 0, r5
	addi r5, r5, RT_CACHE_LINE
	b 3b
4:	sync
	isync
	blr

/* Where the PV patcher writes trampolines: near the code, in reach of
 * every branch, and never scanned itself. */
	.section .pvtramp, "awx", @nobits
	.p2align 7
	.globl rt_tramp_area
rt_tramp_area:
	.space RT_TRAMP_BYTES
	.globl rt_tramp_area_end
rt_tramp_area_end:
