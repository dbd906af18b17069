/* SPDX-License-Identifier: GPL-2.0-only */
/* What a results file says about the machine and the toolkit. */
#ifndef PVEXIT_HOST_INFO_H
#define PVEXIT_HOST_INFO_H

#include "results.h"

/* pvexit's release, and the git revision it was built from. */
const char *pvx_version(void);
const char *pvx_git_revision(void);

/* How this pvexit was built: "native" or "cross", the compiler, and its
 * target triplet (the Makefile says; "unknown" when it did not). */
const char *pvx_build_kind(void);
const char *pvx_build_compiler(void);
const char *pvx_build_target(void);

/* The KVM host, this machine: kernel release, machine, CPU and PVR
 * (from /proc/cpuinfo on PowerPC), the KVM flavour @kvm ("pr",
 * "e500v2"), and whether it is the lab.  Never fails: what cannot be
 * found is "unknown". */
void pvx_host_fill(struct pvx_host *h, const char *kvm);

/* The same from what another machine said of itself (the e500 lab's
 * launcher): @revision is its /proc/cpuinfo revision line; NULL or ""
 * for anything it did not say. */
void pvx_host_describe(struct pvx_host *h, const char *release, const char *machine,
		       const char *cpu, const char *revision, const char *kvm, bool lab);

#endif
