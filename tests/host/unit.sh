# SPDX-License-Identifier: GPL-2.0-only
# Host unit tests, built with ASan and UBSan by `make unit`: each program
# prints PASS/FAIL lines, relayed here as results of their own.
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 1

shopt -s nullglob
# make unit UNIT_SAN=0 puts its programs elsewhere (Makefile).
progs=("${PVEXIT_UNIT_DIR:-build/host-asan/tests}"/test_*)
srcs=(tests/unit/test_*.c)
if [ ${#srcs[@]} -eq 0 ]; then
	skip "unit tests" "no tests/unit/test_*.c yet"
	exit 0
fi
if [ ${#progs[@]} -ne ${#srcs[@]} ]; then
	fail "unit tests are built" "${#srcs[@]} sources but ${#progs[@]} programs: run 'make unit'"
fi
for p in "${progs[@]}"; do
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
		"$p" >"$T_TMP/out" 2>"$T_TMP/err"
	rc=$?
	n=$(relay_results "$T_TMP/out")
	# A crash or a sanitizer report after the last check is a failure too.
	if [ "$rc" -ne 0 ] && ! grep -q '^FAIL ' "$T_TMP/out"; then
		fail "${p##*/}: exits cleanly" "status $rc: $(grep -m1 -E 'ERROR|runtime error' "$T_TMP/err" || tail -n 1 "$T_TMP/err")"
	fi
	[ "$n" -gt 0 ] || fail "${p##*/}: reports results" "no PASS or FAIL lines"
done
