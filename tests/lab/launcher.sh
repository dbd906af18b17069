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

# field ENDIAN VARIANT COLUMN: one column of a class-table row of mfmsr.
field() {
	awk -v e="$1" -v v="$2" -v c="$3" '$1 == "mfmsr" && $2 == e && $3 == v { print $c }' "$T_TMP/out"
}

run "$pvexit" run --class mfmsr --iterations 4000 --fast-iterations 400000
if check_status "pvexit run: mfmsr in both byte orders" 0; then
	pass "pvexit run: mfmsr in both byte orders"
fi
if grep -q 'no KVM PR on this machine.*running inside the lab' "$T_TMP/err"; then
	pass "pvexit run: says in one line that it runs in the lab"
elif [ "$(uname -m)" = ppc64le ]; then
	skip "pvexit run: says in one line that it runs in the lab" "this is a PowerPC host"
else
	fail "pvexit run: says in one line that it runs in the lab" "$(head -n 2 "$T_TMP/err" | tr '\n' '|')"
fi
for e in be le; do
	n=$(grep -c 'detection: kvm 1, hcall-instructions 4, KVM_HC_FEATURES 0x2 (status 0)' "$T_TMP/out")
	[ "$n" -eq 2 ] && pass "pvexit run ($e): finds KVM and its hypercall" ||
		fail "pvexit run ($e): finds KVM and its hypercall" "$n of 2 detection lines"
	block=$(awk -v e="$e" '/^== /{on = ($0 ~ (e == "be" ? "big" : "little"))} on' "$T_TMP/out")
	if printf '%s\n' "$block" | grep -q 'magic page: map status 0, features 0x3, self-test 1'; then
		pass "pvexit run ($e): maps the magic page and it reads back the MSR"
	else
		fail "pvexit run ($e): maps the magic page and it reads back the MSR" \
			"$(printf '%s\n' "$block" | grep 'magic page' | head -n 1)"
	fi
	raw=$(field "$e" raw 6)
	pv=$(field "$e" patched 6)
	[ "$raw" = 1.000 ] && [ "$(field "$e" raw 9)" = ok ] &&
		pass "pvexit run ($e): raw mfmsr is 1.000 emulation exits/op" ||
		fail "pvexit run ($e): raw mfmsr is 1.000 emulation exits/op" "got '$raw'"
	[ "$pv" = 0.000 ] && [ "$(field "$e" patched 9)" = ok ] &&
		pass "pvexit run ($e): patched mfmsr is 0.000 emulation exits/op" ||
		fail "pvexit run ($e): patched mfmsr is 0.000 emulation exits/op" "got '$pv'"
	grep -q "^check mfmsr  *$e  *patched value equals trapping value: ok" "$T_TMP/out" &&
		pass "pvexit run ($e): patched and trapping mfmsr give the same MSR" ||
		fail "pvexit run ($e): patched and trapping mfmsr give the same MSR" \
			"$(grep "^check mfmsr  *$e" "$T_TMP/out")"
done

name="pvexit run: a payload that jumps to 0 is a failure"
run "$pvexit" run -e be --guest-arg fault=jump0
if check_status "$name" 1; then
	grep -q 'error: be-endian run: the guest crashed: PROGRAM interrupt (vector 0x700) at 0x0,' "$T_TMP/err" &&
		pass "$name" || fail "$name" "$(grep error: "$T_TMP/err" | head -n 1)"
fi

name="pvexit run: a payload that spins is stopped by the watchdog"
start=$SECONDS
run "$pvexit" run -e le --timeout 5 --guest-arg fault=spin
took=$((SECONDS - start))
if check_status "$name" 1; then
	if ! grep -q 'error: le-endian run: watchdog: the guest did not finish within 5 s' "$T_TMP/err"; then
		fail "$name" "$(grep error: "$T_TMP/err" | head -n 1)"
	elif [ "$took" -gt 60 ]; then
		fail "$name" "took $took s for a 5 s watchdog"
	else
		pass "$name"
	fi
fi
