# SPDX-License-Identifier: GPL-2.0-only
# The four counts of pvexit run side by side, in the lab: the vCPU stats,
# the BPF collector, the decoded trace (--trace) and perf stat (--perf)
# agree exactly on a raw mfmsr phase and all see no emulation exits on
# the patched one, in both guest byte orders; without perf the run says
# why and marks that counter unavailable.
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 1

pvexit=${PVEXIT:-build/host/bin/pvexit}
if ! lab_built; then
	skip "collectors: lab tests" "no lab: run 'make lab'"
	exit 0
fi
if [ ! -x "$pvexit" ] || [ ! -x build/ppc64le/bin/pvexit ]; then
	fail "collectors: lab tests" "pvexit is not built: run 'make build'"
	exit 0
fi

O=$T_TMP/lab
ARGS="--no-lab --class mfmsr --bits 64 -n 640 -f 64000 --no-progress"
run lab/run --timeout 900 --out "$O" -- sh -c "
pvexit run $ARGS --endian both --trace --perf -o /out/all.json >/out/all.out 2>/out/all.err
echo \$? >/out/all.rc
pv=\$(command -v pvexit); PATH=/nonexistent \$pv run $ARGS --endian le --perf -o /out/noperf.json >/out/noperf.out 2>/out/noperf.err
echo \$? >/out/noperf.rc
pvexit run $ARGS --endian le --bpf-counts -o /out/counts.json >/out/counts.out 2>/out/counts.err
echo \$? >/out/counts.rc
"
check_status "collectors: the lab ran the runs" 0 && pass "collectors: the lab ran the runs"

rc() { cat "$O/$1.rc" 2>/dev/null || echo missing; }
name="collectors: pvexit run --trace --perf succeeds"
[ "$(rc all)" = 0 ] && pass "$name" ||
	fail "$name" "status $(rc all): $(tail -n 3 "$O/all.err" 2>/dev/null | tr '\n' '|')"

# Emulation exits per counter for one row: the stats' emulated_inst_exits,
# the BPF collector's and the trace's PROGRAM exits, perf's kvm_ppc_instr.
counts() {
	python3 - "$O/all.json" "$1" "$2" <<'PY' 2>&1
import json, sys
r = json.load(open(sys.argv[1]))
row = [x for x in r["rows"] if x["class"] == "mfmsr" and x["guest"] == sys.argv[2]
       and x["variant"] == sys.argv[3]][0]
c = {k["name"]: k for k in row["counters"]}
key = {"stats": "emulated_inst_exits", "bpf": "emulation_exits",
       "trace": "emulation_exits", "perf": "kvm_ppc_instr"}
out = []
for n in ("stats", "bpf", "trace", "perf"):
    k = c.get(n, {})
    out.append(str(int(k.get("raw", {}).get(key[n], 0))) if k.get("available") else "n/a")
print(row["iterations"], row["verdict"], *out)
PY
}
for e in le be; do
	name="collectors ($e): raw mfmsr: stats, bpf, trace and perf count one exit per iteration"
	# shellcheck disable=SC2046 # the figures, one word each
	set -- $(counts $e raw)
	if [ "$#" -eq 6 ] && [ "$1" -gt 0 ] && [ "$2" = ok ] &&
		[ "$3" = "$1" ] && [ "$4" = "$1" ] && [ "$5" = "$1" ] && [ "$6" = "$1" ]; then
		pass "$name"
	else
		fail "$name" "iterations, verdict, stats, bpf, trace, perf: $*"
	fi
	name="collectors ($e): patched mfmsr: no emulation exits in any counter"
	# shellcheck disable=SC2046 # the figures, one word each
	set -- $(counts $e patched)
	[ "$#" -eq 6 ] && [ "$2" = ok ] && [ "$3 $4 $5 $6" = "0 0 0 0" ] && pass "$name" ||
		fail "$name" "iterations, verdict, stats, bpf, trace, perf: $*"
done

name="collectors: the table shows each counter's exits/op"
grep -qE '^class .* bpf/op +trace/op +perf/op +verdict$' "$O/all.out" && pass "$name" ||
	fail "$name" "$(grep '^class' "$O/all.out" | head -n 1)"

name="collectors: without perf, one warning and the counter marked unavailable"
why=$(python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(set(c.get('why','') for x in r['rows'] for c in x['counters'] if c['name']=='perf' and not c['available']))" "$O/noperf.json" 2>&1)
if [ "$(rc noperf)" = 0 ] && [ "$(grep -c 'no perf stat' "$O/noperf.err")" = 1 ] &&
	grep -q 'cannot run perf' "$O/noperf.err" && [ "${why#*cannot run perf}" != "$why" ]; then
	pass "$name"
else
	fail "$name" "status $(rc noperf); $(tr '\n' '|' <"$O/noperf.err" | head -c 300); why $why"
fi

# --bpf-counts: the same emulation exits, by class, and nothing it did not
# collect (kvm_ppc_instr, reentries, the histogram) pretending to be zero.
name="collectors: --bpf-counts counts the raw mfmsr exits by class and leaves out what it does not collect"
got=$(python3 - "$O/counts.json" <<'PY' 2>&1
import json, sys
r = json.load(open(sys.argv[1]))
row = [x for x in r["rows"] if x["class"] == "mfmsr" and x["variant"] == "raw"][0]
c = {k["name"]: k for k in row["counters"]}
b = c["bpf"]
print(row["verdict"], int(b["raw"]["emulation_exits"]) == int(c["stats"]["raw"]["emulated_inst_exits"]),
      b["by_class"].get("mfmsr") == 1, "kvm_ppc_instr" in b["raw"], "reenter" in b["raw"],
      bool(b.get("hist")))
PY
)
[ "$(rc counts)" = 0 ] && [ "$got" = "ok True True False False False" ] && pass "$name" ||
	fail "$name" "status $(rc counts); verdict, equal to stats, mfmsr/op, instr, reenter, histogram: $got"
