# SPDX-License-Identifier: GPL-2.0-only
# The fuzz targets (tests/fuzz/, make fuzz) build, and each passes its
# committed seed corpus: -runs=0 replays the seeds without fuzzing, so
# this proves the targets and seeds in seconds.  The timed fuzzing is
# make fuzz's, never make check's.
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 1

# The build directory the targets go to: make's BUILD.
FUZZ_BUILD=${FUZZ_BUILD:-build}
CC=${FUZZ_CC:-clang}

printf '#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' >"$T_TMP/hello.c"
if ! command -v "$CC" >/dev/null; then
	skip "fuzz: targets build and pass their seeds" "$CC is not installed (make deps)"
	exit 0
elif ! "$CC" -fsanitize=fuzzer,address,undefined -o "$T_TMP/hello" "$T_TMP/hello.c" 2>"$T_TMP/cc.err"; then
	skip "fuzz: targets build and pass their seeds" "$CC cannot build a libFuzzer target: $(head -n 1 "$T_TMP/cc.err")"
	exit 0
fi

if ! nice -n 10 make -s --no-print-directory BUILD="$FUZZ_BUILD" fuzz-build >"$T_TMP/make.log" 2>&1; then
	fail "fuzz: targets build" "$(grep -m 3 -E 'error|Error' "$T_TMP/make.log" | tr '\n' ' ')"
	exit 0
fi
pass "fuzz: targets build"

n=0
for src in tests/fuzz/fuzz_*.c; do
	t=$(basename "$src" .c)
	n=$((n + 1))
	seeds=tests/fuzz/corpus/$t
	if [ -z "$(ls -A "$seeds" 2>/dev/null)" ]; then
		fail "fuzz: $t has a seed corpus" "$seeds is empty or missing"
		continue
	fi
	# Artifacts of a crash go to the temporary directory, not the tree.
	run "$FUZZ_BUILD/fuzz/$t" -runs=0 -artifact_prefix="$T_TMP/$t-" "$seeds"
	if [ "$status" -eq 0 ] && grep -q '^Done ' "$T_TMP/err"; then
		pass "fuzz: $t passes its $(find "$seeds" -type f | wc -l) seeds"
	else
		fail "fuzz: $t passes its seeds" "exit $status: $(grep -m 2 -E 'ERROR|SUMMARY|runtime error' "$T_TMP/err" | tr '\n' ' ')"
	fi
done
# A target without a seed corpus, or a corpus without its target.
for d in tests/fuzz/corpus/*/; do
	t=$(basename "$d")
	[ -f "tests/fuzz/$t.c" ] || fail "fuzz: corpus $t has a target" "no tests/fuzz/$t.c"
done
[ "$n" -gt 0 ] || fail "fuzz: targets build and pass their seeds" "no tests/fuzz/fuzz_*.c"
