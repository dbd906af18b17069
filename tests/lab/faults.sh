# SPDX-License-Identifier: GPL-2.0-only
# Faults while pvexit run works through the lab (issue 15): QEMU killed
# with SIGKILL mid-run and while the results are written, the guest
# hanging, a full disk under the results, Ctrl-C while the lab boots,
# while the guest runs and while the results are written.  Each must
# exit non-zero with one error line, leave a valid results file or none
# (a file that was there before, untouched), no temporary file in the
# output directory or $TMPDIR, and no process of the run.
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 1

PVEXIT=${PVEXIT:-$T_ROOT/build/host/bin/pvexit}
LE_PVEXIT=$(dirname "$PVEXIT")/../../ppc64le/bin/pvexit
if ! lab_built; then
	skip "faults in the lab" "no lab: run 'make lab'"
	exit 0
fi
if [ ! -x "$PVEXIT" ] || [ ! -x "$LE_PVEXIT" ]; then
	fail "faults in the lab" "$PVEXIT or its ppc64le build is not built: run 'make build'"
	exit 0
fi
if ! have_python; then
	skip "faults in the lab" "python3 is not installed (it starts each run as a terminal's job and watches for the results' temporary files)"
	exit 0
fi

# Everything of ours and of lab/run's goes here, so that what is left
# can be seen.
export TMPDIR=$T_TMP/tmpdir
mkdir -p "$TMPDIR"
MNT=$T_TMP/full
trap 'umount "$MNT" 2>/dev/null; rm -rf "$T_TMP"' EXIT

# One class in one guest: a run takes a few seconds, most of it the boot.
SMALL=(--class mfmsr --endian le --bits 64 -n 640 -f 64000)
# The same as a suite, so that it is handed in through a staging
# directory of pvexit's in the output directory, which must go too.
printf 'suite faults\nrun classes=mfmsr guests=le iterations=640 fast-iterations=64000\n' >"$T_TMP/small.suite"

# start ARGS...: pvexit run --lab ARGS in the background, in a process
# group of its own with SIGINT at its default, as a terminal's
# foreground job; its pid (and group) in $pid.
start() {
	python3 -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.setpgid(0, 0)
os.execv(sys.argv[1], sys.argv[1:])' "$PVEXIT" run --lab "$@" \
		>"$T_TMP/out" 2>"$T_TMP/err" </dev/null &
	pid=$!
	until [ "$(ps -o pgid= -p "$pid" | tr -d ' ')" = "$pid" ]; do
		kill -0 "$pid" 2>/dev/null || return
		sleep 0.01
	done
}

descendants() {
	local c
	for c in $(ps -o pid= --ppid "$1" 2>/dev/null); do
		echo "$c"
		descendants "$c"
	done
}

# qemu_of: the QEMU of the run $pid, once it runs (30 s at most): $qemu.
qemu_of() {
	local d i
	qemu=
	for i in $(seq 300); do
		for d in $(descendants "$pid"); do
			case "$(ps -o comm= -p "$d")" in
			qemu-system-ppc*)
				qemu=$d
				return 0
				;;
			esac
		done
		kill -0 "$pid" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# until_seen FILE PATTERN: wait (60 s at most) until FILE has a line
# matching PATTERN while the run lives.
until_seen() {
	local i
	for i in $(seq 600); do
		grep -qE -- "$2" "$1" 2>/dev/null && return 0
		kill -0 "$pid" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# The emulated host's console, where lab/run keeps it ($TMPDIR).
console() {
	cat "$TMPDIR"/pvexit-lab.*/console 2>/dev/null | tr -d '\r'
}

# watch DIR PREFIX SIGNAL TARGET: arm a watcher that sends SIGNAL to
# TARGET (a pid, or -pgid) as soon as a file named PREFIX... is created
# in DIR, and says which file in $T_TMP/hit.  Returns once it is armed.
cat >"$T_TMP/watch.py" <<'EOF'
import ctypes, os, select, signal, struct, sys
d, prefix, sig, target, hit, ready = sys.argv[1:7]
libc = ctypes.CDLL(None, use_errno=True)
fd = libc.inotify_init()
if fd < 0 or libc.inotify_add_watch(fd, d.encode(), 0x100) < 0:  # IN_CREATE
    sys.exit("inotify: " + os.strerror(ctypes.get_errno()))
open(ready, "w").close()
while select.select([fd], [], [], 120)[0]:
    buf = os.read(fd, 65536)
    i = 0
    while i < len(buf):
        _, _, _, n = struct.unpack_from("iIII", buf, i)
        name = buf[i + 16:i + 16 + n].rstrip(b"\0").decode()
        i += 16 + n
        if name.startswith(prefix):
            t = int(target)
            if t < 0:
                os.killpg(-t, getattr(signal, "SIG" + sig))
            else:
                os.kill(t, getattr(signal, "SIG" + sig))
            open(hit, "w").write(name + "\n")
            sys.exit(0)
EOF
watch() {
	rm -f "$T_TMP/hit" "$T_TMP/ready"
	python3 "$T_TMP/watch.py" "$@" "$T_TMP/hit" "$T_TMP/ready" 2>"$T_TMP/watch.err" &
	watcher=$!
	until [ -e "$T_TMP/ready" ]; do
		kill -0 "$watcher" 2>/dev/null || return 1
		sleep 0.01
	done
}

# ended: wait for the run; its status in $status.  Then no process of it
# (those below it when the fault came, in $procs) may be left.
ended() {
	wait "$pid"
	status=$?
	left=$(for p in $procs; do ps -o pid=,comm= -p "$p"; done)
}

# sums DIR: what the results files there hold, for "untouched".
sums() {
	(cd "$1" && sha256sum r.json r.csv 2>/dev/null)
}

# check NAME STATUS PATTERN DIR OLD [EXTRA]: after ended, the exit
# status, exactly one error line and it matches PATTERN, nothing else on
# stderr but the lab's notice, the payload's words and EXTRA (an ERE);
# in DIR the results as before (OLD: what sums said, empty for none) or,
# after Ctrl-C, a whole file marked incomplete; nothing else in DIR or
# in $TMPDIR, no process left.
check() {
	local name=$1 want=$2 pattern=$3 dir=$4 old=$5 extra=${6:-^$} other files
	other=$(grep -v -E -e 'error: ' -e "$extra" \
		-e '^pvexit run: no KVM PR .*; running inside the lab$' \
		-e '^pvexit run: payload: ' "$T_TMP/err")
	files=$(find "$dir" -mindepth 1 -maxdepth 1 ! -name r.json ! -name r.csv -printf '%f ')
	if [ "$status" -ne "$want" ]; then
		fail "$name" "exit status $status, want $want; stderr: $(tr '\n' '|' <"$T_TMP/err" | head -c 400)"
	elif [ "$(grep -c 'error: ' "$T_TMP/err")" -ne 1 ]; then
		fail "$name" "want one error line, got: $(tr '\n' '|' <"$T_TMP/err" | head -c 400)"
	elif ! grep 'error: ' "$T_TMP/err" | grep -qE -- "$pattern"; then
		fail "$name" "the error line does not say '$pattern': $(grep 'error: ' "$T_TMP/err")"
	elif [ -n "$other" ]; then
		fail "$name" "more said than the one line: $(printf '%s' "$other" | tr '\n' '|' | head -c 400)"
	else
		pass "$name"
	fi

	name="$name: a valid results file or none, nothing else left"
	if [ -n "$files" ]; then
		fail "$name" "left in the output directory: $files"
	elif [ -n "$(ls -A "$TMPDIR")" ]; then
		fail "$name" "left in TMPDIR: $(ls -A "$TMPDIR" | tr '\n' ' ')"
	elif [ -n "$left" ]; then
		fail "$name" "still running: $(echo $left)"
	elif [ "$(sums "$dir")" = "$old" ]; then
		pass "$name"
	elif [ "$want" -eq 130 ] && [ -s "$dir/r.csv" ] &&
		python3 -c "import json,sys; sys.exit(json.load(open('$dir/r.json'))['complete'] is not False)" 2>/dev/null &&
		"$PVEXIT" report "$dir/r.json" >/dev/null 2>&1; then
		pass "$name"
	else
		fail "$name" "the results changed: $(sums "$dir" | tr '\n' ' ') (before: $(echo $old))"
	fi
	rm -rf "${TMPDIR:?}"/*
}

# --- no fault: the reference, and the previous results of the others ----
# The lab's pvexit names the files as they were given here, not as /out.
name="faults: the run without a fault writes its results, and names them"
mkdir -p "$T_TMP/base"
cd "$T_TMP/base" && run "$PVEXIT" run --lab "${SMALL[@]}" -o r.json
cd "$T_ROOT" || exit 1
if check_status "$name" 0; then
	if [ -s "$T_TMP/base/r.json" ] && [ -s "$T_TMP/base/r.csv" ] &&
		[ "$(tail -n 1 "$T_TMP/err")" = "pvexit run: results in r.json and r.csv" ]; then
		pass "$name"
	else
		fail "$name" "$(ls -A "$T_TMP/base" | tr '\n' ' '); $(tail -n 1 "$T_TMP/err")"
	fi
fi
# A directory holding a previous run's complete results.
previous() {
	rm -rf "$1" && mkdir -p "$1" && cp "$T_TMP/base/r.json" "$T_TMP/base/r.csv" "$1/"
}

# --- 1. QEMU killed -------------------------------------------------------
name="faults: QEMU killed with SIGKILL while the guest runs"
D=$T_TMP/kill-run
previous "$D"
old=$(sums "$D")
start --suite "$T_TMP/small.suite" --reps 40 -o "$D/r.json"
if qemu_of && until_seen "$T_TMP/out" '^mfmsr ' && procs=$(descendants "$pid") &&
	kill -KILL "$qemu"; then
	ended
	check "$name" 125 'lab/run: error: QEMU was killed by SIGKILL before COMMAND finished' "$D" "$old"
else
	kill -KILL -- "-$pid" 2>/dev/null
	wait "$pid"
	fail "$name" "the fault did not happen: QEMU ${qemu:-never seen}; $(tail -n 2 "$T_TMP/err" | tr '\n' '|')"
fi

name="faults: QEMU killed with SIGKILL while the results are written"
D=$T_TMP/kill-write
previous "$D"
old=$(sums "$D")
start --suite "$T_TMP/small.suite" -o "$D/r.json"
if qemu_of && procs=$(descendants "$pid") && watch "$D" .r.json. KILL "$qemu"; then
	ended
	kill "$watcher" 2>/dev/null
	wait "$watcher"
	if [ ! -s "$T_TMP/hit" ]; then
		fail "$name" "the fault did not happen: no temporary results file was seen; $(cat "$T_TMP/watch.err")"
	else
		check "$name" 125 'lab/run: error: QEMU was killed by SIGKILL before COMMAND finished' "$D" "$old"
	fi
else
	kill -KILL -- "-$pid" 2>/dev/null
	wait "$pid"
	fail "$name" "could not set the fault up: QEMU ${qemu:-never seen}; $(cat "$T_TMP/watch.err")"
fi

# --- 2. The guest hangs ---------------------------------------------------
name="faults: a hanging guest is ended by the watchdog"
D=$T_TMP/hang
mkdir -p "$D"
start --suite "$T_TMP/small.suite" --timeout 1 --guest-arg fault=spin -o "$D/r.json"
qemu_of
procs=$(descendants "$pid")
ended
if ! grep -q 'payload: fault=spin: spinning forever' "$T_TMP/err"; then
	fail "$name" "the guest did not spin: $(tr '\n' '|' <"$T_TMP/err" | head -c 400)"
else
	check "$name" 1 'pvexit run: error: le guest run: watchdog: the guest did not finish within 1 s' \
		"$D" "" "^pvexit run: warning: no results written to $D/r.json: a guest run failed$"
fi

# --- 3. A full disk under the results -------------------------------------
# The sizes the results take, in pages of the tmpfs: both must not fit.
pages() {
	echo $((($(stat -c %s "$1") + 4095) / 4096))
}
jp=$(pages "$T_TMP/base/r.json")
cp=$(pages "$T_TMP/base/r.csv")
mkdir -p "$MNT"
if [ ! -s "$T_TMP/base/r.json" ]; then
	fail "faults: a full disk" "no reference results to size the disk by"
elif ! mount -t tmpfs -o "size=$((jp * 4096))" pvexit-faults "$MNT" 2>"$T_TMP/mount.err"; then
	skip "faults: a full disk" "cannot mount a tmpfs: $(head -c 200 "$T_TMP/mount.err")"
else
	# Room for the JSON and not for the CSV: neither may be written.
	name="faults: a full disk: room for the JSON, not the CSV"
	run "$PVEXIT" run --lab "${SMALL[@]}" -o "$MNT/r.json"
	procs='' left=''
	check "$name" 2 "pvexit run: error: $MNT/r.csv: cannot write $MNT/\.r\.csv\.[A-Za-z0-9]{6}: No space left on device" \
		"$MNT" ""

	# Previous results there, and too little room for the new JSON.
	name="faults: a full disk: previous results kept"
	umount "$MNT"
	mount -t tmpfs -o "size=$(((2 * jp + cp - 1) * 4096))" pvexit-faults "$MNT"
	cp "$T_TMP/base/r.json" "$T_TMP/base/r.csv" "$MNT/"
	old=$(sums "$MNT")
	run "$PVEXIT" run --lab "${SMALL[@]}" -o "$MNT/r.json"
	check "$name" 2 "pvexit run: error: $MNT/r.json: cannot write $MNT/\.r\.json\.[A-Za-z0-9]{6}: No space left on device" \
		"$MNT" "$old"
	umount "$MNT"
fi

# --- 4. Ctrl-C: SIGINT to the whole process group, as a terminal sends --
name="faults: Ctrl-C while the lab boots"
D=$T_TMP/int-boot
mkdir -p "$D"
start --suite "$T_TMP/small.suite" -o "$D/r.json"
if qemu_of && sleep 0.3 && procs=$(descendants "$pid") &&
	! console | grep -q '^pvexit-lab: start' && kill -INT -- "-$pid"; then
	ended
	if [ -s "$T_TMP/out" ]; then
		fail "$name" "the fault came too late: the command had started"
	else
		check "$name" 130 '^lab/run: error: interrupted$' "$D" ""
	fi
else
	kill -KILL -- "-$pid" 2>/dev/null
	wait "$pid"
	fail "$name" "the fault did not happen while the lab booted: QEMU ${qemu:-never seen}"
fi

name="faults: Ctrl-C while the guest runs"
D=$T_TMP/int-run
previous "$D"
old=$(sums "$D")
start --suite "$T_TMP/small.suite" --reps 40 -o "$D/r.json"
if qemu_of && until_seen "$T_TMP/out" '^mfmsr ' && procs=$(descendants "$pid") &&
	kill -INT -- "-$pid"; then
	ended
	check "$name" 130 '^lab/run: error: interrupted$' "$D" "$old"
else
	kill -KILL -- "-$pid" 2>/dev/null
	wait "$pid"
	fail "$name" "the fault did not happen while the guest ran: $(tail -n 2 "$T_TMP/err" | tr '\n' '|')"
fi

name="faults: Ctrl-C while the results are written"
D=$T_TMP/int-write
previous "$D"
old=$(sums "$D")
start --suite "$T_TMP/small.suite" -o "$D/r.json"
if qemu_of && procs=$(descendants "$pid") && watch "$D" .r.json. INT "-$pid"; then
	ended
	kill "$watcher" 2>/dev/null
	wait "$watcher"
	if [ ! -s "$T_TMP/hit" ]; then
		fail "$name" "the fault did not happen: no temporary results file was seen; $(cat "$T_TMP/watch.err")"
	else
		check "$name" 130 '^lab/run: error: interrupted$' "$D" "$old"
	fi
else
	kill -KILL -- "-$pid" 2>/dev/null
	wait "$pid"
	fail "$name" "could not set the fault up: QEMU ${qemu:-never seen}; $(cat "$T_TMP/watch.err")"
fi
