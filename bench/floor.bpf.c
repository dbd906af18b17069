// SPDX-License-Identifier: GPL-2.0-only
// SPDX-License-Identifier: GPL-2.0
/*
 * The floor under any exit collector that attaches where trace/exits.bpf.c
 * does: three BTF tracepoint programs on the same tracepoints that do
 * nothing at all.  What a run costs with them attached is the price of
 * entering BPF three times per trapping instruction, before a collector
 * reads or counts anything (make bench-self reports it beside the
 * collector's own cost).
 */
#include "vmlinux.h"

#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

SEC("tp_btf/kvm_exit")
int floor_exit(void *ctx)
{
	(void)ctx;
	return 0;
}

SEC("tp_btf/kvm_ppc_instr")
int floor_instr(void *ctx)
{
	(void)ctx;
	return 0;
}

SEC("tp_btf/kvm_book3s_reenter")
int floor_reenter(void *ctx)
{
	(void)ctx;
	return 0;
}
