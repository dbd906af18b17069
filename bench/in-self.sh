# SPDX-License-Identifier: GPL-2.0-only
# make bench-self, the part inside the lab (busybox sh): the same trapping
# mfmsr run under each collector, and the traces the host decodes.
# Runs in /out; writes NAME.json (pvexit run results) and NAME.txt
# (what each said), t.dat (trace-cmd, at least 2 million events) and
# perf.data.  floor is not a collector: empty BPF programs where the BPF
# collector attaches.
set -u
n=${SELF_ITERATIONS:-20000}
reps=${SELF_REPS:-3}
args="--no-lab --class mfmsr --endian le --bits 64 -n $n -f 64000 --reps $reps --no-progress"
say() { echo "bench-self (lab): $*" >&2; }
status=0
step() {
	name=$1
	shift
	say "$name"
	"$@" >"$name.txt" 2>&1 || {
		say "$name failed: $(tail -n 1 "$name.txt")"
		status=1
	}
}
# shellcheck disable=SC2086 # $args is a word list on purpose
{
	step none pvexit run $args --no-bpf -o none.json
	step bpf pvexit run $args -o bpf.json
	step bpfcounts pvexit run $args --bpf-counts -o bpfcounts.json
	# The floor under any collector on those three tracepoints: the same
	# run with three empty programs attached there (bench/floor.bpf.c).
	step floor pvexit-bpf-floor -- pvexit run $args --no-bpf -o floor.json
	step tracefs pvexit trace record -b 65536 -o tracefs.pvtrace -- \
		pvexit run $args --no-bpf -o tracefs.json
	step perf perf record -q -e kvm_pr:kvm_exit -a -o perf.data -- \
		pvexit run $args --no-bpf -o perf.json
	# perf record of exactly what the BPF collector attaches to.
	step perf3 perf record -q -e kvm_pr:kvm_exit -e kvm:kvm_ppc_instr \
		-e kvm_pr:kvm_book3s_reenter -a -o perf3.data -- \
		pvexit run $args --no-bpf -o perf3.json
	step perfstat perf stat -e kvm_pr:kvm_exit -a -o perfstat.txt -- \
		pvexit run $args --no-bpf -o perfstat.json
	# Decoding is timed on a trace big enough that a file's fixed costs
	# do not hide the throughput: three events per trapping mfmsr.
	step tracecmd trace-cmd record -q -b 131072 -e kvm_pr:kvm_exit -e kvm:kvm_ppc_instr \
		-e kvm_pr:kvm_book3s_reenter -o t.dat pvexit run --no-lab --class mfmsr \
		--endian le --bits 64 -n ${SELF_DECODE_ITERATIONS:-700000} -f 64000 --no-progress \
		--no-bpf -o tracecmd.json
}
exit $status
