#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Runs inside the lab (started by tests/lab/basics.sh): the facts every
# other part of pvexit relies on.  Prints "PASS name" / "FAIL name: why".
ok() { echo "PASS $1"; }
no() { echo "FAIL $1: $2"; }

[ -c /dev/kvm ] && ok "lab: /dev/kvm exists" || no "lab: /dev/kvm exists" "no character device /dev/kvm"

if out=$(/pvexit/tests/kvm_create_vm 2>&1); then
	ok "lab: KVM_CREATE_VM with KVM_VM_PPC_PR"
else
	no "lab: KVM_CREATE_VM with KVM_VM_PPC_PR" "$(echo "$out" | grep FAIL | tr '\n' ' ')"
fi

ev=/sys/kernel/tracing/events
for t in kvm_pr/kvm_exit kvm_pr/kvm_book3s_reenter kvm/kvm_ppc_instr; do
	[ -f $ev/$t/format ] && ok "lab: tracepoint $t" || no "lab: tracepoint $t" "no $ev/$t/format"
done

for b in vmlinux kvm kvm_pr; do
	[ -s /sys/kernel/btf/$b ] && ok "lab: BTF /sys/kernel/btf/$b" ||
		no "lab: BTF /sys/kernel/btf/$b" "missing or empty"
done

# The stats the launcher reads per phase live in debugfs too.
[ -d /sys/kernel/debug/kvm ] && ok "lab: debugfs kvm directory" ||
	no "lab: debugfs kvm directory" "no /sys/kernel/debug/kvm"

grep -q 'MMU.*Hash' /proc/cpuinfo && ok "lab: hash MMU (KVM PR needs it)" ||
	no "lab: hash MMU (KVM PR needs it)" "$(grep MMU /proc/cpuinfo)"
