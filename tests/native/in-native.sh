#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Runs inside the lab's host image (started by tests/native/native.sh), as
# a user on a POWER host would: clone, make deps, make build, make install,
# then pvexit from PATH outside the source tree, and the unit tests.
# Prints "PASS name" / "FAIL name: why" and "TIME step seconds"; the
# results file is /out/native.json, its report /out/native-report.txt.
set -u
ok() { echo "PASS native: $1"; }
no() { echo "FAIL native: $1: $2"; }
# step NAME CMD...: run CMD with its output in a log; the log's last line
# is the reason when it fails.
step() {
	local name=$1 start=$SECONDS
	shift
	if "$@" >"$logs/$name.log" 2>&1; then
		echo "TIME $name $((SECONDS - start))"
		return 0
	fi
	no "$name" "$(grep -m1 -E 'error|Error' "$logs/$name.log" || tail -n 1 "$logs/$name.log")"
	return 1
}

logs=/out/logs
mkdir -p "$logs"
work=$(mktemp -d /var/tmp/pvexit.XXXXXX) || {
	no "a work directory" "mktemp failed"
	exit 0
}
echo "INFO $(uname -m) $(uname -r), $(nproc) CPUs, $(. /etc/os-release && echo "$PRETTY_NAME")"

step clone git clone -q /src "$work/pvexit" || exit 0
ok "git clone of the shared checkout"
cd "$work/pvexit" || exit 0

# Every package a PowerPC host needs is in the image, so make deps must
# find them all and install nothing.
if step deps make deps; then
	if grep -q 'packages (base) are installed' "$logs/deps.log" && ! grep -q installing "$logs/deps.log"; then
		ok "make deps finds everything installed"
	else
		no "make deps finds everything installed" "$(tr '\n' ' ' <"$logs/deps.log")"
	fi
fi

step build make -j"$(nproc)" build || exit 0
ok "make build, natively, with no lab"
kind=$(build/host/bin/pvexit --version 2>&1)
case "$kind" in
*native*powerpc64le*) ok "pvexit --version: a native ppc64le build ($kind)" ;;
*) no "pvexit --version: a native ppc64le build" "got '$kind'" ;;
esac

step install make install PREFIX=/usr/local || exit 0
ok "make install PREFIX=/usr/local"

# From PATH, outside the source tree, as a user would.
cd / || exit 0
case "$(command -v pvexit)" in
/usr/local/bin/pvexit) ok "pvexit on PATH is the installed one" ;;
*) no "pvexit on PATH is the installed one" "command -v pvexit: '$(command -v pvexit)'" ;;
esac
if step run pvexit run --class mfmsr,mtmsr --reps 3 -o /out/native.json; then
	ok "pvexit run --class mfmsr,mtmsr --reps 3 (installed, outside the tree)"
fi
if step report pvexit report /out/native.json; then
	cp "$logs/report.log" /out/native-report.txt
	ok "pvexit report of the native results"
fi

cd "$work/pvexit" || exit 0
# Without sanitizers: under TCG, ASan's second build of every file would
# double the longest step; the sanitized run is make check's, on x86.
if step unit-build make -j"$(nproc)" unit UNIT_SAN=0; then
	if step unit env PVEXIT_UNIT_DIR=build/host/unit tests/run tests/host/unit.sh; then
		ok "unit tests, native ppc64le ($(tail -n 1 "$logs/unit.log"))"
	else
		no "unit tests, native ppc64le" "$(grep -m3 'FAIL' "$logs/unit.log" | tr '\n' ' ')"
	fi
fi

# A host that cannot run KVM PR gets one line with the fix, exit 2, and
# never the lab: first as a user who may not open /dev/kvm, then (last,
# since the module cannot come back: it is not in the image) without
# kvm-pr.
# advice NAME PATTERN CMD...: CMD fails with status 2 and one stderr line
# matching PATTERN.
advice() {
	local name=$1 pattern=$2 out rc
	shift 2
	out=$("$@" 2>&1 >/dev/null)
	rc=$?
	if [ "$rc" -eq 2 ] && [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] &&
		printf '%s\n' "$out" | grep -qE -- "$pattern"; then
		ok "$name"
	else
		no "$name" "status $rc: $(printf '%s' "$out" | tr '\n' '|')"
	fi
}
cd /tmp || exit 0
advice "pvexit run as a user who may not open /dev/kvm: one line, run as root" \
	"error: .*run as root" setpriv --reuid=65534 --regid=65534 --clear-groups \
	pvexit run --class mfmsr --reps 1 -o /tmp/user.json
# The image is a minimal system without kmod: glibc's delete_module()
# through python3 does what rmmod would (O_NONBLOCK, 04000).
if python3 -c 'import ctypes, sys; sys.exit(ctypes.CDLL(None).delete_module(b"kvm_pr", 0o4000) != 0)'; then
	advice "pvexit run without kvm-pr: one line, modprobe kvm-pr" \
		"error: .*modprobe kvm-pr" pvexit run --class mfmsr --reps 1 -o /tmp/nopr.json
else
	no "pvexit run without kvm-pr" "cannot unload kvm_pr"
fi
