// SPDX-License-Identifier: GPL-2.0-only
/*
 * Proves the lab is a KVM PR host: /dev/kvm answers, a VM of type
 * KVM_VM_PPC_PR can be created and given a vCPU, and the capabilities the
 * launcher relies on are there.  Prints one line per fact; exits 0 only
 * when every fact holds.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/kvm.h>

static int failures;

static void fact(int ok, const char *what, const char *detail)
{
	printf("%s %s%s%s\n", ok ? "ok  " : "FAIL", what, detail ? ": " : "", detail ? detail : "");
	if (!ok)
		failures++;
}

int main(void)
{
	static const struct {
		int cap;
		const char *name;
	} caps[] = {
		{ KVM_CAP_PPC_GET_PVINFO, "KVM_CAP_PPC_GET_PVINFO" },
		{ KVM_CAP_ONE_REG, "KVM_CAP_ONE_REG" },
		{ KVM_CAP_BINARY_STATS_FD, "KVM_CAP_BINARY_STATS_FD" },
	};
	char buf[128];
	int kvm, vm, vcpu, ver;
	size_t i;

	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0) {
		fact(0, "open /dev/kvm", strerror(errno));
		return 1;
	}
	ver = ioctl(kvm, KVM_GET_API_VERSION, 0);
	snprintf(buf, sizeof(buf), "%d", ver);
	fact(ver == KVM_API_VERSION, "KVM_GET_API_VERSION", buf);

	vm = ioctl(kvm, KVM_CREATE_VM, KVM_VM_PPC_PR);
	fact(vm >= 0, "KVM_CREATE_VM type KVM_VM_PPC_PR", vm < 0 ? strerror(errno) : NULL);
	if (vm < 0)
		return 1;

	for (i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		int r = ioctl(vm, KVM_CHECK_EXTENSION, caps[i].cap);

		snprintf(buf, sizeof(buf), "%d", r);
		fact(r > 0, caps[i].name, buf);
	}

	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	fact(vcpu >= 0, "KVM_CREATE_VCPU 0", vcpu < 0 ? strerror(errno) : NULL);

	if (vcpu >= 0)
		close(vcpu);
	close(vm);
	close(kvm);
	return failures ? 1 : 0;
}
