/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The launcher: one payload run under KVM PR (Book3S) or KVM e500v2
 * (BookE), straight on /dev/kvm.
 * It builds the VM (RAM, ELF, device tree, registers), runs the vCPU,
 * reads the guest's report records at each channel exit, and takes a
 * snapshot of the vCPU's binary stats at every phase marker.
 */
#ifndef PVEXIT_LAUNCHER_H
#define PVEXIT_LAUNCHER_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <pvexit/channel.h>

#define LAUNCH_MAX_PHASES 256
#define LAUNCH_MAX_FACTS 128
#define LAUNCH_MAX_CHECKS 256
/* KVM e500's initial guest TLB1 entry maps 256 MiB at 0: an e500 guest's
 * RAM must lie inside it. */
#define LAUNCH_BOOKE_RAM_MAX (256ULL << 20)

struct launch_opts {
	const char *payload; /* ELF path */
	bool booke; /* it is the e500 payload, for a BookE host */
	uint64_t ram_size; /* bytes */
	const char *bootargs; /* the payload's arguments */
	unsigned int timeout_s; /* the whole run, watchdog */
	bool verbose; /* echo every record to stderr */
	/* Called while the vCPU sits stopped in a phase marker's exit: with
	 * the index the phase has in launch_result.phases when it begins,
	 * with -1 when it ends.  Collectors outside KVM (BPF, tracing) draw
	 * their phase boundaries here, as exact as the stats snapshots. */
	void (*on_phase)(void *ctx, int phase);
	void *on_phase_ctx;
	/* When set and it becomes non-zero (a signal handler's flag), the
	 * run stops at the next signal with the error "interrupted". */
	volatile sig_atomic_t *stop;
};

struct launch_phase {
	unsigned int cls, variant, cs; /* class, variant, case (cases.def) */
	bool ended, have_result;
	uint64_t iterations, ticks, value;
	uint64_t interrupts; /* the guest took during the phase */
	uint64_t *delta; /* stats deltas, launch_result.nstats entries */
	uint64_t host_ns; /* host time from begin to end marker */
	/* Channel records (each one MMIO exit) up to and including the
	 * begin marker: the trace decoder's segment of this phase. */
	uint64_t segment;
	/* The kvm_exit tracepoint's count in the phase, all exits and the
	 * emulation ones, when the caller counted it (launch_result.have_tp):
	 * what the e500 lab's launcher sends back beside the stats. */
	uint64_t tp_exits, tp_emul;
};

struct launch_fact {
	char key[PVX_REC_TEXT_MAX];
	uint64_t value;
	int format;
};

struct launch_check {
	unsigned int cls, cs;
	char what[PVX_REC_TEXT_MAX];
	bool pass;
	uint64_t seen, want;
};

struct launch_result {
	/* The host's KVM: PVX_FAM_BOOKE on an e500v2 host (KVM_E500V2),
	 * else Book3S (KVM PR), whose guest family the payload says. */
	unsigned int family;
	bool big_endian;
	unsigned int bits; /* 64 or 32: the payload's word size */
	uint64_t tb_hz;
	bool tb_assumed;
	uint32_t pvr; /* the vCPU's, from KVM_GET_SREGS */
	size_t nstats;
	char **stat_names; /* nstats names, from the stats descriptors */
	bool *stat_cumulative; /* false for instant and peak values */
	struct launch_fact facts[LAUNCH_MAX_FACTS];
	unsigned int nfacts;
	struct launch_phase phases[LAUNCH_MAX_PHASES];
	unsigned int nphases;
	struct launch_check checks[LAUNCH_MAX_CHECKS];
	unsigned int nchecks;
	/* What the two phase markers add to each counter, measured in the
	 * guest's empty phases (the minimum of them), already subtracted
	 * from every other phase's deltas; NULL if there were none. */
	uint64_t *marker;
	unsigned int nmarker; /* empty phases measured */
	bool done; /* the guest said it finished */
	uint64_t failures; /* its count of failures */
	uint64_t records;
	bool have_tp; /* the phases' tp_exits and tp_emul are counts */
	/* The machine the run was on, when a launcher elsewhere says so
	 * (pvexit-launch): uname -r and -m, /proc/cpuinfo's cpu and
	 * revision lines; empty when unknown. */
	char host_release[96], host_machine[72], host_cpu[128], host_revision[64];
	uint64_t setup_ns; /* launcher start to the first KVM_RUN */
	uint64_t first_record_ns; /* launcher start to the guest's first record */
	char error[512]; /* why the run failed, when launch_run() returns -1 */
};

/**
 * launch_run() - run @o->payload to its end.
 *
 * The run fails (-1, r->error set) on any setup error, an unexpected
 * exit (named, with pc, msr and the instruction at pc), a malformed
 * record, a guest crash, or the watchdog.  A guest that finishes but
 * reports failures returns 0 with r->failures set: its records are the
 * evidence.  Return: 0 or -1.
 */
int launch_run(const struct launch_opts *o, struct launch_result *r);

/* Free what launch_run() allocated in @r. */
void launch_result_free(struct launch_result *r);

/*
 * A launch result as text (launch_io.c): how a launcher that runs
 * elsewhere (the e500 lab's static pvexit-launch) hands its run to
 * pvexit.  launch_result_write() returns 0 or -1 (the stream's error);
 * launch_result_read() fills @r (free it with launch_result_free()) and
 * returns 0, or -1 with @err naming @name, the line and what is wrong.
 */
int launch_result_write(FILE *f, const struct launch_result *r);
int launch_result_read(FILE *f, const char *name, struct launch_result *r, char *err,
		       size_t errlen);

struct pvx_tpphases;
/*
 * launch_take_tp() - the kvm_exit counts @tp took at @r's phase markers
 * (trace/tp_count.h) into @r's phases, have_tp set.  Return: true, or
 * false with have_tp clear and @why saying why (a phase not counted, a
 * lost event, nothing counted).
 */
bool launch_take_tp(const struct pvx_tpphases *tp, struct launch_result *r, char *why, size_t len);

#endif
