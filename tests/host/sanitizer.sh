# SPDX-License-Identifier: GPL-2.0-only
# The sanitizer build of pvexit (ASan + UBSan) on a trace.dat whose
# flipped byte makes libtracecmd ask for an absurd allocation: rejected
# with the normal build's one error line, and, when ASan is told to
# abort on it, its report seen on stderr, not lost to the stderr the
# decoder mutes around libtracecmd (issue 15: 12).
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 1

PVEXIT=${PVEXIT:-$T_ROOT/build/host/bin/pvexit}
PVEXIT_ASAN=${PVEXIT_ASAN:-$(dirname "$(dirname "$(dirname "$PVEXIT")")")/host-asan/bin/pvexit}
FIX=$T_ROOT/tests/fixtures/trace/mfmsr-le.dat
need_pvexit "sanitizer build: tests" "$FIX" || exit 0
if [ ! -x "$PVEXIT_ASAN" ]; then
	skip "sanitizer build: tests" "no sanitized pvexit at $PVEXIT_ASAN (set PVEXIT_ASAN)"
	exit 0
fi

# Byte 236 lies in the compressed header's sizes: flipped, libtracecmd
# asks for 0x7777777777777700 bytes or so.
B=$T_TMP/absurd.dat
cp "$FIX" "$B"
b=$(od -An -tu1 -j236 -N1 "$B" | tr -d ' ')
# shellcheck disable=SC2059
printf "$(printf '\\%03o' $((b ^ 1)))" | dd of="$B" bs=1 seek=236 conv=notrunc 2>/dev/null

# Run from an empty directory: nothing may be left in it.
mkdir -p "$T_TMP/cwd"
cd "$T_TMP/cwd" || exit 1

run "$PVEXIT" trace report "$B"
if check_status "sanitizer build: the normal build rejects the file" 2 && one_error_line; then
	pass "sanitizer build: the normal build rejects the file"
	cp "$T_TMP/err" "$T_TMP/normal.err"
elif [ "$status" -eq 2 ]; then
	fail "sanitizer build: the normal build rejects the file" "$(tr '\n' '|' <"$T_TMP/err")"
fi

# Leaks are another test's matter (tests/host/unit.sh runs with them).
run env ASAN_OPTIONS=detect_leaks=0 "$PVEXIT_ASAN" trace report "$B"
if ! check_status "sanitizer build: rejects it as the normal build does" 2; then
	:
elif [ -f "$T_TMP/normal.err" ] && ! cmp -s "$T_TMP/err" "$T_TMP/normal.err"; then
	fail "sanitizer build: rejects it as the normal build does" \
		"said: $(tr '\n' '|' <"$T_TMP/err"), not: $(tr '\n' '|' <"$T_TMP/normal.err")"
else
	pass "sanitizer build: rejects it as the normal build does"
fi

name="sanitizer build: an abort in libtracecmd is explained"
run env ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=0 "$PVEXIT_ASAN" trace report "$B"
if [ "$status" -eq 2 ] && one_error_line; then
	skip "$name" "the flip no longer reaches libtracecmd's allocation: $(cat "$T_TMP/err")"
elif [ "$status" -eq 0 ]; then
	fail "$name" "exit status 0"
elif grep -q 'ERROR: AddressSanitizer: requested allocation size' "$T_TMP/err"; then
	pass "$name"
else
	fail "$name" "exit status $status, stderr: $(head -c 300 "$T_TMP/err" | tr '\n' '|')"
fi

if [ -n "$(ls -A "$T_TMP/cwd")" ]; then
	fail "sanitizer build: no files left behind" "$(ls -A "$T_TMP/cwd" | tr '\n' ' ')"
else
	pass "sanitizer build: no files left behind"
fi

# Every bad-input check again, with the sanitized pvexit: a defect that
# only shows as a wild read or write fails here even where the normal
# build's answer happens to look right.
asan_results=$T_TMP/badinput-asan.results
: >"$asan_results"
T_RESULTS=$asan_results PVEXIT=$PVEXIT_ASAN ASAN_OPTIONS=detect_leaks=0 \
	bash "$T_ROOT/tests/host/badinput.sh" >"$T_TMP/badinput-asan.out" 2>&1
sed -E 's/^(PASS|FAIL|SKIP) /\1 under ASan and UBSan: /' "$asan_results" >"$asan_results.relay"
n=$(relay_results "$asan_results.relay")
[ "$n" -gt 0 ] || fail "sanitizer build: the bad-input checks ran under it" \
	"tests/host/badinput.sh reported nothing: $(tail -n 3 "$T_TMP/badinput-asan.out" | tr '\n' '|')"
