// SPDX-License-Identifier: GPL-2.0-only
/*
 * What pvexit run tells the owner of a PowerPC host that cannot run KVM
 * PR: one line naming what is missing and the fix, for each way a host
 * can lack it; and the facts this machine really has.
 */
#include <errno.h>

#include "kvm_advice.h"
#include "unit.h"

static void says(const char *name, struct kvm_pr_facts f, const char *fix)
{
	char out[256];

	f.powerpc = true;
	CHECK_STR_CONTAINS(name, kvm_pr_advice(&f, out, sizeof(out)), fix);
}

int main(void)
{
	struct kvm_pr_facts f = { 0 };
	char out[256];

	says("advice: no /dev/kvm, no module", (struct kvm_pr_facts){ .open_errno = ENOENT },
	     "run 'modprobe kvm-pr' as root");
	says("advice: /dev/kvm not ours", (struct kvm_pr_facts){ .open_errno = EACCES },
	     "run as root");
	says("advice: KVM HV only", (struct kvm_pr_facts){ .create_errno = EINVAL },
	     "KVM PR is not (Invalid argument): run 'modprobe kvm-pr'");
	says("advice: a radix host",
	     (struct kvm_pr_facts){ .create_errno = EINVAL, .kvm_pr_loaded = true, .radix = true },
	     "boot it with disable_radix");
	says("advice: anything else is named",
	     (struct kvm_pr_facts){ .create_errno = ENOMEM, .kvm_pr_loaded = true },
	     "KVM_CREATE_VM(KVM_VM_PPC_PR) fails: Cannot allocate memory");
	f.open_errno = ENOENT;
	CHECK_STR_CONTAINS("advice: not a PowerPC", kvm_pr_advice(&f, out, sizeof(out)),
			   "this machine is no PowerPC");

	/* This machine: x86 here, never a KVM PR host. */
#if !defined(__powerpc__) && !defined(__powerpc64__)
	CHECK("advice: this machine is no KVM PR host", !kvm_pr_check(&f) && !f.powerpc);
#else
	unit_skip("advice: this machine is no KVM PR host", "a PowerPC build");
#endif
	return unit_done();
}
