# SPDX-License-Identifier: GPL-2.0-only
# The lab is a KVM PR host: boots, /dev/kvm, KVM_CREATE_VM(KVM_VM_PPC_PR),
# the tracepoints and BTF that the collectors need.  The checks run
# inside (tests/lab/in-basics.sh); each of their lines is one result here.
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 1

if ! lab_built; then
	skip "lab: boots and runs the in-lab checks" "no lab: run 'make lab'"
	exit 0
fi
if [ ! -x build/ppc64le/tests/kvm_create_vm ] || [ ! -f build/ppc64le/tests/in-basics.sh ]; then
	fail "lab: boots and runs the in-lab checks" "build/ppc64le/tests is not built: run 'make build'"
	exit 0
fi

run lab/run --timeout 120 -- sh /pvexit/tests/in-basics.sh
if ! check_status "lab: boots and runs the in-lab checks" 0; then
	# Relay what did run, so the failure says which fact broke.
	:
else
	pass "lab: boots and runs the in-lab checks"
fi
n=$(relay_results "$T_TMP/out")
# Ten facts are checked inside; fewer lines means the script broke.
[ "$n" -eq 10 ] || fail "lab: in-lab checks all reported" "got $n of 10 results"
