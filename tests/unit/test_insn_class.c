// SPDX-License-Identifier: GPL-2.0-only
/*
 * insn_class: every row of the class table, with many register
 * operands, classifies to itself from a kvm_exit record of any guest
 * and host byte order; words outside the table are "other".
 */
#include "insn_class.h"
#include "unit.h"

#include <stdint.h>
#include <stdio.h>

/* Register numbers that set each operand bit at least once. */
static const unsigned int regs[] = { 0, 1, 3, 13, 21, 30, 31 };
#define NREGS (sizeof(regs) / sizeof(regs[0]))

/* The row's word with rT/rS = @a and, where the mask leaves it free, rB = @b. */
static uint32_t with_operands(int cls, unsigned int a, unsigned int b)
{
	const struct pvx_class_info *c = &pvx_classes[cls];
	uint32_t w = c->match;
	uint32_t rt = PVX_INSN_REG_MASK << PVX_INSN_RT_SHIFT;
	uint32_t rb = PVX_INSN_REG_MASK << PVX_INSN_RB_SHIFT;

	if (!(c->mask & rt))
		w |= a << PVX_INSN_RT_SHIFT;
	if (!(c->mask & rb))
		w |= b << PVX_INSN_RB_SHIFT;
	return w;
}

/* What kvm_exit's last_inst holds for @word: the host read the guest's
 * bytes with its own byte order. */
static uint64_t as_recorded(uint32_t word, int guest_le, int host_be)
{
	unsigned char mem[4];
	int i;

	for (i = 0; i < 4; i++)
		mem[i] = (unsigned char)(word >> (guest_le ? 8 * i : 24 - 8 * i));
	if (host_be)
		return (uint64_t)mem[0] << 24 | mem[1] << 16 | mem[2] << 8 | mem[3];
	return (uint64_t)mem[3] << 24 | mem[2] << 16 | mem[1] << 8 | mem[0];
}

static void check_rows(void)
{
	char name[128];
	int cls, gle, hbe;
	size_t a, b;

	for (cls = 0; cls < PVX_CLASS_COUNT; cls++) {
		for (gle = 0; gle < 2; gle++) {
			for (hbe = 0; hbe < 2; hbe++) {
				unsigned int bad = 0, n = 0;
				uint32_t first_bad = 0;

				for (a = 0; a < NREGS; a++) {
					for (b = 0; b < NREGS; b++) {
						uint32_t w = with_operands(cls, regs[a], regs[b]);
						/* Bits above MSR[LE] must not matter. */
						uint64_t msr = (gle ? PVX_MSR_LE : 0) |
							       0x8000000000001032ull;
						uint32_t got = pvx_insn_from_exit(
							as_recorded(w, gle, hbe), msr, hbe);

						n++;
						if (got != w || pvx_insn_classify(got) != cls) {
							if (!bad++)
								first_bad = w;
						}
					}
				}
				snprintf(name, sizeof(name),
					 "%s: %u operand choices from a %s guest on a %s host",
					 pvx_classes[cls].name, n, gle ? "LE" : "BE",
					 hbe ? "BE" : "LE");
				if (bad)
					printf("  first bad word 0x%08x -> class %d\n", first_bad,
					       pvx_insn_classify(first_bad));
				CHECK_EQ_U64(name, bad, 0);
			}
		}
	}
}

/* The lab's observation: a BE guest's mfmsr r3 on an LE host reads
 * 0x7c6000a6 as 0xa600607c. */
static void check_lab_example(void)
{
	CHECK_EQ_U64("BE mfmsr r3 recorded on an LE host", pvx_insn_from_exit(0xa600607c, 0, false),
		     0x7c6000a6);
	CHECK_EQ_U64("LE mfmsr r3 recorded on an LE host",
		     pvx_insn_from_exit(0x7c6000a6, PVX_MSR_LE, false), 0x7c6000a6);
	CHECK_EQ_U64("LE mfmsr r3 recorded on a BE host",
		     pvx_insn_from_exit(0xa600607c, PVX_MSR_LE, true), 0x7c6000a6);
	CHECK_EQ_U64("only the low word of last_inst counts",
		     pvx_insn_from_exit(0xdeadbeef7c6000a6ull, 0, true), 0x7c6000a6);
	CHECK("mfmsr r3 is mfmsr", pvx_insn_classify(0x7c6000a6) == PVX_CLASS_MFMSR);
}

/*
 * What the BPF collector does with an exit (pvx_shared_u64 for the MSR on
 * the shared page, then pvx_exit_word), fed the bytes a big-endian host
 * (a G5, a BE POWER host) would hand it as well as a little-endian one's.
 * An LE guest's MSR is 0x8000000000000001, a BE guest's 0x8000000000000000.
 */
static void check_host_byte_orders(void)
{
	static const struct {
		const char *name;
		int host_le, shared_be; /* the host; the shared page's order */
		unsigned long long raw_msr; /* as the host's 64-bit load reads it */
		unsigned int last_inst; /* as the host's 32-bit load read it */
	} c[] = {
		{ "LE host, LE guest", 1, 0, 0x8000000000000001ull, 0x7c6000a6 },
		{ "LE host, BE guest", 1, 1, 0x0000000000000080ull, 0xa600607c },
		{ "BE host, BE guest", 0, 1, 0x8000000000000000ull, 0x7c6000a6 },
		{ "BE host, LE guest", 0, 0, 0x0100000000000080ull, 0xa600607c },
	};
	char name[128];
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		unsigned long long msr = pvx_shared_u64(c[i].raw_msr, c[i].shared_be, c[i].host_le);
		int guest_le = (int)(msr & PVX_MSR_LE);

		snprintf(name, sizeof(name), "%s: the shared page's MSR in host order", c[i].name);
		CHECK_EQ_U64(name, msr,
			     c[i].shared_be ? 0x8000000000000000ull : 0x8000000000000001ull);
		snprintf(name, sizeof(name), "%s: the exit word is mfmsr r3", c[i].name);
		CHECK_EQ_U64(name, pvx_exit_word(c[i].last_inst, guest_le, c[i].host_le),
			     0x7c6000a6);
		snprintf(name, sizeof(name), "%s: the decoder's rule agrees", c[i].name);
		CHECK_EQ_U64(name, pvx_insn_from_exit(c[i].last_inst, msr, !c[i].host_le),
			     0x7c6000a6);
	}
}

/* No word is accepted by two rows: the first-row rule never has to pick. */
static void check_no_overlap(void)
{
	unsigned int overlaps = 0;
	int i, j;

	for (i = 0; i < PVX_CLASS_COUNT; i++) {
		for (j = i + 1; j < PVX_CLASS_COUNT; j++) {
			const struct pvx_class_info *x = &pvx_classes[i], *y = &pvx_classes[j];

			if (!((x->match ^ y->match) & x->mask & y->mask)) {
				printf("  rows %s and %s accept the same words\n", x->name,
				       y->name);
				overlaps++;
			}
		}
	}
	CHECK_EQ_U64("no two rows accept the same word", overlaps, 0);
}

static void check_other(void)
{
	static const struct {
		uint32_t word;
		const char *what;
	} others[] = {
		{ 0x60000000, "nop" },
		{ 0x44000002, "sc" },
		{ 0x4c000024, "rfid" },
		{ 0x7c6802a6, "mflr r3" },
		{ PVX_MFSPR(25) | (3u << 21), "mfspr r3,SDR1" },
		{ PVX_MFSPR(22) | (3u << 21), "mfspr r3,DEC" },
		{ PVX_MTSPR(22) | (3u << 21), "mtspr DEC,r3" },
		{ 0x7c010124, "mtmsr r0,1 (L set, a form the table leaves out)" },
		{ 0x7c0000a7, "mfmsr with the reserved bit 31 set" },
		{ 0xf8640000, "std r3,0(r4)" },
		{ 0x7c00046d, "tlbsync with bit 31 set" },
		{ 0x7c20046c, "tlbsync with a non-zero reserved field" },
		{ 0xffffffff, "KVM_INST_FETCH_FAILED" },
		{ 0x00000000, "zero" },
	};
	char name[128];
	size_t i;

	for (i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		snprintf(name, sizeof(name), "0x%08x (%s) is other", others[i].word,
			 others[i].what);
		CHECK_EQ_U64(name, (uint64_t)(int64_t)pvx_insn_classify(others[i].word),
			     (uint64_t)(int64_t)PVX_INSN_OTHER);
	}
}

/* Flipping any bit the row's mask holds leaves the row. */
static void check_masked_bits(void)
{
	unsigned int bad = 0, n = 0;
	int cls, bit;

	for (cls = 0; cls < PVX_CLASS_COUNT; cls++) {
		for (bit = 0; bit < 32; bit++) {
			uint32_t w = with_operands(cls, 5, 7);

			if (!(pvx_classes[cls].mask & (1u << bit)))
				continue;
			n++;
			if (pvx_insn_classify(w ^ (1u << bit)) == cls) {
				printf("  %s: bit %d flipped still classifies as it\n",
				       pvx_classes[cls].name, bit);
				bad++;
			}
		}
	}
	CHECK("masked bits were flipped", n > 32u * 10);
	CHECK_EQ_U64("a flipped masked bit leaves the row", bad, 0);
}

static void check_names(void)
{
	CHECK("class name from the table",
	      !strcmp(pvx_insn_class_name(PVX_CLASS_MFMSR), pvx_classes[PVX_CLASS_MFMSR].name));
	CHECK("other has a name", !strcmp(pvx_insn_class_name(PVX_INSN_OTHER), "other"));
	CHECK("no class is -", !strcmp(pvx_insn_class_name(PVX_CLASS_COUNT), "-"));
	CHECK("PROGRAM exits carry a word", pvx_insn_exit_has_word(0x700));
	CHECK("DECREMENTER exits do not", !pvx_insn_exit_has_word(0x900));
}

int main(void)
{
	check_rows();
	check_lab_example();
	check_host_byte_orders();
	check_no_overlap();
	check_other();
	check_masked_bits();
	check_names();
	return unit_done();
}
