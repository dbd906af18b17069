# SPDX-License-Identifier: GPL-2.0-only
# pvexit report and pvexit compare on the results fixtures (no lab): the
# table's figures against the fixture's own numbers, the machine-readable
# forms, compare's verdicts and exit statuses, and bad input.
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 1

PVEXIT=${PVEXIT:-$T_ROOT/build/host/bin/pvexit}
FIXDIR=$T_ROOT/tests/fixtures/results
FIX=$FIXDIR/lab-le-be.json
SLOW=$FIXDIR/slower-mfmsr.json
INCOMPLETE=$FIXDIR/incomplete.json
need_pvexit "report: tests" "$FIX" "$SLOW" "$INCOMPLETE" || exit 0

# py NAME SCRIPT ARGS...: a check written in Python (py_check).
py() {
	local name=$1
	shift
	py_check "$name" -c "$@"
}

# --- report ---------------------------------------------------------------

run "$PVEXIT" report "$FIX"
if check_status "report: fixture" 0; then
	if [ -s "$T_TMP/err" ]; then
		fail "report: fixture" "said on stderr: $(head -c 300 "$T_TMP/err")"
	else
		pass "report: fixture"
	fi
	cp "$T_TMP/out" "$T_TMP/report.txt"
	# The header names the host, the revision, the date, lab and completeness.
	if grep -q '^results: .*lab-le-be.json (schema 1, 42 rows, complete)' "$T_TMP/report.txt" &&
		grep -q '^host: .*kernel 6.1.176-pvexit-lab, ppc64le, .*pvr 0x004d0200, kvm pr' "$T_TMP/report.txt" &&
		grep -q '^lab: *yes' "$T_TMP/report.txt" &&
		grep -q '^run: *2026-11-24T09:12:41Z, pvexit 0.6.0, git v0.6.0-12-g3f2c1e9, suite default' "$T_TMP/report.txt"; then
		pass "report: header"
	else
		fail "report: header" "$(head -n 5 "$T_TMP/report.txt" | tr '\n' '|')"
	fi
	# Each class/guest line's speedup is the fixture's raw median over its
	# patched median, printed with four significant digits.
	py "report: speedup lines" '
import json, math, re, sys
d = json.load(open(sys.argv[1])); text = open(sys.argv[2]).read().split("\nheadline")[0].splitlines()
med = {}
for r in d["rows"]:
    label = r["class"] + ("/" + r["case"] if r["case"] else "")
    med[(label, r["guest"], r["variant"])] = r["ns_per_op"]["median"]
def four(v):
    dec = min(6, max(0, 3 - math.floor(math.log10(abs(v)))))
    return "%.*f" % (dec, v)
n = 0
for (label, guest, variant), raw in med.items():
    if variant != "raw" or (label, guest, "patched") not in med:
        continue
    want = four(raw / med[(label, guest, "patched")]) + "x"
    lines = [l for l in text if re.match(re.escape(label) + r" +" + guest + r" ", l)]
    if len(lines) != 1:
        print("%d lines for %s %s" % (len(lines), label, guest)); continue
    if " " + want + " " not in lines[0]:
        print("%s %s: no %s in: %s" % (label, guest, want, lines[0]))
    n += 1
if n != 14:
    print("checked %d speedups, want 14" % n)
' "$FIX" "$T_TMP/report.txt"
	# mtmsr/ee-pending delivers one interrupt per op in both variants.
	if grep -qE '^mtmsr/ee-pending +be .* 1\.000/1\.000 +ok$' "$T_TMP/report.txt" &&
		grep -qE '^mfmsr +be .* 1\.000 +0\.000 +1\.000 +- +ok$' "$T_TMP/report.txt"; then
		pass "report: exits saved and irq/op"
	else
		fail "report: exits saved and irq/op" "$(grep -E '^(mfmsr|mtmsr/ee-pending) +be ' "$T_TMP/report.txt" | tr '\n' '|')"
	fi
	# Five repetitions cannot give 95%: the table says so.
	if grep -q '^\* fewer than 6 repetitions' "$T_TMP/report.txt" &&
		grep -qE '^mfmsr +be +19005 \[18917, 19110\]\* +0\.7007 \[0\.6970, 0\.7131\]\*' "$T_TMP/report.txt"; then
		pass "report: medians, intervals and their coverage note"
	else
		fail "report: medians, intervals and their coverage note" "$(grep -E '^mfmsr +be ' "$T_TMP/report.txt")"
	fi
fi

run "$PVEXIT" report "$FIX" --csv
if check_status "report --csv" 0; then
	cp "$T_TMP/out" "$T_TMP/report.csv"
	py "report --csv: every row has the header's columns" '
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
if len(rows) != 15: print("%d lines, want a header and 14 rows" % len(rows))
if len(rows[0]) != 22: print("%d columns in the header, want 22" % len(rows[0]))
bad = [i for i, r in enumerate(rows) if len(r) != len(rows[0])]
if bad: print("lines with another column count: %s" % bad)
' "$T_TMP/report.csv"
	py "report --csv: figures" '
import csv, json, sys
d = json.load(open(sys.argv[2]))
rows = list(csv.DictReader(open(sys.argv[1])))
r = [x for x in rows if x["label"] == "mfmsr" and x["guest"] == "le"][0]
raw = [x for x in d["rows"] if (x["class"], x["case"], x["variant"], x["guest"]) == ("mfmsr", "", "raw", "le")][0]
pat = [x for x in d["rows"] if (x["class"], x["case"], x["variant"], x["guest"]) == ("mfmsr", "", "patched", "le")][0]
want = raw["ns_per_op"]["median"] / pat["ns_per_op"]["median"]
if abs(float(r["speedup"]) / want - 1) > 1e-8: print("speedup %s, want %r" % (r["speedup"], want))
if float(r["raw_ci_low"]) != raw["ns_per_op"]["ci_low"]: print("raw ci_low " + r["raw_ci_low"])
if float(r["exits_saved_per_op"]) != 1: print("exits saved " + r["exits_saved_per_op"])
if r["verdict"] != "ok" or r["failures"] != "": print("verdict %r failures %r" % (r["verdict"], r["failures"]))
e = [x for x in rows if x["label"] == "mtmsr/ee" and x["guest"] == "be"][0]
if e["case"] != "ee" or e["class"] != "mtmsr": print("class/case %r/%r" % (e["class"], e["case"]))
' "$T_TMP/report.csv" "$FIX"
fi

run "$PVEXIT" report --json "$FIX"
if check_status "report --json" 0; then
	cp "$T_TMP/out" "$T_TMP/report.json"
	if ! have_python; then
		skip "report --json: parses" "python3 is not installed"
	elif python3 -m json.tool "$T_TMP/report.json" >/dev/null 2>"$T_TMP/jerr"; then
		pass "report --json: parses"
	else
		fail "report --json: parses" "$(cat "$T_TMP/jerr")"
	fi
	# The same table: the JSON rows hold what the CSV rows hold.
	py "report --json: the --csv table" '
import csv, json, sys
j = json.load(open(sys.argv[1])); c = list(csv.DictReader(open(sys.argv[2])))
if j["complete"] is not True or j["host"]["lab"] is not True: print("complete/lab")
if len(j["rows"]) != len(c): print("%d json rows, %d csv rows" % (len(j["rows"]), len(c)))
for a, b in zip(j["rows"], c):
    if list(a.keys()) != list(b.keys()): print("columns differ"); break
    for k in a:
        v = a[k]
        if v is None: v = ""
        elif isinstance(v, float): v = repr(v)
        if isinstance(a[k], float) and abs(a[k] - float(b[k])) <= 1e-9 * abs(a[k]): continue
        if str(v) != b[k]: print("%s %s: json %r csv %r" % (a["label"], k, v, b[k]))
' "$T_TMP/report.json" "$T_TMP/report.csv"
fi

# Every machine-readable column is named in --help and in the man page.
run "$PVEXIT" report --help
if check_status "report --help" 0 && [ -f "$T_TMP/report.csv" ]; then
	missing=
	for col in $(head -n 1 "$T_TMP/report.csv" | tr ',' ' '); do
		grep -qw -- "$col" "$T_TMP/out" || missing="$missing help:$col"
		grep -q -- "^\.B $col\$\|^\.BR $col " docs/man/pvexit.1 || missing="$missing man:$col"
	done
	if [ -z "$missing" ]; then
		pass "report: columns documented in --help and the man page"
	else
		fail "report: columns documented in --help and the man page" "missing:$missing"
	fi
fi

run "$PVEXIT" report "$INCOMPLETE"
if check_status "report: incomplete file" 0; then
	if [ "$(wc -l <"$T_TMP/err")" -eq 1 ] && grep -q 'warning: .*incomplete' "$T_TMP/err" &&
		grep -q '^results: .*INCOMPLETE' "$T_TMP/out" && grep -qE '^mfmsr +be ' "$T_TMP/out"; then
		pass "report: incomplete file"
	else
		fail "report: incomplete file" "stderr: $(tr '\n' '|' <"$T_TMP/err") stdout: $(head -n 1 "$T_TMP/out")"
	fi
fi

# A failed verdict and a failed check: the line says FAIL, the failures
# follow the table, and the CSV carries both.
if have_python; then
	python3 - "$FIX" "$T_TMP/failed.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
for r in d["rows"]:
    if (r["class"], r["case"], r["variant"], r["guest"]) == ("mtsrr0", "", "patched", "le"):
        r["verdict"] = "FAIL: 1.000 emulation exits per op, want 0"
        r["checks"] = [{"what": "patched store seen by the trapping read", "pass": False,
                        "seen": "0x0", "want": "0x123456789abcdef"}]
json.dump(d, open(sys.argv[2], "w"), indent=1)
EOF
	want='patched: FAIL: 1.000 emulation exits per op, want 0; patched check patched store seen by the trapping read: seen 0x0, want 0x123456789abcdef'
	run "$PVEXIT" report "$T_TMP/failed.json"
	if check_status "report: failures" 0; then
		if grep -qE '^mtsrr0 +le .* FAIL$' "$T_TMP/out" && [ "$(grep -cE ' FAIL$' "$T_TMP/out")" -eq 1 ] &&
			grep -qxF "  mtsrr0 le: $want" "$T_TMP/out"; then
			pass "report: failures"
		else
			fail "report: failures" "$(grep -E 'FAIL|failures' "$T_TMP/out" | tr '\n' '|')"
		fi
	fi
	run "$PVEXIT" report --csv "$T_TMP/failed.json"
	if check_status "report --csv: failures" 0; then
		if grep -qF "FAIL,\"$want\"" "$T_TMP/out"; then
			pass "report --csv: failures"
		else
			fail "report --csv: failures" "$(grep FAIL "$T_TMP/out")"
		fi
	fi
else
	skip "report: failures" "python3 is not installed"
fi

# --- compare --------------------------------------------------------------

run "$PVEXIT" compare "$FIX" "$FIX"
if check_status "compare: a file with itself" 0; then
	if grep -q '^42 rows compared: 0 regressed, 0 improved, 42 same; 0 only in A, 0 only in B$' "$T_TMP/out" &&
		[ "$(grep -cE ' same$' "$T_TMP/out")" -eq 42 ]; then
		pass "compare: a file with itself"
	else
		fail "compare: a file with itself" "$(tail -n 1 "$T_TMP/out")"
	fi
fi

run "$PVEXIT" compare "$FIX" "$SLOW"
if check_status "compare: mfmsr patched slower" 1; then
	if grep -qE '^mfmsr +be +patched .* regressed$' "$T_TMP/out" &&
		grep -qE '^mfmsr +le +patched .* regressed$' "$T_TMP/out" &&
		[ "$(grep -c 'regressed' "$T_TMP/out")" -eq 3 ] &&
		grep -q '^42 rows compared: 2 regressed, 0 improved, 40 same' "$T_TMP/out"; then
		pass "compare: mfmsr patched slower"
	else
		fail "compare: mfmsr patched slower" "$(grep -E 'regressed|rows compared' "$T_TMP/out" | tr '\n' '|')"
	fi
fi

run "$PVEXIT" compare "$FIX" "$SLOW" --json
if check_status "compare --json" 1; then
	cp "$T_TMP/out" "$T_TMP/compare.json"
	py "compare --json: verdicts" '
import json, sys
j = json.load(open(sys.argv[1]))
reg = sorted((r["label"], r["variant"], r["guest"]) for r in j["rows"] if r["verdict"] == "regressed")
if reg != [("mfmsr", "patched", "be"), ("mfmsr", "patched", "le")]: print("regressed: %s" % reg)
for r in j["rows"]:
    if (r["label"], r["variant"]) == ("mfmsr", "patched"):
        if not (r["significant"] and r["delta_ci_low"] <= r["delta_pct"] <= r["delta_ci_high"] and r["delta_ci_low"] > 5):
            print("mfmsr patched %s: %r" % (r["guest"], r))
        if r["time_verdict"] != "regressed" or r["exits_verdict"] != "same": print("verdicts %r" % r)
    elif r["verdict"] != "same": print("%s %s %s: %s" % (r["label"], r["variant"], r["guest"], r["verdict"]))
s = j["summary"]
if (s["compared"], s["regressed"], s["same"], s["only_in_a"], s["only_in_b"]) != (42, 2, 40, 0, 0): print(s)
if j["threshold_pct"] != 5: print("threshold %r" % j["threshold_pct"])
' "$T_TMP/compare.json"
fi

run "$PVEXIT" compare --threshold 50 "$FIX" "$SLOW"
if check_status "compare --threshold 50" 0; then
	if grep -q '^42 rows compared: 0 regressed, 0 improved, 42 same' "$T_TMP/out"; then
		pass "compare --threshold 50"
	else
		fail "compare --threshold 50" "$(tail -n 1 "$T_TMP/out")"
	fi
fi

# B faster than A: the same two rows improve, and that is no failure.
run "$PVEXIT" compare "$SLOW" "$FIX"
if check_status "compare: improved" 0; then
	if grep -q '^42 rows compared: 0 regressed, 2 improved, 40 same' "$T_TMP/out"; then
		pass "compare: improved"
	else
		fail "compare: improved" "$(tail -n 1 "$T_TMP/out")"
	fi
fi

# An exit more per op is a regression whatever the times say.
if have_python; then
	python3 - "$FIX" "$T_TMP/more-exits.json" "$T_TMP/fewer-rows.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
for r in d["rows"]:
    if (r["class"], r["case"], r["variant"], r["guest"]) == ("tlbsync", "", "patched", "be"):
        r["exits_per_op"] = 1.0
json.dump(d, open(sys.argv[2], "w"), indent=1)
d = json.load(open(sys.argv[1]))
d["rows"] = [r for r in d["rows"] if r["class"] != "mtsrr0"]
json.dump(d, open(sys.argv[3], "w"), indent=1)
EOF
	run "$PVEXIT" compare "$FIX" "$T_TMP/more-exits.json"
	if check_status "compare: more exits per op" 1; then
		if grep -qE '^tlbsync +be +patched .* 0\.000 +1\.000 regressed \(exits\)$' "$T_TMP/out" &&
			grep -q '^42 rows compared: 1 regressed' "$T_TMP/out"; then
			pass "compare: more exits per op"
		else
			fail "compare: more exits per op" "$(grep -E 'tlbsync +be +patched|rows compared' "$T_TMP/out" | tr '\n' '|')"
		fi
	fi
	run "$PVEXIT" compare "$FIX" "$T_TMP/fewer-rows.json"
	if check_status "compare: rows in one file only" 0; then
		if [ "$(grep -c '^only in A: mtsrr0 ' "$T_TMP/out")" -eq 6 ] &&
			grep -q '^only in A: mtsrr0 le baseline$' "$T_TMP/out" &&
			grep -q '^36 rows compared: 0 regressed, 0 improved, 36 same; 6 only in A, 0 only in B$' "$T_TMP/out"; then
			pass "compare: rows in one file only"
		else
			fail "compare: rows in one file only" "$(grep -E 'only in|rows compared' "$T_TMP/out" | tr '\n' '|')"
		fi
	fi
else
	skip "compare: more exits per op" "python3 is not installed"
	skip "compare: rows in one file only" "python3 is not installed"
fi

# --- bad input --------------------------------------------------------------

printf '{ "schema_version": 1, "rows": [ oops ] }\n' >"$T_TMP/bad.json"
expect_error "report: malformed file" 2 \
	"^pvexit report: error: .*bad.json: line 1 col 34: invalid token near 'oops'" \
	"$PVEXIT" report "$T_TMP/bad.json"
expect_error "report: missing file" 2 "^pvexit report: error: .*nope.json" \
	"$PVEXIT" report "$T_TMP/nope.json"
expect_error "compare: malformed A" 2 "^pvexit compare: error: .*bad.json" \
	"$PVEXIT" compare "$T_TMP/bad.json" "$FIX"
expect_error "compare: malformed B" 2 "^pvexit compare: error: .*bad.json" \
	"$PVEXIT" compare "$FIX" "$T_TMP/bad.json"
expect_error "compare: missing file" 2 "^pvexit compare: error: .*nope.json" \
	"$PVEXIT" compare "$FIX" "$T_TMP/nope.json"
expect_error "report: unknown option" 2 "unknown option '--frobnicate'" \
	"$PVEXIT" report --frobnicate "$FIX"
expect_error "report: no file" 2 "which results file" "$PVEXIT" report
expect_error "report: two files" 2 "unexpected argument" "$PVEXIT" report "$FIX" "$FIX"
expect_error "report: --json and --csv" 2 "exclude each other" "$PVEXIT" report --json --csv "$FIX"
expect_error "compare: unknown option" 2 "unknown option '--frobnicate'" \
	"$PVEXIT" compare --frobnicate "$FIX" "$FIX"
expect_error "compare: one file" 2 "two results files" "$PVEXIT" compare "$FIX"
expect_error "compare: three files" 2 "unexpected argument" "$PVEXIT" compare "$FIX" "$FIX" "$FIX"
expect_error "compare: bad --threshold" 2 "--threshold wants a percentage" \
	"$PVEXIT" compare --threshold 5% "$FIX" "$FIX"
expect_error "compare: negative --threshold" 2 "--threshold wants a percentage" \
	"$PVEXIT" compare --threshold -1 "$FIX" "$FIX"
expect_error "compare: --threshold without value" 2 "needs a value" \
	"$PVEXIT" compare "$FIX" "$FIX" --threshold
run "$PVEXIT" compare --help
if check_status "compare --help" 0 && grep -q 'Exit status: 0 nothing regressed, 1 a row regressed' "$T_TMP/out"; then
	pass "compare --help"
else
	fail "compare --help" "no exit statuses in: $(head -c 200 "$T_TMP/out")"
fi

# --- a full standard output -------------------------------------------------
# Every form checks its writes: one error line that says why, a failing status.

if [ -w /dev/full ]; then
	lost_stdout "report --json: a full disk" full 2 report --json "$FIX"
	lost_stdout "report --csv: a full disk" full 2 report --csv "$FIX"
	lost_stdout "report: a full disk" full 2 report "$FIX"
	lost_stdout "compare --json: a full disk" full 2 compare --json "$FIX" "$SLOW"
	lost_stdout "compare: a full disk" full 2 compare "$FIX" "$SLOW"
else
	skip "report and compare: a full disk" "no writable /dev/full"
fi
