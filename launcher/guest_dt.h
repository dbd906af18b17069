/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The flattened device tree a payload receives in r3, built with libfdt.
 *
 *   / compatible "pvexit,guest", #address-cells 2, #size-cells 2
 *     chosen: bootargs (the payload's arguments), pvexit,channel (u64:
 *             guest-physical address of the report channel, see
 *             docs/channel.md)
 *     memory@0: device_type "memory", reg <0 ram_size>
 *     cpus: #address-cells 1, #size-cells 0
 *       cpu@0: device_type "cpu", reg <0>, timebase-frequency <hz>
 *     hypervisor: compatible "linux,kvm", hcall-instructions (only when
 *             the host gave KVM_PPC_GET_PVINFO)
 */
#ifndef PVEXIT_GUEST_DT_H
#define PVEXIT_GUEST_DT_H

#include <stddef.h>
#include <stdint.h>

struct guest_dt_params {
	uint64_t ram_size; /* bytes of guest RAM at guest-physical 0 */
	uint32_t timebase_hz; /* the host's timebase frequency */
	uint64_t channel; /* guest-physical address of the report channel */
	const char *bootargs; /* may be empty, never NULL */
	/* The hypercall sequence exactly as KVM_PPC_GET_PVINFO returns it:
	 * big-endian instruction words (the kernel fills them with
	 * cpu_to_be32), copied into the property byte for byte.
	 * n_hcall == 0 means no /hypervisor node (not KVM). */
	const uint32_t *hcall;
	unsigned int n_hcall; /* at most 4 */
};

/**
 * guest_dt_build() - write the device tree for @p into @buf.
 *
 * Context: any.  Return: the size of the finished (packed) tree, or -1
 * with one line in @err (too small a buffer, n_hcall > 4, ram_size 0,
 * timebase_hz 0, bootargs NULL, hcall NULL with n_hcall > 0, a libfdt
 * error with its text).
 */
int guest_dt_build(const struct guest_dt_params *p, void *buf, size_t bufsize, char *err,
		   size_t errlen);

#endif
