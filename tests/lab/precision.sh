# SPDX-License-Identifier: GPL-2.0-only
# The lab as an instrument: under QEMU's instruction counter a row's
# figure is emulated instructions per op, so three repetitions made while
# two CPU burners load this machine must agree: every exit-heavy row's 95%
# interval (Student's t over the three samples; three samples are too few
# for a distribution-free 95% interval) within 0.5% of its median.
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 1

pvexit=${PVEXIT:-build/host/bin/pvexit}
name="precision: exit-heavy rows within 0.5% under load"
if ! lab_built; then
	skip "$name" "no lab: run 'make lab'"
	exit 0
fi
if [ ! -x "$pvexit" ] || [ ! -x build/ppc64le/bin/pvexit ]; then
	fail "$name" "pvexit is not built: run 'make build'"
	exit 0
fi

burners=()
for _ in 1 2; do
	(while :; do :; done) &
	burners+=($!)
done
trap 'kill "${burners[@]}" 2>/dev/null; rm -rf "$T_TMP"' EXIT
mkdir -p "$T_TMP/p"
run "$pvexit" run --class mfmsr,mtsrr0,mtmsr --reps 3 -n 16000 -f 400000 \
	--no-progress -o "$T_TMP/p/r.json"
kill "${burners[@]}" 2>/dev/null
if ! check_status "precision: the loaded run" 0; then
	exit 0
fi
pass "precision: the loaded run"
got=$(python3 - "$T_TMP/p/r.json" <<'PY' 2>&1
import json, statistics, sys
t975_2 = 4.302652729911275  # Student's t, 2 degrees of freedom, 97.5%
r = json.load(open(sys.argv[1]))
if r.get("time_unit") != "insn":
    print("time_unit %s, not insn: the lab did not count instructions" % r.get("time_unit"))
    sys.exit()
worst, n = (0, ""), 0
for x in r["rows"]:
    s = x["time_samples"]
    if x["exits_per_op"] < 0.5:
        continue  # a few instructions per op: not what the lab measures
    if len(s) != 3:
        print("%s %s: %d samples" % (x["class"], x["variant"], len(s)))
        sys.exit()
    half = t975_2 * statistics.stdev(s) / 3 ** 0.5
    pct = 100 * half / statistics.median(s)
    n += 1
    worst = max(worst, (pct, "%s/%s %s %s" % (x["class"], x["case"], x["variant"], x["guest"])))
print("%d %.3f %s" % (n, worst[0], worst[1]))
PY
)
read -r rows pct where <<<"$got"
if [[ "$rows" =~ ^[0-9]+$ ]] && [ "$rows" -ge 15 ] &&
	python3 -c "import sys; sys.exit(float(sys.argv[1]) > 0.5)" "$pct" 2>/dev/null; then
	pass "$name ($rows rows, the widest $pct% at $where)"
else
	fail "$name" "$got"
fi
