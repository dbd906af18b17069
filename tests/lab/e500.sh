# SPDX-License-Identifier: GPL-2.0-only
# The e500v2 lab (lab/run --host e500): options it refuses, the result
# frame checked with a stand-in for QEMU, then, if the lab is built, a
# real boot running a static ppc32 probe (tests/lab/e500_probe.c): its
# stdout, stderr, exit status and /out come back, a missing command is
# 127, a hang is 124 and a kernel panic 126.
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 1

# --- bad usage: nothing boots -------------------------------------------------

expect_error "lab/run --host e500: --smp 2 refused" 2 "--smp: the e500 lab has one CPU" \
	lab/run --host e500 --smp 2 -- true
expect_error "lab/run --host e500: --image refused" 2 "--image is for the book3s lab" \
	lab/run --host e500 --image host -- true
expect_error "lab/run --host e500: --src refused" 2 "--src is for the book3s host image" \
	lab/run --host e500 --src . -- true
expect_error "lab/run --host e500: --mem over 768 refused" 2 "--mem: .*at most 768 MiB" \
	lab/run --host e500 --mem 1024 -- true
expect_error "lab/run: unknown --host" 2 "--host wants book3s or e500, not 'ppc'" \
	lab/run --host ppc -- true
mkdir -p "$T_TMP/big"
truncate -s 65M "$T_TMP/big/blob"
expect_error "lab/run --host e500: --build over 64 MiB refused" 2 "holds 65 MiB; the e500 lab takes at most 64 MiB" \
	env PVEXIT_E500_DIR="$T_TMP/no-e500" PVEXIT_QEMU=true lab/run --host e500 --build "$T_TMP/big" -- true
expect_error "lab/run --host e500: not built" 125 "no e500 lab in .*run 'lab/e500/build' \(or 'make lab-e500'\)" \
	env PVEXIT_E500_DIR="$T_TMP/no-e500" PVEXIT_QEMU=true lab/run --host e500 -- true
expect_error "lab/run --host e500: no QEMU" 125 "qemu-system-nope not found" \
	env PVEXIT_QEMU=qemu-system-nope lab/run --host e500 -- true
expect_error "lab/e500/build: unknown part" 2 "unknown part 'kernal'" lab/e500/build kernal
expect_error "lab/e500/build: verify without a lab" 1 "no e500 lab in .*lab/e500/build" \
	env PVEXIT_E500_DIR="$T_TMP/no-e500-2" lab/e500/build verify

# --- the result frame, with a stand-in for QEMU ------------------------------

# The stand-in writes the console and the second UART's file as
# lab/e500/init.c would, spoiled as FAKE_MODE says; lab/run needs only a
# cache that names a kernel and an initramfs.
fake_cache=$T_TMP/fake-e500
mkdir -p "$fake_cache/kernel-x" "$fake_cache/initramfs-x"
: >"$fake_cache/kernel-x/vmlinux"
: >"$fake_cache/initramfs-x/initramfs.cpio.gz"
printf 'E500_KERNEL=kernel-x\nE500_INITRAMFS=initramfs-x\n' >"$fake_cache/e500.env"
fake=$T_TMP/fake-qemu
cat >"$fake" <<'FAKE'
#!/bin/bash
for a; do
	case $a in
	file,id=con,path=*) con=${a#*path=} ;;
	file,id=res,path=*) res=${a#*path=} ;;
	esac
done
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
mkdir "$w/out"
printf '7\n' >"$w/status"
printf 'to stdout\n' >"$w/stdout"
printf 'to stderr\n' >"$w/stderr"
printf 'from /out\n' >"$w/out/made.txt"
names='status\nstdout\nstderr\nout\nout/made.txt\n'
[ "$FAKE_MODE" = climb ] && names="$names"'out/../status\n'
(cd "$w" && printf "$names" | cpio --quiet -o -H newc) >"$w/a.cpio"
len=$(stat -c %s "$w/a.cpio")
sum=$(sha256sum "$w/a.cpio" | cut -d' ' -f1)
printf 'pvexit-lab: start 0.05\npvexit-lab: exit 7\n' >"$con"
case $FAKE_MODE in
none) exit 0 ;;
panic) printf 'Kernel panic - not syncing: Attempted to kill init! exitcode=0x0000000b\n' >>"$con" ;;
badsum) sum=$(printf '%s' "$sum" | tr 0-9a-f 1-9a-f0) ;;
esac
{
	printf 'pvexit-lab-result 1 %s %s\n' "$len" "$sum"
	cat "$w/a.cpio"
	[ "$FAKE_MODE" = noend ] || printf 'pvexit-lab-end\n'
} >"$res"
[ "$FAKE_MODE" != short ] || truncate -s 200 "$res"
FAKE
chmod +x "$fake"
fake_run() {
	FAKE_MODE=$1
	shift
	run env FAKE_MODE="$FAKE_MODE" PVEXIT_E500_DIR="$fake_cache" PVEXIT_QEMU="$fake" lab/run --host e500 "$@"
}
if ! command -v cpio >/dev/null; then
	skip "lab/run --host e500: the result frame" "cpio is not installed (make deps)"
else
	name="lab/run --host e500: a good frame gives stdout, stderr, status and /out"
	fake_run good --out "$T_TMP/fake-out" -- x
	if check_status "$name" 7; then
		if [ "$(cat "$T_TMP/out")" != "to stdout" ] || [ "$(cat "$T_TMP/err")" != "to stderr" ]; then
			fail "$name" "stdout '$(cat "$T_TMP/out")', stderr '$(cat "$T_TMP/err")'"
		elif [ "$(cat "$T_TMP/fake-out/made.txt" 2>/dev/null)" != "from /out" ]; then
			fail "$name" "made.txt did not come back: $(ls -A "$T_TMP/fake-out" | tr '\n' ' ')"
		elif [ "$(ls -A "$T_TMP/fake-out")" != made.txt ]; then
			fail "$name" "--out holds more: $(ls -A "$T_TMP/fake-out" | tr '\n' ' ')"
		else
			pass "$name"
		fi
	fi
	for c in "badsum:sha256 does not match" "short:cut short" \
		"noend:does not end with its end line" "climb:unexpected name: out/\.\./status"; do
		fake_run "${c%%:*}" -- x
		check_error "lab/run --host e500: a frame with ${c%%:*} is a lab failure" 125 \
			"the e500 lab stopped without a good result: .*${c#*:}"
	done
	# With nothing on the second UART, the console may say why.
	name="lab/run --host e500: no frame at all is a lab failure, with the console"
	fake_run none -- x
	if check_status "$name" 125; then
		grep -q '^lab/run: error: the e500 lab stopped without a good result: no result came back' "$T_TMP/err" &&
			grep -q 'last console lines' "$T_TMP/err" && pass "$name" ||
			fail "$name" "$(tr '\n' '|' <"$T_TMP/err")"
	fi
	fake_run panic -- x
	check_status "lab/run --host e500: a panic on the console is 126" 126 &&
		if grep -q 'error: the lab kernel crashed: Kernel panic - not syncing' "$T_TMP/err"; then
			pass "lab/run --host e500: a panic on the console is 126"
		else
			fail "lab/run --host e500: a panic on the console is 126" "$(head -n 1 "$T_TMP/err")"
		fi
fi

# --- the real lab ---------------------------------------------------------------

E500=$(lab/e500/build dir)
cc=powerpc-linux-gnu-gcc
if [ ! -f "$E500/e500.env" ]; then
	skip "e500 lab: boots and runs a static probe" "no e500 lab in $E500: run 'make lab-e500'"
	exit 0
fi
if ! command -v qemu-system-ppc >/dev/null; then
	skip "e500 lab: boots and runs a static probe" "qemu-system-ppc is not installed (make deps)"
	exit 0
fi
if ! command -v "$cc" >/dev/null || [ ! -f /usr/powerpc-linux-gnu/lib/libc.a ]; then
	skip "e500 lab: boots and runs a static probe" "$cc or its static libc is not installed (make deps)"
	exit 0
fi
B=$T_TMP/e500-build
mkdir -p "$B/bin"
if ! "$cc" -std=gnu11 -O2 -Wall -Wextra -Werror -static -o "$B/bin/e500_probe" \
	tests/lab/e500_probe.c 2>"$T_TMP/cc.err"; then
	fail "e500 lab: the probe builds" "$(head -n 3 "$T_TMP/cc.err" | tr '\n' '|')"
	exit 0
fi

O=$T_TMP/e500-out
start=$SECONDS
run lab/run --host e500 --build "$B" --out "$O" -e 'PROBE_VAR=a b' -- e500_probe probe "it's" '$HOME' ''
took=$((SECONDS - start))
# has LINE: stdout holds that exact line.
has() {
	grep -qxF -- "$1" "$T_TMP/out"
}
name="e500 lab: boots, runs the probe, and its exit status (3) comes back"
check_status "$name" 3 && pass "$name ($took s)"
name="e500 lab: /dev/kvm is there (KVM_GET_API_VERSION 12)"
has "kvm: present api 12" && pass "$name" || fail "$name" "$(grep '^kvm:' "$T_TMP/out")"
name="e500 lab: tracefs and debugfs are mounted, with KVM's events and files"
has "tracefs: kvm events" && has "debugfs: kvm" && pass "$name" ||
	fail "$name" "$(grep -E '^(tracefs|debugfs):' "$T_TMP/out" | tr '\n' ' ')"
name="e500 lab: cwd /out, stdin empty, the environment and every argument as given"
if has "cwd: /out" && has "stdin: empty" && has "PVEXIT_LAB=1" && has "PVEXIT_LAB_HOST=e500" &&
	has "PVEXIT_LAB_CLOCK=icount" && has "PROBE_VAR=a b" && has "arg: it's" && has 'arg: $HOME' &&
	has "arg: " && grep -q '^PATH=/pvexit/bin:' "$T_TMP/out"; then
	pass "$name"
else
	fail "$name" "$(tr '\n' '|' <"$T_TMP/out")"
fi
name="e500 lab: stderr comes back apart from stdout"
[ "$(cat "$T_TMP/err")" = "e500_probe: a line on stderr" ] && ! grep -q stderr "$T_TMP/out" &&
	pass "$name" || fail "$name" "stderr: $(tr '\n' '|' <"$T_TMP/err")"
name="e500 lab: /out comes back: a file, a link, 256 KiB of every byte value"
block=$T_TMP/block
for i in {0..255}; do
	printf "\\$(printf %03o "$i")"
done >"$block"
for _ in {1..1024}; do
	cat "$block"
done >"$T_TMP/pattern"
if [ "$(cat "$O/probe/hello.txt" 2>/dev/null)" != "hello from e500" ]; then
	fail "$name" "probe/hello.txt missing or wrong"
elif [ "$(readlink "$O/probe/link")" != hello.txt ]; then
	fail "$name" "probe/link is not a link to hello.txt"
elif ! cmp -s "$O/probe/pattern.bin" "$T_TMP/pattern"; then
	fail "$name" "probe/pattern.bin differs: $(cmp "$O/probe/pattern.bin" "$T_TMP/pattern" 2>&1 | head -n 1)"
elif [ -n "$(find "$O" -maxdepth 1 -name '.pvexit-lab.*')" ]; then
	fail "$name" "a temporary directory was left in --out"
else
	pass "$name"
fi

name="e500 lab: --clock host reaches COMMAND"
run lab/run --host e500 --clock host --build "$B" -- e500_probe probe
check_status "$name" 3 && { has "PVEXIT_LAB_CLOCK=host" && pass "$name" || fail "$name" "$(grep CLOCK "$T_TMP/out")"; }

name="e500 lab: a command that does not exist exits 127 with one line"
run lab/run --host e500 --build "$B" -- no-such-command
if check_status "$name" 127; then
	if [ "$(wc -l <"$T_TMP/err")" -ne 1 ] || ! grep -q 'no-such-command: command not found' "$T_TMP/err"; then
		fail "$name" "stderr: $(tr '\n' '|' <"$T_TMP/err")"
	elif [ -s "$T_TMP/out" ]; then
		fail "$name" "stdout: $(head -c 200 "$T_TMP/out")"
	else
		pass "$name"
	fi
fi

name="e500 lab: a hang is killed at --timeout (124)"
start=$SECONDS
run lab/run --host e500 --build "$B" --timeout 6 -- e500_probe sleep
took=$((SECONDS - start))
if check_status "$name" 124; then
	if ! grep -q 'error: timeout: COMMAND .* did not finish within 6 s' "$T_TMP/err"; then
		fail "$name" "no timeout message: $(head -n 2 "$T_TMP/err" | tr '\n' '|')"
	elif [ "$took" -gt 30 ]; then
		fail "$name" "took $took s for a 6 s timeout"
	else
		pass "$name"
	fi
fi

# The kernel has no sysrq: the probe makes PID 1 fault, and the kernel
# panics because init died.
name="e500 lab: a kernel panic is 126"
run lab/run --host e500 --build "$B" -- e500_probe panic
if check_status "$name" 126; then
	if grep -q 'error: the lab kernel crashed: Kernel panic - not syncing: Attempted to kill init' "$T_TMP/err"; then
		pass "$name"
	else
		fail "$name" "no crash message: $(head -n 1 "$T_TMP/err")"
	fi
fi

name="e500 lab: an oops on the console is 126 even when COMMAND succeeds"
run lab/run --host e500 --build "$B" -- e500_probe oops-line
if check_status "$name" 126; then
	grep -q 'error: the lab kernel crashed: .*Oops: Kernel access' "$T_TMP/err" && pass "$name" ||
		fail "$name" "no crash message: $(head -n 1 "$T_TMP/err")"
fi
