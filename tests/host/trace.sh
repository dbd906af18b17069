# SPDX-License-Identifier: GPL-2.0-only
# pvexit trace report on the lab-recorded fixtures (no lab): the header,
# the class table against the fixture's own counts and the run it traced,
# and bad files and usage: one error line, a non-zero exit.
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 1

PVEXIT=${PVEXIT:-$T_ROOT/build/host/bin/pvexit}
FIX=$T_ROOT/tests/fixtures/trace
FILES="mfmsr-le.pvtrace mfmsr-be.pvtrace mfmsr-le.dat mfmsr-be.dat"
fixtures=()
for f in $FILES; do
	fixtures+=("$FIX/$f" "$FIX/$f.run.txt")
done
need_pvexit "trace: tests" "${fixtures[@]}" || exit 0

# flip FILE OFFSET: xor one byte with 1.
flip() {
	local b
	b=$(od -An -tu1 -j"$2" -N1 "$1" | tr -d ' ')
	# shellcheck disable=SC2059
	printf "$(printf '\\%03o' $((b ^ 1)))" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

for f in $FILES; do
	e=${f#mfmsr-}
	e=${e%%.*}
	name="trace report: $f"
	run "$PVEXIT" trace report "$FIX/$f"
	check_status "$name" 0 || continue
	if [ -s "$T_TMP/err" ]; then
		fail "$name" "said on stderr: $(head -c 300 "$T_TMP/err")"
		continue
	fi
	pass "$name"
	cp "$T_TMP/out" "$T_TMP/report.txt"
	name="trace report: $f: header (recording kernel, events, losses)"
	if grep -q '^recorded by a little-endian kernel: 8-byte longs, 65536-byte pages, 1 CPU, clock local$' "$T_TMP/report.txt" &&
		grep -q '^events: [0-9]* kvm_exit, [0-9]* kvm_ppc_instr, [0-9]* kvm_book3s_reenter$' "$T_TMP/report.txt" &&
		grep -q '^lost events: none' "$T_TMP/report.txt"; then
		pass "$name"
	else
		fail "$name" "$(head -n 4 "$T_TMP/report.txt" | tr '\n' '|')"
	fi
	# The table's total is the header's kvm_exit count; mfmsr's exits are
	# its emulations (the kvm_ppc_instr by class line).
	name="trace report: $f: totals agree with the event counts"
	exits=$(sed -n 's/^events: \([0-9]*\) kvm_exit.*/\1/p' "$T_TMP/report.txt")
	total=$(awk '$1 == "total" { print $2 }' "$T_TMP/report.txt")
	mfmsr=$(awk '$1 == "mfmsr" && $2 == "PROGRAM" { print $3 }' "$T_TMP/report.txt")
	emul=$(sed -n 's/^kvm_ppc_instr by class:.* mfmsr \([0-9]*\).*/\1/p' "$T_TMP/report.txt")
	if [ -n "$exits" ] && [ "$exits" = "$total" ] && [ -n "$mfmsr" ] && [ "$mfmsr" = "$emul" ]; then
		pass "$name"
	else
		fail "$name" "kvm_exit $exits, total $total, mfmsr exits $mfmsr, emulated $emul"
	fi
	name="trace report --segments: $f: one mfmsr PROGRAM exit per raw iteration"
	want=$(awk -v e="$e" '$1 == "mfmsr" && $2 == e && $3 == "raw" { print $4 }' "$FIX/$f.run.txt")
	got=$("$PVEXIT" trace report --segments "$FIX/$f" |
		awk '$3 == "mfmsr" && $4 == "PROGRAM" && $5 > max { max = $5 } END { print max + 0 }')
	if [ -n "$want" ] && [ "$want" -gt 0 ] && [ "$got" = "$want" ]; then
		pass "$name"
	else
		fail "$name" "$got exits in the raw phase, the run says ${want:-nothing} iterations"
	fi
done

# --- bad files ----------------------------------------------------------------

B=$T_TMP/bad
expect_error "trace report: no such file" 2 "cannot open .*nope: No such file" \
	"$PVEXIT" trace report "$T_TMP/nope"
: >"$B"
expect_error "trace report: empty file" 2 "neither a pvexit trace nor a trace-cmd trace.dat" \
	"$PVEXIT" trace report "$B"
echo "just some text" >"$B"
expect_error "trace report: a text file" 2 "neither a pvexit trace nor a trace-cmd trace.dat" \
	"$PVEXIT" trace report "$B"
for cut in 12 100 5000 100000 330000; do
	head -c "$cut" "$FIX/mfmsr-le.pvtrace" >"$B"
	expect_error "trace report: .pvtrace cut at $cut bytes" 2 "bad: .*truncated" \
		"$PVEXIT" trace report "$B"
done
cp "$FIX/mfmsr-le.pvtrace" "$B"
flip "$B" 150000
expect_error "trace report: .pvtrace with a flipped page byte" 2 "bad: section [0-9]+ \(PAGE\) .*checksum" \
	"$PVEXIT" trace report "$B"
cp "$FIX/mfmsr-le.pvtrace" "$B"
flip "$B" 8
expect_error "trace report: .pvtrace of another version" 2 "bad: format version 0" \
	"$PVEXIT" trace report "$B"
for cut in 15 3000 200000 470000; do
	head -c "$cut" "$FIX/mfmsr-le.dat" >"$B"
	expect_error "trace report: trace.dat cut at $cut bytes" 2 "bad: .*trace.dat corrupt or truncated" \
		"$PVEXIT" trace report "$B"
done
cp "$FIX/mfmsr-le.dat" "$B"
flip "$B" 15
expect_error "trace report: trace.dat with a flipped page size" 2 "page size 65792" \
	"$PVEXIT" trace report "$B"
# A bit of the compressed event formats that still decompresses: kvm_exit's
# print format says REC->eize:8; for REC->exit_nr (libtraceevent crashed).
cp "$FIX/mfmsr-le.dat" "$B"
printf '\030' | dd of="$B" bs=1 seek=2668 conv=notrunc 2>/dev/null
expect_error "trace report: trace.dat with a mangled event format" 2 \
	"bad: the format of kvm_pr:kvm_exit: .*\(corrupt format text\)" "$PVEXIT" trace report "$B"
# A format that passes the lexical check but that libtraceevent 1.7 dies
# on (__print_symbolic of a field the event lacks): the rehearsal child
# that opens the file takes the crash.  Uncompressed, so that the text
# can be edited in place.
name="trace report: trace.dat with a format libtraceevent dies on"
if ! command -v trace-cmd >/dev/null; then
	skip "$name" "trace-cmd is not installed"
elif ! trace-cmd convert -i "$FIX/mfmsr-le.dat" --compression none -o "$T_TMP/plain.dat" \
	>/dev/null 2>&1; then
	skip "$name" "this trace-cmd cannot convert (trace-cmd convert --compression none)"
else
	LC_ALL=C sed 's/__print_symbolic(REC->exit_nr,/__print_symbolic(REC->eize_nr,/' \
		"$T_TMP/plain.dat" >"$B"
	run "$PVEXIT" trace report "$B"
	if cmp -s "$B" "$T_TMP/plain.dat"; then
		fail "$name" "kvm_exit's print format has no __print_symbolic(REC->exit_nr, to edit"
	elif [ "$status" -eq 0 ]; then
		pass "$name (harmless to this libtraceevent)"
	else
		check_error "$name" 2 \
			"bad.*: the format of kvm_pr:kvm_exit: REC->eize_nr at line [0-9]+ names no field"
	fi
fi

# The fixed cost of a file: the formats are parsed in one child per file
# (trace/trace_decode_format.c), never one per format (a trace.dat holds
# twenty); the time is bench-self's to measure, the count is here.
for f in mfmsr-le.dat mfmsr-le.pvtrace; do
	name="trace report: $f: one child process for all its formats"
	if ! command -v strace >/dev/null; then
		skip "$name" "strace is not installed"
		continue
	fi
	run strace -f -qq -e trace=fork,vfork,clone,clone3 -o "$T_TMP/strace" \
		"$PVEXIT" trace report "$FIX/$f"
	if [ "$status" -ne 0 ] && grep -q 'ptrace\|PTRACE' "$T_TMP/err"; then
		skip "$name" "strace cannot trace here: $(head -n 1 "$T_TMP/err")"
		continue
	fi
	n=$(grep -cE '^[0-9]+ +(fork|vfork|clone|clone3)\(' "$T_TMP/strace")
	if [ "$status" -eq 0 ] && [ "$n" -le 1 ]; then
		pass "$name"
	else
		fail "$name" "exit status $status, $n children (want 1 at most)"
	fi
done

# --- usage ----------------------------------------------------------------------

expect_error "trace: no subcommand" 2 "no trace command" "$PVEXIT" trace
expect_error "trace: unknown subcommand" 2 "unknown trace command 'frob'" "$PVEXIT" trace frob
expect_error "trace report: no FILE" 2 "no FILE" "$PVEXIT" trace report
expect_error "trace report: two FILEs" 2 "one FILE only" "$PVEXIT" trace report a b
expect_error "trace report: unknown option" 2 "unknown option '--frob'" \
	"$PVEXIT" trace report --frob "$FIX/mfmsr-le.dat"
expect_error "trace record: bad --pid" 2 "--pid wants a process id, not '0'" \
	"$PVEXIT" trace record -p 0
expect_error "trace record: -p and a COMMAND" 2 "exclude each other" \
	"$PVEXIT" trace record -p 1 -- true
expect_error "trace record: --duration and a COMMAND" 2 "exclude each other" \
	"$PVEXIT" trace record --duration 5 -- true
expect_error "trace record: bad --buffer-kb" 2 "--buffer-kb wants KiB" \
	"$PVEXIT" trace record -b 1 -- true
expect_error "trace record: empty --output" 2 "empty file name" "$PVEXIT" trace record -o '' -- true
expect_error "trace record: option without value" 2 "needs a value" "$PVEXIT" trace record -d

# Recording needs KVM PR's tracepoints: here, one line says what is missing.
name="trace record: on a host that cannot record, one line says why"
run "$PVEXIT" trace record -o "$T_TMP/rec.pvtrace" -- true
if [ "$status" -eq 0 ]; then
	skip "$name" "this host can record the KVM PR tracepoints"
elif compgen -G "$T_TMP/rec.pvtrace*" >/dev/null; then
	fail "$name" "left a file behind: $(compgen -G "$T_TMP/rec.pvtrace*" | tr '\n' ' ')"
else
	check_error "$name" 2 "tracefs is not mounted|no tracepoint kvm_pr:kvm_exit|no permission"
fi

name="trace --help names both commands and their options"
run "$PVEXIT" trace --help
if check_status "$name" 0 && grep -q 'pvexit trace record \[-p PID\]' "$T_TMP/out" &&
	grep -q -- '--segments' "$T_TMP/out" && grep -q -- '--duration SEC' "$T_TMP/out"; then
	pass "$name"
elif [ "$status" -eq 0 ]; then
	fail "$name" "$(head -n 3 "$T_TMP/out" | tr '\n' '|')"
fi
name="the man page has the trace command's section"
if grep -q 'pvexit trace record' docs/man/pvexit.1 && grep -q -- 'per\\-thread\|per-thread' docs/man/pvexit.1; then
	pass "$name"
else
	fail "$name" "docs/man/pvexit.1 does not describe pvexit trace"
fi
