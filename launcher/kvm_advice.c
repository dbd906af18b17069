// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "cpuinfo.h"
#include "kvm_advice.h"

const char *kvm_pr_advice(const struct kvm_pr_facts *f, char *out, size_t len)
{
	if (!f->powerpc)
		snprintf(out, len,
			 "this machine is no PowerPC: KVM PR runs only on a PowerPC host");
	else if (f->open_errno == ENOENT && !f->kvm_pr_loaded)
		snprintf(out, len,
			 "no /dev/kvm and no kvm-pr module: run 'modprobe kvm-pr' as root");
	else if (f->open_errno == EACCES || f->open_errno == EPERM)
		snprintf(
			out, len,
			"not allowed to open /dev/kvm: run as root (the BPF collector needs it too)");
	else if (f->open_errno)
		snprintf(out, len, "cannot open /dev/kvm: %s", strerror(f->open_errno));
	else if (f->create_errno && !f->kvm_pr_loaded)
		snprintf(out, len,
			 "KVM is there but KVM PR is not (%s): run 'modprobe kvm-pr' as root",
			 strerror(f->create_errno));
	else if (f->create_errno && f->radix)
		snprintf(
			out, len,
			"the host kernel runs the radix MMU, under which KVM PR cannot run: boot it with disable_radix");
	else if (f->create_errno)
		snprintf(out, len, "KVM_CREATE_VM(KVM_VM_PPC_PR) fails: %s",
			 strerror(f->create_errno));
	else
		snprintf(out, len, "KVM PR works here");
	return out;
}

bool kvm_pr_check(struct kvm_pr_facts *f)
{
	struct utsname u;
	char mmu[32] = "";
	int kvm, vm;

	memset(f, 0, sizeof(*f));
	f->powerpc = !uname(&u) && !strncmp(u.machine, "ppc", 3);
	f->kvm_pr_loaded = !access("/sys/module/kvm_pr", F_OK);
	f->radix = pvx_cpuinfo("MMU", mmu, sizeof(mmu)) && !strcmp(mmu, "Radix");
	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0) {
		f->open_errno = errno;
		return false;
	}
	f->booke = ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_PPC_BOOKE_SREGS) > 0;
	vm = ioctl(kvm, KVM_CREATE_VM, f->booke ? 0 : PVX_KVM_VM_PPC_PR);
	if (vm < 0)
		f->create_errno = errno;
	else
		close(vm);
	close(kvm);
	return vm >= 0;
}

bool kvm_booke_check(struct kvm_pr_facts *f, char *why, size_t len)
{
	bool works = kvm_pr_check(f);

	if (!f->powerpc)
		snprintf(
			why, len,
			"this machine is no PowerPC: the e500 guest needs a BookE (e500v2) KVM host");
	else if (f->open_errno)
		kvm_pr_advice(f, why, len);
	else if (!f->booke)
		snprintf(
			why, len,
			"this host's KVM is Book3S: the e500 guest needs a BookE (e500v2) KVM host");
	else if (f->create_errno)
		snprintf(why, len, "KVM_CREATE_VM fails: %s", strerror(f->create_errno));
	else
		snprintf(why, len, "BookE KVM works here");
	return works && f->booke;
}
