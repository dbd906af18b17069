/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The e500v2 spike's guest: bare BookE code run by lab/e500/init.c under
 * KVM_E500V2.  Loaded at guest-physical 0, entered with MSR = 0
 * (supervisor, address space 0) and r3 = N; KVM's initial guest TLB1
 * entry maps 0-256 MiB one to one, so no MMU setup is needed.
 *
 * Three phases of N iterations each, every one ended by a store to an
 * address with no RAM behind it (a KVM_EXIT_MMIO, the phase marker):
 *   1  wrteei 1; wrteei 0     two traps per iteration
 *   2  mfspr r6,MAS1          one trap per iteration
 *   3  the bare loop          no trap: the baseline
 * Any guest interrupt lands in a stub at IVPR + IVORn (set by the
 * launcher with KVM_SET_SREGS) that reports the vector number.
 */

	.set	MMIO_HI, 0x0800		/* markers at guest-physical 0x08000000 */
	.set	SPRN_SRR0, 26
	.set	SPRN_SRR1, 27
	.set	SPRN_DEAR, 61
	.set	SPRN_ESR, 62
	.set	SPRN_MAS1, 625

	.text
	.globl	_start
_start:
	lis	%r4, MMIO_HI

	/* phase 1: wrteei 1; wrteei 0 */
	mr	%r5, %r3
1:	wrteei	1
	wrteei	0
	addi	%r5, %r5, -1
	cmpwi	%r5, 0
	bne	1b
	stw	%r3, 0(%r4)

	/* phase 2: mfspr rT,MAS1; the marker carries the value read */
	mr	%r5, %r3
	li	%r6, 0
2:	mfspr	%r6, SPRN_MAS1
	addi	%r5, %r5, -1
	cmpwi	%r5, 0
	bne	2b
	stw	%r6, 4(%r4)

	/* phase 3: the loop alone */
	mr	%r5, %r3
3:	addi	%r5, %r5, -1
	cmpwi	%r5, 0
	bne	3b
	stw	%r3, 8(%r4)
4:	b	4b

/* Interrupt stubs: IVORn = 16 * n for n < 16, 0x100 + 16 * j for IVOR32+j. */
	.macro	stub n
	li	%r7, \n
	b	fault
	.p2align 4
	.endm

	.org	0x10000
	.globl	vectors
vectors:
	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	stub	\n
	.endr
	.org	0x10100
	.irp	n, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49
	stub	\n
	.endr

fault:
	lis	%r12, MMIO_HI
	mfspr	%r8, SPRN_SRR0
	mfspr	%r9, SPRN_SRR1
	mfspr	%r10, SPRN_ESR
	mfspr	%r11, SPRN_DEAR
	stw	%r7, 16(%r12)
5:	b	5b
