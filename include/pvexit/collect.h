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

#endif
