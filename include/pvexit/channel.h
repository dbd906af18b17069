/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest-to-host report channel, shared by the guest runtime and the
 * launcher.  Protocol (docs/channel.md): the guest fills one struct
 * pvx_record in its own RAM, in its own byte order, then stores the
 * record's guest-physical address (one 64-bit store) to the doorbell at
 * the channel address from /chosen/pvexit,channel.  Nothing is mapped
 * there, so the store is an MMIO exit: one exit per record, and the vCPU
 * is stopped while the launcher reads the record.  That is what makes
 * phase boundaries exact.
 *
 * Freestanding: included by code with and without a C library.
 */
#ifndef PVEXIT_CHANNEL_H
#define PVEXIT_CHANNEL_H

#include <stdint.h>

#define PVX_CHANNEL_VERSION 1

/* Offsets from the channel address; each is one 64-bit store. */
#define PVX_CHAN_DOORBELL 0x0

enum pvx_rec_type {
	/* w[0] channel version, w[1] 1 if big-endian, w[2] word size in
	 * bits, w[3] timebase Hz, w[4] 1 if the timebase was assumed */
	PVX_REC_HELLO = 1,
	/* text: a line for the user, without newline */
	PVX_REC_TEXT = 2,
	/* text: key; w[0] value; w[1] PVX_FACT_* format */
	PVX_REC_FACT = 3,
	/* w[0] class id, w[1] enum pvx_variant, w[2] case id (cases.def):
	 * the vCPU starts the phase */
	PVX_REC_PHASE_BEGIN = 4,
	/* w[0] class id, w[1] variant, w[2] case id: the phase's last
	 * instruction is done */
	PVX_REC_PHASE_END = 5,
	/* w[0] class id, w[1] variant, w[2] iterations, w[3] timebase
	 * ticks, w[4] last value the loop produced, w[5] case id, w[6]
	 * interrupts the guest took during the phase */
	PVX_REC_RESULT = 6,
	/* text: what was compared; w[0] class id, w[1] enum pvx_check_kind,
	 * w[2] value seen, w[3] value expected, w[4] case id */
	PVX_REC_CHECK = 7,
	/* an interrupt the runtime did not expect: w[0] vector, w[1] srr0,
	 * w[2] srr1, w[3] dar, w[4] dsisr, w[5] the instruction at srr0 */
	PVX_REC_CRASH = 8,
	/* w[0] status: 0 success, else the number of failures */
	PVX_REC_DONE = 9,
	/* nothing: sent back to back to measure the channel itself */
	PVX_REC_PING = 10,
	PVX_REC_MAX = PVX_REC_PING,
};

/* The class and case id of phases that belong to no instruction class. */
#define PVX_CLASS_NONE 0xffffu
#define PVX_CASE_NONE 0xffffu

enum pvx_variant {
	PVX_VAR_RAW = 0, /* the privileged instruction, trapping */
	PVX_VAR_PATCHED = 1, /* rewritten by the PV patcher */
	PVX_VAR_BASELINE = 2, /* same loop, no privileged instruction */
	PVX_VAR_WARMUP = 3, /* first touch of the magic page, reported apart */
	PVX_VAR_CHANNEL = 4, /* records sent back to back: the channel's cost */
	PVX_VAR_MARKER = 5, /* an empty phase: what the markers themselves count */
	PVX_VAR_MAX = PVX_VAR_MARKER,
};

enum pvx_check_kind {
	PVX_CHECK_PASS = 1,
	PVX_CHECK_FAIL = 2,
};

enum pvx_fact_format {
	PVX_FACT_DEC = 0,
	PVX_FACT_HEX = 1,
};

#define PVX_REC_WORDS 8
#define PVX_REC_TEXT_MAX 96

struct pvx_record {
	uint32_t type; /* enum pvx_rec_type */
	uint32_t size; /* sizeof(struct pvx_record) */
	uint64_t seq; /* 1, 2, 3 ... in the order sent */
	uint64_t w[PVX_REC_WORDS];
	char text[PVX_REC_TEXT_MAX]; /* NUL-terminated where used */
};

#endif
