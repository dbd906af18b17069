/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Why a PowerPC host cannot run a KVM PR guest, and what its owner does
 * about it, in one line: the facts are gathered once (kvm_pr_check) and
 * turned into words by a function of those facts alone, so that every
 * case can be tested on any machine.
 */
#ifndef PVEXIT_KVM_ADVICE_H
#define PVEXIT_KVM_ADVICE_H

#include <stdbool.h>
#include <stddef.h>

#include <linux/kvm.h>

/* KVM_CREATE_VM's type for a KVM PR VM; a non-PowerPC build's linux/kvm.h
 * lacks it (arch/powerpc/include/uapi/asm/kvm.h). */
#ifdef KVM_VM_PPC_PR
#define PVX_KVM_VM_PPC_PR KVM_VM_PPC_PR
#else
#define PVX_KVM_VM_PPC_PR 2
#endif

struct kvm_pr_facts {
	int open_errno; /* open("/dev/kvm"): 0 when it opened */
	int create_errno; /* KVM_CREATE_VM(KVM_VM_PPC_PR): 0 when it worked */
	bool kvm_pr_loaded; /* /sys/module/kvm_pr exists */
	bool radix; /* /proc/cpuinfo says "MMU : Radix" */
	bool powerpc; /* this machine is one */
	bool booke; /* its KVM is BookE (e500v2: KVM_CAP_PPC_BOOKE_SREGS) */
};

/**
 * kvm_pr_advice() - one line: what is missing and the fix.
 * Return: @out.
 */
const char *kvm_pr_advice(const struct kvm_pr_facts *f, char *out, size_t len);

/* Gather the facts of this machine.  Return: true if KVM PR works. */
bool kvm_pr_check(struct kvm_pr_facts *f);

/* The same for the e500 guest: true if this is a BookE KVM host whose
 * VMs can be made.  @why says what is missing otherwise. */
bool kvm_booke_check(struct kvm_pr_facts *f, char *why, size_t len);

#endif
