/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The exit collectors pvexit run puts beside the vCPU's KVM stats, all
 * behind one interface in the manner of perf's kvm_events_ops: a table
 * of operations per collector, driven by the command in one loop.
 *
 *   open   once per pvexit run: load what the collector needs
 *   start  before each guest run, on the vCPU thread
 *   mark   at each phase marker, while the vCPU sits stopped in its exit
 *   read   after the guest run: stop, and count per phase
 *   close  at the end
 *
 * A collector that cannot open or start is marked unavailable with one
 * line saying why; pvexit run then reports it as such, never as zero.
 */
#ifndef PVEXIT_COLLECTOR_H
#define PVEXIT_COLLECTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "phase_exits.h"

enum pvx_coll_kind { PVX_COLL_BPF, PVX_COLL_TRACE, PVX_COLL_PERF, PVX_COLL_COUNT };

/* As results and tables name them: "bpf", "trace", "perf". */
extern const char *const pvx_coll_names[PVX_COLL_COUNT];

/* The phases of one guest run, as a collector needs to know them. */
struct pvx_coll_phases {
	unsigned int n;
	/* per phase: the channel records (each one MMIO exit) sent up to
	 * and including its begin marker, which numbers its trace segment */
	const uint64_t *segment;
};

/* How pvexit run asks for its collectors. */
struct pvx_coll_opts {
	bool verbose; /* let the libraries' own messages through */
	/* counts by vector and class only: no kvm_ppc_instr, reentries or
	 * exit-to-reentry histogram, for the least cost per exit */
	bool counts_only;
};

struct pvx_collector_ops {
	/* Return: 0, or -1 with one line in @why; *@priv is the state. */
	int (*open)(void **priv, const struct pvx_coll_opts *o, char *why, size_t len);
	int (*start)(void *priv, pid_t tid, char *why, size_t len);
	void (*mark)(void *priv, pid_t tid, int phase);
	/* @out: @ph->n entries, overwritten.  Return: 0, or -1 with @why. */
	int (*read)(void *priv, pid_t tid, const struct pvx_coll_phases *ph,
		    struct pvx_phase_exits *out, char *why, size_t len);
	void (*close)(void *priv);
};

extern const struct pvx_collector_ops pvx_coll_bpf_ops, pvx_coll_trace_ops, pvx_coll_perf_ops;

struct pvx_collector {
	enum pvx_coll_kind kind;
	const struct pvx_collector_ops *ops;
	void *priv;
	bool available; /* opened */
	bool running; /* started for the guest run under way */
	char why[512]; /* why it is not available, or its last failure */
};

/* Open collector @kind; never NULL: check ->available and ->why. */
struct pvx_collector *pvx_coll_open(enum pvx_coll_kind kind, const struct pvx_coll_opts *o);

/* A collector that was never asked for: unavailable, saying @why. */
struct pvx_collector *pvx_coll_absent(enum pvx_coll_kind kind, const char *why);

/* Before a guest run.  Return: 0, or -1 with ->why set (not running). */
int pvx_coll_start(struct pvx_collector *c, pid_t tid);

/* At a phase marker: @phase begins (-1: the one running ends). */
void pvx_coll_mark(struct pvx_collector *c, pid_t tid, int phase);

/**
 * pvx_coll_read() - stop counting and hand over the counts per phase.
 * @ok: whether the guest run completed; when not, the collector is only
 *	stopped and nothing is read
 * Return: an array of @ph->n entries (the caller frees it), or NULL
 * with ->why set.
 */
struct pvx_phase_exits *pvx_coll_read(struct pvx_collector *c, pid_t tid,
				      const struct pvx_coll_phases *ph, bool ok);

void pvx_coll_close(struct pvx_collector *c);

#endif
