# SPDX-License-Identifier: GPL-2.0-only
# pvexit run handing its files to the lab, with a stand-in for lab/run:
# the suite and payloads go in through a directory of its own (0700,
# files 0600) under a name nobody can guess, nothing of it is left
# afterwards, and lab/run's exit status is pvexit run's.
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 1

PVEXIT=${PVEXIT:-$T_ROOT/build/host/bin/pvexit}
need_pvexit "run in the lab: tests" || exit 0
case "$(uname -m)" in
ppc64*)
	skip "run in the lab: tests" "a PowerPC host may have KVM PR: the lab stand-in would not be used"
	exit 0
	;;
esac

# The stand-in maps /out to its --out and says what it was handed.
FAKE=$T_TMP/fake-lab-run
export REPORT=$T_TMP/report
cat >"$FAKE" <<'LAB'
#!/bin/bash
out='' suite='' pl=''
while [ $# -gt 0 ]; do
	case $1 in
	--out) out=$2 && shift ;;
	--suite) suite=$2 && shift ;;
	--payload-dir) pl=$2 && shift ;;
	esac
	shift
done
host() { printf '%s/%s' "$out" "${1#/out/}"; }
{
	if [ -n "$suite" ]; then
		s=$(host "$suite")
		echo "stage $(basename "$(dirname "$s")") $(stat -c %a "$(dirname "$s")")"
		echo "suite $(stat -c %a "$s") $(cmp -s "$s" "$SUITE_SRC" && echo same)"
	fi
	if [ -n "$pl" ]; then
		p=$(host "$pl")
		echo "stage $(basename "$p") $(stat -c %a "$p")"
		for f in "$p"/payload-*.elf; do
			echo "payload $(basename "$f") $(stat -c %a "$f") $(cmp -s "$f" "$PL_SRC/$(basename "$f")" && echo same)"
		done
	fi
} >"$REPORT"
exit "${FAKE_STATUS:-0}"
LAB
chmod +x "$FAKE"

export SUITE_SRC=$T_TMP/my.suite PL_SRC=$T_TMP/payloads
cp bench/default.suite "$SUITE_SRC"
mkdir -p "$PL_SRC" "$T_TMP/o1" "$T_TMP/o2" "$T_TMP/tmp"
# The smallest images the launcher's loader takes: one executable
# PT_LOAD segment holding the entry point.  mkelf OUT be|le 64|32 [PAD].
cat >"$T_TMP/mkelf.py" <<'EOF'
import struct, sys
out, order, bits = sys.argv[1], sys.argv[2], int(sys.argv[3])
pad = int(sys.argv[4]) if len(sys.argv) > 4 else 0
e = ">" if order == "be" else "<"
code = b"\x60\x00\x00\x00" * 4 + b"\0" * pad  # nops
base = 0x10000
if bits == 64:
    ident = b"\x7fELF" + bytes([2, 1 if order == "le" else 2, 1]) + b"\0" * 9
    off = 64 + 56
    eh = ident + struct.pack(e + "HHIQQQIHHHHHH", 2, 21, 1, base, 64, 0, 2, 64, 56, 1, 64, 0, 0)
    ph = struct.pack(e + "IIQQQQQQ", 1, 5, off, base, base, len(code), len(code), 4)
else:
    ident = b"\x7fELF" + bytes([1, 2, 1]) + b"\0" * 9
    off = 52 + 32
    eh = ident + struct.pack(e + "HHIIIIIHHHHHH", 2, 20, 1, base, 52, 0, 0, 52, 32, 1, 40, 0, 0)
    ph = struct.pack(e + "IIIIIIII", 1, off, base, base, len(code), len(code), 5, 4)
open(out, "wb").write(eh + ph + code)
EOF
mkelf() {
	python3 "$T_TMP/mkelf.py" "$@"
}
if ! have_python; then
	skip "run in the lab: tests" "python3 is not installed (it makes the payloads handed in)"
	exit 0
fi
mkelf "$PL_SRC/payload-be.elf" be 64
mkelf "$PL_SRC/payload-le.elf" le 64

# lab STATUS ARGS...: pvexit run ARGS, the stand-in exiting STATUS.
lab() {
	local st=$1
	shift
	rm -f "$REPORT"
	run env PVEXIT_LAB_RUN="$FAKE" FAKE_STATUS="$st" TMPDIR="$T_TMP/tmp" "$PVEXIT" run "$@"
}

name="run in the lab: suite and payloads in a private directory"
lab 7 --suite "$SUITE_SRC" --payload-dir "$PL_SRC" -o "$T_TMP/o1/r.json"
want="stage STAGE 700
suite 600 same
stage STAGE 700
payload payload-be.elf 600 same
payload payload-le.elf 600 same"
got=$(sed -E 's/^stage \.pvexit-lab-[A-Za-z0-9]{6} /stage STAGE /' "$REPORT" 2>/dev/null)
if [ "$status" -ne 7 ]; then
	fail "$name" "status $status, want lab/run's 7: $(tail -n 1 "$T_TMP/err")"
elif [ "$got" != "$want" ]; then
	fail "$name" "lab/run was handed: $(tr '\n' '|' <"$REPORT" 2>/dev/null)"
elif [ -n "$(ls -A "$T_TMP/o1")" ]; then
	fail "$name" "left behind: $(ls -A "$T_TMP/o1")"
else
	pass "$name"
fi
stage1=$(sed -n '1s/^stage \([^ ]*\) .*/\1/p' "$REPORT" 2>/dev/null)

name="run in the lab: a new name each time"
lab 0 --suite "$SUITE_SRC" -o "$T_TMP/o1/r.json"
stage2=$(sed -n '1s/^stage \([^ ]*\) .*/\1/p' "$REPORT" 2>/dev/null)
if [ "$status" -ne 0 ] || [ -z "$stage1" ] || [ -z "$stage2" ] || [ "$stage1" = "$stage2" ]; then
	fail "$name" "status $status, names '$stage1' and '$stage2'"
else
	pass "$name"
fi

name="run in the lab: without -o, a temporary --out, removed after"
lab 0 --suite "$SUITE_SRC"
if [ "$status" -ne 0 ] || ! grep -q '^suite 600 same$' "$REPORT" 2>/dev/null; then
	fail "$name" "status $status: $(tr '\n' '|' <"$REPORT" 2>/dev/null) $(tail -n 1 "$T_TMP/err")"
elif [ -n "$(ls -A "$T_TMP/tmp")" ]; then
	fail "$name" "left in TMPDIR: $(ls -A "$T_TMP/tmp")"
else
	pass "$name"
fi

# bad_payloads NAME DIR PATTERN: handing DIR in fails at once with
# PATTERN, before lab/run starts, leaving nothing in the output directory.
bad_payloads() {
	local name=$1 dir=$2 pattern=$3
	rm -f "$REPORT"
	run timeout 60 env PVEXIT_LAB_RUN="$FAKE" TMPDIR="$T_TMP/tmp" "$PVEXIT" run \
		--payload-dir "$dir" -o "$T_TMP/o2/r.json"
	if ! check_error "$name" 2 "cannot hand the payloads of .* to the lab: $pattern"; then
		:
	elif [ -e "$REPORT" ] || [ -n "$(ls -A "$T_TMP/o2")" ]; then
		fail "$name: the lab not started, nothing left" "$(ls -A "$T_TMP/o2")"
	else
		pass "$name: the lab not started, nothing left"
	fi
}

mkdir -p "$T_TMP/empty"
bad_payloads "run in the lab: no payloads to copy" "$T_TMP/empty" \
	".*/empty: no payload-be.elf, payload-le.elf or payload-be32.elf"

# Each payload is checked with the launcher's loader before the lab boots.
mkdir -p "$T_TMP/notelf" && cp "$PL_SRC/payload-le.elf" "$T_TMP/notelf/"
printf 'be image\n' >"$T_TMP/notelf/payload-be.elf"
bad_payloads "run in the lab: a payload that is no ELF" "$T_TMP/notelf" \
	".*/notelf/payload-be\.elf: .*"
mkdir -p "$T_TMP/swapped"
mkelf "$T_TMP/swapped/payload-be.elf" le 64
bad_payloads "run in the lab: a little-endian image as payload-be.elf" "$T_TMP/swapped" \
	".*/swapped/payload-be\.elf: a 64-bit little-endian image, where payload-be\.elf must be 64-bit big-endian"
mkdir -p "$T_TMP/be32"
mkelf "$T_TMP/be32/payload-be32.elf" be 32
lab 0 --payload-dir "$T_TMP/be32" -o "$T_TMP/o1/r.json"
if [ "$status" -eq 0 ] && grep -q '^payload payload-be32.elf 600 ' "$REPORT" 2>/dev/null; then
	pass "run in the lab: a 32-bit payload checked and handed in"
else
	fail "run in the lab: a 32-bit payload checked and handed in" \
		"status $status: $(tr '\n' '|' <"$T_TMP/err")"
fi

# Sources without an end: refused at once, never copied until the disk
# is full.
mkdir -p "$T_TMP/zero" "$T_TMP/fifo"
ln -s /dev/zero "$T_TMP/zero/payload-be.elf"
bad_payloads "run in the lab: /dev/zero as a payload" "$T_TMP/zero" \
	".*/zero/payload-be\.elf is not a regular file \(a character device\)"
mkfifo "$T_TMP/fifo/payload-le.elf"
bad_payloads "run in the lab: a FIFO as a payload" "$T_TMP/fifo" \
	".*/fifo/payload-le\.elf is not a regular file \(a FIFO\)"

# A full disk: the write that fails is said, and nothing is left.
mkdir -p "$T_TMP/full" "$T_TMP/bigpl"
mkelf "$T_TMP/bigpl/payload-be.elf" be 64 200000
if mount -t tmpfs -o size=64k pvexit-run-lab-test "$T_TMP/full" 2>"$T_TMP/mount.err"; then
	trap 'umount "$T_TMP/full" 2>/dev/null; rm -rf "$T_TMP"' EXIT
	rm -f "$REPORT"
	run timeout 60 env PVEXIT_LAB_RUN="$FAKE" "$PVEXIT" run --payload-dir "$T_TMP/bigpl" \
		-o "$T_TMP/full/r.json"
	check_error "run in the lab: payloads onto a full disk" 2 \
		"cannot hand the payloads of .* to the lab: cannot write .*/full/\.pvexit-lab-.*/payload-be\.elf: (No space left on device|short write)"
	if [ -e "$REPORT" ] || [ -n "$(ls -A "$T_TMP/full")" ]; then
		fail "run in the lab: payloads onto a full disk: nothing left" "$(ls -A "$T_TMP/full")"
	else
		pass "run in the lab: payloads onto a full disk: nothing left"
	fi
	umount "$T_TMP/full"
else
	skip "run in the lab: payloads onto a full disk" \
		"cannot mount a 64 KiB tmpfs: $(head -c 200 "$T_TMP/mount.err")"
fi

# A signal to pvexit alone while lab/run runs: passed on, waited for,
# nothing left.
cat >"$T_TMP/slow-lab-run" <<'LAB'
#!/bin/bash
trap 'exit 130' TERM
sleep 30 &
: >"$READY"
wait
LAB
chmod +x "$T_TMP/slow-lab-run"
rm -f "$T_TMP/ready"
env READY="$T_TMP/ready" PVEXIT_LAB_RUN="$T_TMP/slow-lab-run" "$PVEXIT" run \
	--payload-dir "$PL_SRC" -o "$T_TMP/o2/r.json" >/dev/null 2>"$T_TMP/slow.err" &
pvexit_pid=$!
for _ in $(seq 100); do
	[ -e "$T_TMP/ready" ] && break
	sleep 0.1
done
kill -TERM "$pvexit_pid"
wait "$pvexit_pid"
status=$?
if [ "$status" -ne 130 ]; then
	fail "run in the lab: SIGTERM to pvexit alone" "status $status, want lab/run's 130"
elif [ -n "$(ls -A "$T_TMP/o2")" ]; then
	fail "run in the lab: SIGTERM to pvexit alone" "left behind: $(ls -A "$T_TMP/o2")"
else
	pass "run in the lab: SIGTERM to pvexit alone: passed on, nothing left"
fi

# A lab stopped while its pvexit wrote the results leaves that pvexit's
# temporaries in the output directory: removed once lab/run has ended,
# and no file of that pattern that was there before, nor any other.  The
# lab is handed this build's ppc64le pvexit and the output directory.
cat >"$T_TMP/stopped-lab-run" <<'LAB'
#!/bin/bash
out=''
for a; do
	case $prev in
	--out) out=$a ;;
	--build) echo "build $a" >>"$REPORT" ;;
	--env) echo "env $a" >>"$REPORT" ;;
	esac
	prev=$a
done
: >"$out/.r.json.AbC123"
: >"$out/.r.csv.xyz789"
: >"$out/.r.json.notours"
exit 125
LAB
chmod +x "$T_TMP/stopped-lab-run"
name="run in the lab: the results' temporaries of a stopped lab are removed, no other file"
mkdir -p "$T_TMP/o3"
: >"$T_TMP/o3/.r.json.OLD456"
rm -f "$REPORT"
run env PVEXIT_LAB_RUN="$T_TMP/stopped-lab-run" "$PVEXIT" run --no-progress -o "$T_TMP/o3/r.json"
left=$(cd "$T_TMP/o3" && echo .r*)
if [ "$status" -ne 125 ]; then
	fail "$name" "status $status, want lab/run's 125: $(tr '\n' '|' <"$T_TMP/err")"
elif [ "$left" != ".r.json.OLD456 .r.json.notours" ]; then
	fail "$name" "left: $left"
else
	pass "$name"
fi
name="run in the lab: lab/run gets this build's ppc64le pvexit and the output directory's name"
le=$(dirname "$PVEXIT")/../../ppc64le
if [ ! -x "$le/bin/pvexit" ]; then
	skip "$name" "no ppc64le build beside $PVEXIT"
elif [ "$(cat "$REPORT" 2>/dev/null)" != "build $le
env PVEXIT_LAB_OUT=$T_TMP/o3" ]; then
	fail "$name" "handed: $(tr '\n' '|' <"$REPORT" 2>/dev/null)"
else
	pass "$name"
fi

name="run in the lab: lab/run cannot be executed"
BAD=$T_TMP/bad-lab-run
printf '#!/nonexistent/interpreter\n' >"$BAD"
chmod +x "$BAD"
run env PVEXIT_LAB_RUN="$BAD" "$PVEXIT" run --suite "$SUITE_SRC" -o "$T_TMP/o2/r.json"
if [ "$status" -ne 127 ] || ! grep -q "error: cannot run $BAD: No such file or directory" "$T_TMP/err"; then
	fail "$name" "status $status: $(tr '\n' '|' <"$T_TMP/err")"
elif [ -n "$(ls -A "$T_TMP/o2")" ]; then
	fail "$name" "left behind: $(ls -A "$T_TMP/o2")"
else
	pass "$name"
fi
