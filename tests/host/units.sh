# SPDX-License-Identifier: GPL-2.0-only
# Time units: a results file of the lab under icount counts emulated
# instructions, not ns.  report and plot say so, and compare, plot and
# bisect-run refuse to put the two side by side.
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 1

PVEXIT=${PVEXIT:-$T_ROOT/build/host/bin/pvexit}
FIX=$T_ROOT/tests/fixtures/results/lab-le-be.json
need_pvexit "units: tests" "$FIX" || exit 0

# The ns fixture (schema 1) as a schema 2 file counted in instructions.
INSN=$T_TMP/insn.json
python3 - "$FIX" "$INSN" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
out = {"schema_version": 2, "complete": d["complete"], "time_unit": "insn",
       "build": {"kind": "cross", "compiler": "gcc 12.2.0", "target": "powerpc64le-linux-gnu"}}
for k, v in d.items():
    if k not in out:
        out[k] = v
for r in out["rows"]:
    r["time_samples"] = r.pop("ns_samples")
    r["time_per_op"] = r.pop("ns_per_op")
json.dump(out, open(sys.argv[2], "w"), indent=2)
PY

run "$PVEXIT" report "$INSN"
name="units: report of an icount file says insn/op, and its headline is in instructions"
if check_status "$name" 0 && grep -q '^per op:  emulated PowerPC instructions per operation (QEMU icount)$' "$T_TMP/out" &&
	grep -qE '^class +guest raw insn/op \[95% CI\] +patched insn/op' "$T_TMP/out" &&
	grep -qE '^mfmsr +le +[0-9.]+ insn +[0-9.]+ insn +-?[0-9.]+ insn$' "$T_TMP/out" &&
	! grep -q 'ns/op' "$T_TMP/out"; then
	pass "$name"
else
	fail "$name" "$(grep -E '^(per op|class|mfmsr +le)' "$T_TMP/out" | tr '\n' '|')"
fi
run "$PVEXIT" report "$INSN" --json
name="units: report --json names the unit"
check_status "$name" 0 && python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(d["time_unit"] != "insn" or "raw_per_op" not in d["rows"][0])' "$T_TMP/out" &&
	pass "$name" || fail "$name" "$(head -c 300 "$T_TMP/out")"

run "$PVEXIT" report "$FIX"
name="units: a schema 1 file reads as ns"
check_status "$name" 0 && grep -q '^per op:  ns per operation' "$T_TMP/out" &&
	grep -qE '^class +guest raw ns/op' "$T_TMP/out" && pass "$name" ||
	fail "$name" "$(grep -E '^(per op|class)' "$T_TMP/out" | tr '\n' '|')"

expect_error "units: compare refuses ns against instructions" 2 \
	"counts ns per op, .*insn.json insn: no comparison across time units" \
	"$PVEXIT" compare "$FIX" "$INSN"
run "$PVEXIT" compare "$INSN" "$INSN"
name="units: compare of two icount files heads its columns insn/op"
check_status "$name" 0 && grep -qE 'A insn/op +B insn/op' "$T_TMP/out" && pass "$name" ||
	fail "$name" "$(grep -m1 '^class' "$T_TMP/out")"

expect_error "units: plot refuses to mix time units" 2 "one plot does not mix time units" \
	"$PVEXIT" plot "$FIX" "$INSN" -o "$T_TMP/mixed"
[ ! -e "$T_TMP/mixed" ] && pass "units: the refused plot made nothing" ||
	fail "units: the refused plot made nothing" "$(ls -A "$T_TMP/mixed")"
run "$PVEXIT" plot "$INSN" -o "$T_TMP/p" --format svg --guest le
name="units: plot names the time figure of an icount file insn-per-op and labels its axis"
if check_status "$name" 0 && [ -f "$T_TMP/p/insn-per-op-le.svg" ] && [ ! -e "$T_TMP/p/ns-per-op-le.svg" ] &&
	grep -q 'emulated PowerPC instructions per operation' "$T_TMP/p/insn-per-op-le.svg" &&
	grep -q 'emulated instructions per exit' "$T_TMP/p/headline-le.svg"; then
	pass "$name"
else
	fail "$name" "$(ls -A "$T_TMP/p" | tr '\n' ' ')"
fi

# bisect-run: a baseline in instructions and a commit measured in ns is
# no verdict on the commit: git bisect must stop (128), not mark it.
COPY=$T_TMP/copy.sh
printf '#!/bin/sh\nexec cp "%s" "$PVEXIT_RESULT"\n' "$FIX" >"$COPY"
chmod +x "$COPY"
expect_error "units: bisect-run aborts on a baseline of another unit" 128 \
	"the baseline counts insn per op, this commit's run ns.*aborting the bisect" \
	"$PVEXIT" bisect-run --baseline "$INSN" --metric mfmsr.patched.time_per_op --guest le \
	--threshold 1 -- "$COPY"
