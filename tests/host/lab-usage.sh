# SPDX-License-Identifier: GPL-2.0-only
# Bad input to lab/run, lab/build and lab/deps: one error line naming
# what is wrong, and a non-zero exit.  Nothing here boots the lab.
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 1

expect_error "lab/run: unknown option" 2 "unknown option '--frobnicate'" lab/run --frobnicate -- true
expect_error "lab/run: missing COMMAND" 2 "no COMMAND" lab/run --timeout 5 --
expect_error "lab/run: option without value" 2 "needs a value" lab/run --timeout
expect_error "lab/run: bad --timeout" 2 "--timeout wants a whole number" lab/run --timeout 3x -- true
expect_error "lab/run: zero --smp" 2 "--smp wants a whole number" lab/run --smp 0 -- true
expect_error "lab/run: bad --env" 2 "--env wants NAME=VALUE" lab/run --env 1=2 -- true
expect_error "lab/run: bad --clock" 2 "--clock wants icount or host" lab/run --clock tsc -- true
expect_error "lab/run: --build not a directory" 2 "not a directory" \
	lab/run --build "$T_TMP/nope" -- true
expect_error "lab/run: no qemu" 125 "qemu-system-nope not found.*make deps" \
	env PVEXIT_QEMU=qemu-system-nope lab/run -- true
expect_error "lab/run: lab not built" 125 "no lab in .*make lab" \
	env PVEXIT_LAB_DIR="$T_TMP/empty-lab" lab/run -- true
expect_error "lab/build: unknown part" 2 "unknown part 'kernal'" lab/build kernal
expect_error "lab/build: verify without a lab" 1 "no lab in" \
	env PVEXIT_LAB_DIR="$T_TMP/empty-lab2" lab/build verify
expect_error "lab/deps: unknown option" 2 "unknown option" lab/deps --yes

# Root is required to install; checked as an unprivileged user.
if [ "$(id -u)" -ne 0 ]; then
	expect_error "lab/deps: not root" 1 "root is required" lab/deps
elif command -v setpriv >/dev/null; then
	expect_error "lab/deps: not root" 1 "root is required" \
		setpriv --reuid=65534 --regid=65534 --clear-groups lab/deps
else
	skip "lab/deps: not root" "running as root and setpriv (util-linux) is missing"
fi

run lab/run --help
if [ "$status" -eq 0 ] && grep -q -- '--timeout SEC' "$T_TMP/out" && grep -q -- '--out HOSTDIR' "$T_TMP/out"; then
	pass "lab/run: --help names its options"
else
	fail "lab/run: --help names its options" "status $status: $(head -c 200 "$T_TMP/out")"
fi

# pvexit's own bad input; none of these reaches the lab.
if [ -x build/host/bin/pvexit ]; then
	expect_error "pvexit: unknown command" 2 "unknown command 'frob'" build/host/bin/pvexit frob
	expect_error "pvexit run: unknown class" 2 "unknown class 'mfmsx'" \
		build/host/bin/pvexit run --class mfmsx
	expect_error "pvexit run: bad --endian" 2 "--endian wants be, le or both" \
		build/host/bin/pvexit run --endian middle
	expect_error "pvexit run: bad --iterations" 2 "--iterations wants a whole number" \
		build/host/bin/pvexit run --iterations 12x
	expect_error "pvexit run: bad --guest-arg" 2 "--guest-arg wants KEY=VALUE" \
		build/host/bin/pvexit run --guest-arg novalue
	expect_error "pvexit run: --lab and --no-lab" 2 "--lab and --no-lab: choose one" \
		build/host/bin/pvexit run --lab --no-lab
	expect_error "pvexit run: --no-bpf and --bpf-counts" 2 "--no-bpf and --bpf-counts: choose one" \
		build/host/bin/pvexit run --no-bpf --bpf-counts
	if [ "$(uname -m)" != ppc64le ]; then
		expect_error "pvexit run: --no-lab refuses the lab, saying why" 2 \
			"no KVM PR on this machine \(this machine is no PowerPC.*--no-lab" \
			build/host/bin/pvexit run --no-lab
	fi
else
	fail "pvexit: usage tests" "build/host/bin/pvexit is not built: run 'make build'"
fi
if [ -x build/host/bin/pvexit ]; then
	expect_error "pvexit run: --guest-arg cannot shadow --class" 2 "sets that key itself" \
		build/host/bin/pvexit run --guest-arg class=mfmsr
fi
