// SPDX-License-Identifier: GPL-2.0-only
/*
 * What a BookE (e500v2) image sets up before its first report: the
 * interrupt vectors (IVPR and the IVORs) and a TLB1 entry for the
 * launcher's channel page.  The MMU is never off on BookE; KVM's initial
 * TLB1 entry maps RAM one to one, and the magic page needs no entry of
 * ours: KVM maps it when a supervisor access to it misses.  Every
 * mtspr and the tlbwe here trap and are emulated: setup, not measured.
 */
#include "rt.h"

#ifdef PVX_BOOKE

#define MAS0_TLBSEL1 0x10000000u
#define MAS0_ESEL(n) ((uint32_t)(n) << 16)
#define MAS1_VALID 0x80000000u
#define MAS1_IPROT 0x40000000u
#define MAS1_TSIZE_4K (1u << 8)
#define MAS2_I 0x8u /* caching inhibited */
#define MAS2_G 0x2u /* guarded */
#define MAS3_SW 0x4u
#define MAS3_SR 0x1u
#define CHANNEL_ESEL 1 /* KVM's own initial entry is ESEL 0 */

#define MTSPR(spr, v) __asm__ __volatile__("mtspr %0,%1" ::"i"(spr), "r"(v) : "memory")

/* Slot k of the vector table, as start.S lays it out. */
static uint32_t slot(unsigned int k)
{
	return (uint32_t)(uintptr_t)__vectors_start + k * RT_BOOKE_SLOT_BYTES;
}

static void set_ivors(void)
{
	uint32_t ivpr = (uint32_t)(uintptr_t)__vectors_start & 0xffff0000u;

	MTSPR(RT_SPRN_IVPR, ivpr);
#define IVOR(n, k) MTSPR(RT_SPRN_IVOR0 + (n), slot(k) - ivpr)
	IVOR(0, 0);
	IVOR(1, 1);
	IVOR(2, 2);
	IVOR(3, 3);
	IVOR(4, 4);
	IVOR(5, 5);
	IVOR(6, 6);
	IVOR(7, 7);
	IVOR(8, 8);
	IVOR(9, 9);
	IVOR(10, 10);
	IVOR(11, 11);
	IVOR(12, 12);
	IVOR(13, 13);
	IVOR(14, 14);
	IVOR(15, 15);
#undef IVOR
#define IVOR32(j) MTSPR(RT_SPRN_IVOR32 + (j), slot(16 + (j)) - ivpr)
	IVOR32(0);
	IVOR32(1);
	IVOR32(2);
	IVOR32(3);
#undef IVOR32
	__asm__ __volatile__("isync" ::: "memory");
}

/* One 4 KiB, uncached, guarded, supervisor read/write page at @ea = @pa. */
static void map_io_page(uint32_t ea)
{
	uint32_t page = ea & ~0xfffu;

	MTSPR(RT_SPRN_MAS0, MAS0_TLBSEL1 | MAS0_ESEL(CHANNEL_ESEL));
	MTSPR(RT_SPRN_MAS1, MAS1_VALID | MAS1_IPROT | MAS1_TSIZE_4K);
	MTSPR(RT_SPRN_MAS2, page | MAS2_I | MAS2_G);
	MTSPR(RT_SPRN_MAS3, page | MAS3_SW | MAS3_SR);
	MTSPR(RT_SPRN_MAS7, 0u);
	__asm__ __volatile__("isync; tlbwe; isync" ::: "memory");
}

void booke_setup(uint64_t channel)
{
	/* The whole table must lie within 64 KiB of IVPR: the linker
	 * aligns it (RT_VEC_ALIGN), this only guards that. */
	if ((uint32_t)(uintptr_t)__vectors_end -
		    ((uint32_t)(uintptr_t)__vectors_start & 0xffff0000u) >
	    0x10000u)
		rt_halt();
	set_ivors();
	if (channel)
		map_io_page((uint32_t)channel);
	/* The decrementer far away, its status clear, then its interrupt
	 * enabled: it fires only when a scenario arms it. */
	rt_mtdec(RT_DEC_FAR);
	rt_dec_ack();
	MTSPR(RT_SPRN_TCR, RT_TCR_DIE);
}

#else
/* Book3S images copy their vectors to real address 0 (main.c). */
typedef int rt_booke_unused;
#endif
