# SPDX-License-Identifier: GPL-2.0-only
# pvexit run --guest e500 end to end: every class an e500v2 host runs,
# raw, patched and baseline, each run in the e500 lab by the static
# pvexit-launch; the verdicts, the exits per op the class table and
# cases.def promise, the kvm_booke:kvm_exit counts held to the stats,
# and a guest crash and a hang reported as failures.
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 1

PVEXIT=${PVEXIT:-$T_ROOT/build/host/bin/pvexit}
need_pvexit "e500 guest: tests" || exit 0
E500=$(lab/e500/build dir)
launch=$(dirname "$PVEXIT")/../../e500/bin/pvexit-launch
if [ ! -f "$E500/e500.env" ]; then
	skip "e500 guest: every BookE class in the e500 lab" "no e500 lab in $E500: run 'make lab-e500'"
	exit 0
fi
if [ ! -x "$launch" ]; then
	skip "e500 guest: every BookE class in the e500 lab" "no static pvexit-launch ($launch): run 'make lab-e500 build'"
	exit 0
fi

R=$T_TMP/e500.json
name="e500 guest: every class, one run, exit 0"
run "$PVEXIT" run --guest e500 -n 512 -f 4096 --no-progress -o "$R"
check_status "$name" 0 && pass "$name"

py_check "e500 guest: every row as the class table and cases.def promise" - "$R" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
bad = []
if r["host"]["kvm"] != "e500v2" or not r["host"]["lab"] or r["host"]["machine"] != "ppc":
    bad.append("host %r" % r["host"])
if r["time_unit"] != "insn":
    bad.append("time_unit %s" % r["time_unit"])
# Emulation exits/op per class/case and variant: raw traps once,
# patched never, except the scenarios that still exit; SPRG4R-7R never
# trap on BookE.
still = {"mtmsr/ee-pending": 1, "mtmsr/other-bit": 1, "wrtee/ee-pending": 1,
         "wrteei1/ee-pending": 1}
seen = set()
for row in r["rows"]:
    label = row["class"] + ("/" + row["case"] if row["case"] else "")
    seen.add(row["class"])
    if row["guest"] != "e500":
        bad.append("%s: guest %s" % (label, row["guest"]))
    if row["verdict"] != "ok":
        bad.append("%s %s: %s" % (label, row["variant"], row["verdict"]))
    quiet = row["class"] in ("mfsprg4r", "mfsprg5r", "mfsprg6r", "mfsprg7r")
    want = {"raw": 0 if quiet else 1, "patched": still.get(label, 0), "baseline": 0}[row["variant"]]
    # exits_per_op counts the rfi of each interrupt taken as well.
    want += row["irq_per_op"]
    if abs(row["exits_per_op"] - want) > 1e-9:
        bad.append("%s %s: %.3f exits/op, want %d" % (label, row["variant"], row["exits_per_op"], want))
    for c in row["checks"]:
        if not c["pass"]:
            bad.append("%s: check %s failed" % (label, c.get("what")))
for c in ("wrtee", "wrteei0", "wrteei1", "mfmas0", "mfmas7", "mtmas3", "mfesr", "mtdear",
          "mfpir-booke", "mfsprg4r", "mtsprg7", "mfmsr", "mtmsr", "tlbsync"):
    if c not in seen:
        bad.append("no rows for %s" % c)
print("\n".join(bad[:8]))
PY

py_check "e500 guest: the kvm_booke:kvm_exit counts equal the stats in every row" - "$R" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
bad, n = [], 0
for row in r["rows"]:
    c = {x["name"]: x for x in row["counters"]}
    st, tr = c.get("stats", {}), c.get("trace", {})
    where = "%s/%s %s" % (row["class"], row["case"], row["variant"])
    if not st.get("available") or not tr.get("available"):
        bad.append("%s: stats %s, trace %s" % (where, st.get("why"), tr.get("why")))
        continue
    n += 1
    # Emulation exits per op, and every exit: the tracepoint counts all
    # of them, the stats by type (the launcher sums them on BookE).
    if tr["exits_per_op"] != st["exits_per_op"]:
        bad.append("%s: trace %s emulation exits/op, stats %s" % (where, tr["exits_per_op"], st["exits_per_op"]))
    if tr["raw"].get("exits", 0) != st["raw"].get("sum_exits", 0):
        bad.append("%s: trace %s exits, stats sum_exits %s" % (where, tr["raw"].get("exits"), st["raw"].get("sum_exits")))
if not n:
    bad.append("no row has both counts")
print("\n".join(bad[:8]))
PY

name="e500 guest: a crash is a failure with one line naming the interrupt"
run "$PVEXIT" run --guest e500 --class mfmas1 -n 64 -f 64 --no-progress --guest-arg fault=jump0
if check_status "$name" 1; then
	if grep -q 'error: e500 guest run: the guest crashed: PROGRAM interrupt (IVOR6) at 0x0' "$T_TMP/err"; then
		pass "$name"
	else
		fail "$name" "stderr: $(head -c 400 "$T_TMP/err" | tr '\n' '|')"
	fi
fi

name="e500 guest: a hang is ended by the watchdog"
run "$PVEXIT" run --guest e500 --class mfmas1 -n 64 -f 64 --no-progress --timeout 3 --guest-arg fault=spin
if check_status "$name" 1; then
	if grep -q 'error: e500 guest run: watchdog: the guest did not finish within 3 s' "$T_TMP/err"; then
		pass "$name"
	else
		fail "$name" "stderr: $(head -c 400 "$T_TMP/err" | tr '\n' '|')"
	fi
fi
