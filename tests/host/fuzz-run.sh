# SPDX-License-Identifier: GPL-2.0-only
# tests/fuzz/run, make fuzz's runner, with stand-in targets (shell scripts
# that act as a libFuzzer binary does at its exits), so that it is checked
# without clang and in a second: the wall budget, the CPU budget ended by
# SIGINT, a crash as a failure, and its usage errors.
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 1

b=$T_TMP/build
export TMPDIR=$T_TMP/tmp
mkdir -p "$TMPDIR"
mkdir -p "$b/fuzz"
# A target that fuzzes until SIGINT, burning CPU, then prints libFuzzer's
# final stats and exits 72 as libFuzzer does when interrupted.  In C, as
# libFuzzer sets its handler: a shell started in the background by a
# shell without job control has SIGINT ignored and cannot trap it.
cat >"$T_TMP/fake.c" <<'C'
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
static volatile sig_atomic_t stop;
static void on_int(int sig) { (void)sig; stop = 1; }
int main(int argc, char **argv)
{
	struct sigaction sa;
	unsigned long n = 0;
	for (int i = 1; i < argc; i++)
		if (!strncmp(argv[i], "-max_total_time=", 16)) {
			fprintf(stderr, "Done 7 runs\nstat::number_of_executed_units: 7\n");
			return 0;
		}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_int;
	sigaction(SIGINT, &sa, NULL);
	while (!stop)
		n++;
	fprintf(stderr, "==%d== libFuzzer: run interrupted; exiting\n", (int)getpid());
	fprintf(stderr, "stat::number_of_executed_units: %lu\n", n ? n : 1);
	return 72;
}
C
if ! ${CC:-cc} -o "$b/fuzz/fuzz_suite" "$T_TMP/fake.c" 2>"$T_TMP/cc.err"; then
	fail "fuzz run: the stand-in target builds" "$(head -n 3 "$T_TMP/cc.err" | tr '\n' ' ')"
	exit 0
fi
# A target that finds a crash at once.
cat >"$b/fuzz/fuzz_elf" <<'SH'
#!/bin/bash
echo "==1==ERROR: AddressSanitizer: heap-buffer-overflow" >&2
echo "stat::number_of_executed_units: 3" >&2
exit 1
SH
chmod +x "$b/fuzz/fuzz_elf"

run tests/fuzz/run 1 "$b" fuzz_suite
if [ "$status" -eq 0 ] && grep -qx 'fuzz: fuzz_suite: 7 executions in 1 s, no crash' "$T_TMP/out"; then
	pass "fuzz run: a wall-time budget gives the target -max_total_time and prints its executions"
else
	fail "fuzz run: wall-time budget" "exit $status: $(cat "$T_TMP/out" "$T_TMP/err")"
fi

run tests/fuzz/run --cpu 1 "$b" fuzz_suite
if [ "$status" -eq 0 ] && grep -Eq '^fuzz: fuzz_suite: [1-9][0-9]* executions in [12] CPU-s \([0-9]+ s wall\), corpus [0-9]+ files, no crash$' "$T_TMP/out"; then
	pass "fuzz run: a CPU-time budget ends the target by SIGINT once it has used it"
else
	fail "fuzz run: CPU-time budget" "exit $status: $(cat "$T_TMP/out" "$T_TMP/err")"
fi

run tests/fuzz/run --jobs 2 1 "$b" fuzz_suite fuzz_elf
if [ "$status" -eq 1 ] && grep -q '^fuzz: fuzz_elf: FAILED after 3 executions (exit 1):' "$T_TMP/out" &&
	grep -q 'AddressSanitizer' "$T_TMP/out" && grep -q '^fuzz: fuzz_suite: 7 executions' "$T_TMP/out"; then
	pass "fuzz run: a crash fails the run (exit 1), the other target still reports"
else
	fail "fuzz run: a crash fails the run" "exit $status: $(cat "$T_TMP/out" "$T_TMP/err")"
fi

run tests/fuzz/run --cpu --keep "$T_TMP/keep" 1 "$b" fuzz_suite
if [ "$status" -eq 0 ] && [ -n "$(ls -A "$T_TMP/keep/fuzz_suite" 2>/dev/null)" ]; then
	pass "fuzz run: --keep seeds a corpus directory and leaves it"
else
	fail "fuzz run: --keep" "exit $status, $(ls "$T_TMP/keep" 2>&1)"
fi

for bad in "0 $b fuzz_suite" "x $b fuzz_suite" "--jobs 0 1 $b fuzz_suite" "1 $b fuzz_nothing" "1 $b" "--frob 1 $b fuzz_suite"; do
	# shellcheck disable=SC2086
	run tests/fuzz/run $bad
	if [ "$status" -eq 2 ] && [ ! -s "$T_TMP/out" ] && [ -s "$T_TMP/err" ]; then
		pass "fuzz run: '$bad' is refused with exit 2"
	else
		fail "fuzz run: '$bad' is refused" "exit $status: $(cat "$T_TMP/out" "$T_TMP/err")"
	fi
done
# Nothing of the runner's is left in TMPDIR.
if [ -z "$(ls -A "$TMPDIR")" ]; then
	pass "fuzz run: its temporary directories are removed"
else
	fail "fuzz run: temporary directories" "left in TMPDIR: $(ls "$TMPDIR")"
fi
