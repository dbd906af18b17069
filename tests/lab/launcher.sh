# SPDX-License-Identifier: GPL-2.0-only
# pvexit run on the lab: detection and the magic page in both byte
# orders, mfmsr's exits and check, and failures reported as failures.
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 1

pvexit=build/host/bin/pvexit
if ! lab_built; then
	skip "pvexit run: lab tests" "no lab: run 'make lab'"
	exit 0
fi
if [ ! -x "$pvexit" ] || [ ! -x build/ppc64le/bin/pvexit ]; then
	fail "pvexit run: lab tests" "pvexit is not built: run 'make build'"
	exit 0
fi

# Rows of the class table for guest $1 (be, le, be32), and their count.
rows() {
	awk -v e="$1" '$2 == e && ($3 == "raw" || $3 == "patched" || $3 == "baseline")' "$T_TMP/out"
}
# col GUEST LABEL VARIANT COLUMN: one value of one row.
col() {
	awk -v e="$1" -v l="$2" -v v="$3" -v c="$4" '$1 == l && $2 == e && $3 == v { print $c }' "$T_TMP/out"
}

run "$pvexit" run --iterations 640 --fast-iterations 64000
if check_status "pvexit run: every class in all three guests" 0; then
	pass "pvexit run: every class in all three guests"
fi
if grep -q 'no KVM PR on this machine.*running inside the lab' "$T_TMP/err"; then
	pass "pvexit run: says in one line that it runs in the lab"
elif [ "$(uname -m)" = ppc64le ]; then
	skip "pvexit run: says in one line that it runs in the lab" "this is a PowerPC host"
else
	fail "pvexit run: says in one line that it runs in the lab" "$(head -n 2 "$T_TMP/err" | tr '\n' '|')"
fi
n=$(grep -c 'detection: kvm 1, hcall-instructions 4, KVM_HC_FEATURES 0x2 (status 0)' "$T_TMP/out")
[ "$n" -eq 3 ] && pass "pvexit run: every guest finds KVM and its hypercall" ||
	fail "pvexit run: every guest finds KVM and its hypercall" "$n of 3 detection lines"
n=$(grep -c 'magic page: map status 0, features 0x3, self-test 1' "$T_TMP/out")
[ "$n" -eq 3 ] && pass "pvexit run: every guest maps the magic page and it reads back the MSR" ||
	fail "pvexit run: every guest maps the magic page and it reads back the MSR" "$n of 3"
n=$(grep -c 'sites rewritten' "$T_TMP/out")
bad=$(grep -c 'left trapping' "$T_TMP/out")
[ "$n" -eq 3 ] && [ "$bad" -eq 0 ] && pass "pvexit run: the patcher rewrites every site it finds" ||
	fail "pvexit run: the patcher rewrites every site it finds" "$n reports, $bad skips"

# Scenarios per guest (cases.def over the classes each guest runs), three
# variants each: 64-bit 27 (19 one-word classes, mtmsrd1 x2, mtmsr x3,
# mtmsrd0 x3), 32-bit 23 (19 one-word, mtmsr x3, mtsrin); and the value
# checks: 64-bit 34, 32-bit 31.  A row or check that goes missing fails.
for g in be:81:34 le:81:34 be32:69:31; do
	e=${g%%:*}
	want_rows=${g#*:}
	want_rows=${want_rows%%:*}
	want_checks=${g##*:}
	got=$(rows "$e" | wc -l)
	ok=$(rows "$e" | awk '$NF == "ok"' | wc -l)
	[ "$got" -eq "$want_rows" ] && [ "$ok" -eq "$got" ] &&
		pass "pvexit run ($e): $want_rows rows, every verdict ok" ||
		fail "pvexit run ($e): $want_rows rows, every verdict ok" "$got rows, $ok ok: $(rows "$e" | awk '$NF != "ok"' | head -n 2 | tr '\n' '|')"
	got=$(grep -cE "^check [^ ]+ +$e " "$T_TMP/out")
	ok=$(grep -E "^check [^ ]+ +$e " "$T_TMP/out" | grep -c ': ok (')
	[ "$got" -eq "$want_checks" ] && [ "$ok" -eq "$got" ] &&
		pass "pvexit run ($e): $want_checks value checks pass" ||
		fail "pvexit run ($e): $want_checks value checks pass" "$got checks, $ok ok"
done

# The BPF collector ran for every row, and its verdicts include the
# agreement of its emulation exits with the stats' (column 10).
n=$(awk '($3 == "raw" || $3 == "patched" || $3 == "baseline") && $10 !~ /^[0-9.]+$/' "$T_TMP/out" | wc -l)
m=$(awk '($3 == "raw" || $3 == "patched" || $3 == "baseline") && $10 != "-" && $10 == $6' "$T_TMP/out" | wc -l)
[ "$n" -eq 0 ] && [ "$m" -eq $((81 + 81 + 69)) ] &&
	pass "pvexit run: the BPF collector counts every row, equal to the vCPU stats" ||
	fail "pvexit run: the BPF collector counts every row, equal to the vCPU stats" "$n rows without, $m agreeing; $(grep -i bpf "$T_TMP/err" | head -n 1)"

# The numbers the issue names, read back from the table.
for e in be le be32; do
	[ "$(col "$e" mfmsr raw 6)" = 1.000 ] && [ "$(col "$e" mfmsr patched 6)" = 0.000 ] &&
		pass "pvexit run ($e): mfmsr raw 1.000, patched 0.000 exits/op" ||
		fail "pvexit run ($e): mfmsr raw 1.000, patched 0.000 exits/op" \
			"$(col "$e" mfmsr raw 6) / $(col "$e" mfmsr patched 6)"
	[ "$(col "$e" mtmsr/ee patched 6)" = 0.000 ] &&
		[ "$(col "$e" mtmsr/ee-pending patched 6)" = 2.000 ] &&
		[ "$(col "$e" mtmsr/ee-pending patched 7)" = 1.000 ] &&
		[ "$(col "$e" mtmsr/other-bit patched 6)" = 1.000 ] &&
		pass "pvexit run ($e): mtmsr trampoline paths cost 0, 1 (+1 interrupt), 1 exits/op" ||
		fail "pvexit run ($e): mtmsr trampoline paths cost 0, 1 (+1 interrupt), 1 exits/op" \
			"$(rows "$e" | grep '^mtmsr/' | tr -s ' ' | tr '\n' '|')"
done
[ "$(col be32 mtsrin patched 6)" = 0.000 ] && [ "$(col be32 mtsrin raw 6)" = 1.000 ] &&
	pass "pvexit run (be32): mtsrin raw 1.000, patched 0.000 exits/op" ||
	fail "pvexit run (be32): mtsrin raw 1.000, patched 0.000 exits/op" "$(rows be32 | grep mtsrin | tr '\n' '|')"

name="pvexit run: a payload that jumps to 0 is a failure"
run "$pvexit" run -e be --guest-arg fault=jump0
if check_status "$name" 1; then
	grep -q 'error: be guest run: the guest crashed: PROGRAM interrupt (vector 0x700) at 0x0,' "$T_TMP/err" &&
		pass "$name" || fail "$name" "$(grep error: "$T_TMP/err" | head -n 1)"
fi

name="pvexit run: a payload that spins is stopped by the watchdog"
start=$SECONDS
run "$pvexit" run -e le --timeout 5 --guest-arg fault=spin
took=$((SECONDS - start))
if check_status "$name" 1; then
	if ! grep -q 'error: le guest run: watchdog: the guest did not finish within 5 s' "$T_TMP/err"; then
		fail "$name" "$(grep error: "$T_TMP/err" | head -n 1)"
	elif [ "$took" -gt 60 ]; then
		fail "$name" "took $took s for a 5 s watchdog"
	else
		pass "$name"
	fi
fi
