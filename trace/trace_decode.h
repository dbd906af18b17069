/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The trace decoder: reads a recording of the kvm_pr:kvm_exit,
 * kvm:kvm_ppc_instr and kvm_pr:kvm_book3s_reenter tracepoints, either
 * pvexit's own raw capture (docs/trace-format.md, written by `pvexit
 * trace record`) or a trace-cmd trace.dat, and counts exits per thread,
 * exit vector and instruction class, with the exit-to-reentry time as a
 * log2 histogram.  Events the ring buffer lost are counted, never
 * hidden: every figure is a lower bound when pvx_trace_lossy() says so.
 *
 * A recording made on any host (ppc64le, big-endian ppc64, x86) decodes
 * on any other: the recording kernel's byte order and word size come
 * from the file.
 */
#ifndef PVEXIT_TRACE_DECODE_H
#define PVEXIT_TRACE_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pvexit/classes.h>
#include <pvexit/collect.h>

/* The class of an exit whose vector carries no instruction word. */
#define PVX_TRACE_NO_WORD (-2)

#define PVX_TRACE_MAX_WORDS 256

struct pvx_trace_word {
	uint32_t word; /* in instruction order */
	uint64_t count;
};

enum pvx_trace_kind {
	PVX_TRACE_PVTRACE = 1, /* pvexit trace record's container */
	PVX_TRACE_DAT = 2, /* trace-cmd's trace.dat */
};

/* pvx_trace_read() flags: also split rows by segment. */
#define PVX_TRACE_SEGMENTS 1u

/* The exits of one thread with one exit vector and instruction class
 * (and, with PVX_TRACE_SEGMENTS, in one segment: the exits between two
 * MMIO exits of the thread, numbered from 0.  pvexit's payloads mark
 * each phase with an MMIO store, so a measured phase is one segment). */
struct pvx_trace_row {
	uint32_t tid;
	uint32_t seg; /* 0 without PVX_TRACE_SEGMENTS */
	uint32_t vector; /* kvm_exit's exit_nr */
	int cls; /* PVX_CLASS_*, PVX_INSN_OTHER or PVX_TRACE_NO_WORD */
	uint64_t exits;
	uint64_t instr; /* kvm_ppc_instr events between these exits and their reentry */
	uint64_t paired; /* exits whose reentry was seen: the histogram's total */
	uint64_t lat_sum, lat_min, lat_max; /* exit-to-reentry, clock units */
	/* exit-to-reentry, PVX_HIST_SLOTS buckets (pvexit/collect.h) of clock
	 * units: ns for every clock but "counter" and the TSC/timebase ones */
	uint64_t hist[PVX_HIST_SLOTS];
};

/* What one CPU's ring buffer says it lost. */
struct pvx_trace_cpu {
	bool have_stats; /* the kernel's per_cpu/cpuN/stats were saved */
	uint64_t overrun; /* events overwritten before they were read */
	uint64_t commit_overrun; /* events lost to a nested writer */
	uint64_t dropped; /* events refused by a full non-overwrite buffer */
	uint64_t pages; /* ring-buffer pages decoded */
	uint64_t missed; /* events the pages say were lost before them */
	uint64_t missed_unknown; /* pages that lost an unknown number */
};

struct pvx_trace {
	enum pvx_trace_kind kind;
	bool big_endian; /* of the recording kernel */
	int long_size; /* its unsigned long, bytes */
	unsigned int page_size; /* its ring-buffer page */
	char clock[32]; /* the trace clock, "" when the file does not say */
	unsigned int ncpus;
	struct pvx_trace_cpu *cpu; /* [ncpus] */

	struct pvx_trace_row *rows;
	size_t nrows;
	/* kvm_ppc_instr by the class of its inst; [PVX_CLASS_COUNT] = other */
	uint64_t instr_by_class[PVX_CLASS_COUNT + 1];
	/* PROGRAM exits outside the table, by instruction word (the first
	 * PVX_TRACE_MAX_WORDS distinct words; the rest are counted in
	 * other_words_more) */
	struct pvx_trace_word *other_words;
	size_t nother_words;
	uint64_t other_words_more;

	uint64_t n_exit, n_instr, n_reenter, n_foreign; /* foreign: other events */
	uint64_t unpaired_exit; /* an exit followed by another exit of its thread */
	uint64_t unpaired_reenter; /* a reentry without its exit */
	uint64_t instr_outside; /* kvm_ppc_instr with no exit of its thread open */
	uint64_t class_mismatch; /* kvm_ppc_instr of another class than its PROGRAM exit */
	uint64_t clock_backwards; /* reentries timed before their exit */
};

/**
 * pvx_trace_read() - decode a recording into @t.
 * @path: a pvexit raw capture or a trace-cmd trace.dat (told apart by
 *	their magic bytes)
 * @flags: PVX_TRACE_SEGMENTS or 0
 * @t: the result, zeroed first; free it with pvx_trace_free()
 * @err: one line naming the file and what is wrong with it, and where
 *	(section, offset, CPU and page, event, field)
 * @errlen: size of @err
 *
 * Context: reads the file; never trusts a length, offset or format in it.
 * Return: 0, or -1 with @err set and @t empty.
 */
int pvx_trace_read(const char *path, unsigned int flags, struct pvx_trace *t, char *err,
		   size_t errlen);

void pvx_trace_free(struct pvx_trace *t);

/* Events lost anywhere: overruns, drops, pages with missed events. */
uint64_t pvx_trace_lost(const struct pvx_trace *t);
bool pvx_trace_lossy(const struct pvx_trace *t);

/**
 * pvx_trace_hist_quantile() - the bucket that holds quantile @per_mille
 * (500: the median) of the @n values counted in @hist.
 * Return: the bucket index, or -1 if @n is 0.
 */
int pvx_trace_hist_quantile(const uint64_t *hist, uint64_t n, unsigned int per_mille);

/* Whether the trace clock counts nanoseconds. */
bool pvx_trace_clock_is_ns(const char *clock);

#endif
