/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What every exit collector shares (the BPF programs, their user side,
 * the trace decoder): the exit vectors they single out and the buckets
 * of their exit-to-reentry histograms.  Freestanding: also compiled into
 * BPF programs.  book3s_vectors.def names every vector.
 */
#ifndef PVEXIT_COLLECT_H
#define PVEXIT_COLLECT_H

/* The PROGRAM interrupt: the exit every class of the table takes raw,
 * and the only one whose last_inst the collectors decode. */
#define PVX_VECTOR_PROGRAM 0x700u
/* DATA_STORAGE: page faults, and MMIO (the payloads' phase markers). */
#define PVX_VECTOR_DATA_STORAGE 0x300u

/* Histogram buckets: bucket i counts [2^i, 2^(i+1)) clock units (ns),
 * bucket 0 also 0, the last one everything above. */
#define PVX_HIST_SLOTS 40

/* The bucket of @v: floor(log2(v)) in six steps (no loop, for BPF). */
static inline unsigned int pvx_hist_slot(unsigned long long v)
{
	unsigned int slot = 0;

	if (v >> 32) {
		v >>= 32;
		slot += 32;
	}
	if (v >> 16) {
		v >>= 16;
		slot += 16;
	}
	if (v >> 8) {
		v >>= 8;
		slot += 8;
	}
	if (v >> 4) {
		v >>= 4;
		slot += 4;
	}
	if (v >> 2) {
		v >>= 2;
		slot += 2;
	}
	if (v >> 1)
		slot += 1;
	return slot < PVX_HIST_SLOTS ? slot : PVX_HIST_SLOTS - 1;
}

/*
 * Byte order, the two rules every collector applies to a KVM PR exit, here
 * once so that the BPF programs and the host's decoder (and its tests with
 * a big-endian host's inputs) share them.  Non-zero is true.
 *
 * The guest's MSR as read raw from the vCPU's shared (magic) page: KVM PR
 * keeps that page in the byte order the guest last chose
 * (vcpu->arch.shared_big_endian), which is swapped exactly when it is not
 * the host's own.
 */
static inline unsigned long long pvx_shared_u64(unsigned long long raw, int shared_big_endian,
						int host_le)
{
	return !!shared_big_endian == !!host_le ? __builtin_bswap64(raw) : raw;
}

/*
 * The trapping instruction in its architectural order from last_inst,
 * which holds the host's own 32-bit load of the guest's bytes: swapped
 * exactly when the guest's MSR[LE] is not the host's byte order.
 */
static inline unsigned int pvx_exit_word(unsigned int last_inst, int guest_le, int host_le)
{
	return !!guest_le != !!host_le ? __builtin_bswap32(last_inst) : last_inst;
}

#endif
