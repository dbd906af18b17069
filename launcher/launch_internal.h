/* SPDX-License-Identifier: GPL-2.0-only */
/* Shared by launcher.c (the VM) and launch_record.c (its reports). */
#ifndef PVEXIT_LAUNCH_INTERNAL_H
#define PVEXIT_LAUNCH_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "launcher.h"

struct kvm_run;
struct kvm_stats;

struct launch_vm {
	int kvm, vm, vcpu;
	void *ram;
	uint64_t ram_size;
	struct kvm_run *run;
	size_t run_size;
	uint64_t channel;
	struct kvm_stats *stats;
	uint64_t *snap_begin, *snap_now;
	uint64_t t_start, t_phase;
	int open_phase; /* index into the result's phases, or -1 */
	/* BookE: KVM counts exits only by type, so the launcher keeps
	 * sum_exits itself (its index in the stats, or -1). */
	long sum_exits;
	void (*on_phase)(void *ctx, int phase); /* launch_opts' hook */
	void *on_phase_ctx;
};

/* Copy the stats descriptors' names into @r; allocate the snapshots. */
int launch_stats_init(struct launch_vm *vm, struct launch_result *r);

/**
 * launch_record() - act on the record the guest just rang in at @addr.
 * Return: 0 to resume the guest, 1 when it is done, -1 on an error
 * (r->error says which).
 */
int launch_record(struct launch_vm *vm, struct launch_result *r, uint64_t addr, bool verbose);

#endif
