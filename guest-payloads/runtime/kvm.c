// SPDX-License-Identifier: GPL-2.0-only
/*
 * Finding KVM and the magic page, in the order a Linux guest does it
 * (arch/powerpc/kernel/epapr_paravirt.c, firmware.c, kvm.c): the device
 * tree's /hypervisor node says "linux,kvm" and carries the hypercall
 * instructions; the guest copies them into its hypercall stub, asks
 * KVM_HC_FEATURES, and maps the magic page at -4096 with
 * KVM_HC_PPC_MAP_MAGIC_PAGE.
 */
#include <pvexit/channel.h>
#include <pvexit/magic_page.h>

#include "rt.h"

/* Copy the host's hypercall sequence (big-endian cells, at most four)
 * into the stub; a malformed property leaves the stub returning -1. */
static unsigned int install_hcall(const void *fdt, int node)
{
	uint32_t len, i;
	const unsigned char *p = fdt_prop(fdt, node, "hcall-instructions", &len);

	if (!p || len == 0 || len % 4 || len > 16)
		return 0;
	for (i = 0; i < len / 4; i++)
		rt_kvm_hcall_stub[i] = rt_be32(p + 4 * i);
	rt_flush_icache(rt_kvm_hcall_stub, rt_kvm_hcall_stub + 4);
	return len / 4;
}

void kvm_detect(const void *fdt, struct rt_kvm *k)
{
	unsigned long out = 0;
	int node;

	memset(k, 0, sizeof(*k));
	k->features_status = -1;
	k->map_status = -1;
	node = fdt_valid(fdt) ? fdt_node(fdt, "/hypervisor") : -1;
	k->on_kvm = node >= 0 && fdt_prop_has_string(fdt, node, "compatible", "linux,kvm");
	if (!k->on_kvm)
		return;
	k->n_hcall = install_hcall(fdt, node);
	if (!k->n_hcall)
		return;

	k->features_status = rt_kvm_hcall(PVX_KVM_HCALL_TOKEN(PVX_KVM_HC_FEATURES), 0, 0, &out);
	k->features = k->features_status == 0 ? out : 0;
	if (!(k->features & PVX_KVM_FEATURE_MAGIC_PAGE))
		return;

	out = 0;
	k->map_status = rt_kvm_hcall(
		PVX_KVM_HCALL_TOKEN(PVX_KVM_HC_PPC_MAP_MAGIC_PAGE),
		(unsigned long)PVX_MAGIC_PAGE_EA,
		(unsigned long)PVX_MAGIC_PAGE_EA | PVX_MAGIC_PAGE_FLAG_NOT_MAPPED_NX, &out);
	if (k->map_status != 0)
		return;
	k->magic_features = out;
}

/* A register's copy in the magic page: 8 bytes, of which a 32-bit
 * guest reads the low (big-endian: second) word. */
unsigned long kvm_magic_read(int field)
{
	return *(volatile unsigned long *)(uintptr_t)(PVX_MAGIC_PAGE_EA + field + 8 - sizeof(long));
}

bool kvm_magic_selftest(void)
{
	unsigned long msr = rt_mfmsr();
	unsigned long seen;

	/*
	 * Like Linux's self-test, read the page before trusting it, and go
	 * further: its msr field must be the MSR that mfmsr reports.  This
	 * is the page's first touch, which costs MMU exits: the caller
	 * wraps it in a phase of its own so they are counted apart.
	 */
	report_phase(true, PVX_CLASS_NONE, PVX_VAR_WARMUP, PVX_CASE_NONE);
	seen = kvm_magic_read(PVX_MP_MSR);
	report_phase(false, PVX_CLASS_NONE, PVX_VAR_WARMUP, PVX_CASE_NONE);
	return seen == msr;
}
