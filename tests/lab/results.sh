# SPDX-License-Identifier: GPL-2.0-only
# pvexit run -o in the lab: a results file that round-trips through
# pvexit report, repetitions with CIs, the BPF counter beside the stats,
# suite files, and an interrupted run that leaves no half-written file.
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 1

pvexit=${PVEXIT:-build/host/bin/pvexit}
if ! lab_built; then
	skip "pvexit run -o: lab tests" "no lab: run 'make lab'"
	exit 0
fi
if [ ! -x "$pvexit" ] || [ ! -x build/ppc64le/bin/pvexit ]; then
	fail "pvexit run -o: lab tests" "pvexit is not built: run 'make build'"
	exit 0
fi

# py EXPR...: evaluate Python on the results file $T_TMP/r.json (as r).
py() {
	python3 -c "import json,sys; r=json.load(open('$T_TMP/r.json')); $1"
}

name="pvexit run -o: results file and CSV written"
run "$pvexit" run --class mfmsr,mtmsr --endian le --bits 64 --reps 3 -n 640 -f 64000 \
	-o "$T_TMP/r.json"
if check_status "$name" 0; then
	[ -s "$T_TMP/r.json" ] && [ -s "$T_TMP/r.csv" ] && pass "$name" ||
		fail "$name" "$(ls "$T_TMP")"
fi
if [ -s "$T_TMP/r.json" ]; then
	name="pvexit run -o: schema 2, complete, the lab host described, counted in instructions (icount)"
	got=$(py "h=r['host']; print(r['schema_version'], r['complete'], h['lab'], h['kvm'], h['machine'], h['pvr'], r['time_unit'])")
	[ "$got" = "2 True True pr ppc64le 0x004d0200 insn" ] && pass "$name" || fail "$name" "$got"

	name="pvexit run -o: 3 repetitions give 3 samples and a median inside its CI"
	got=$(py "print(sum(1 for x in r['rows'] if len(x['time_samples']) == 3 and x['repetitions'] == 3 and x['time_per_op']['ci_low'] <= x['time_per_op']['median'] <= x['time_per_op']['ci_high']), len(r['rows']))")
	# mfmsr: 3 variants; mtmsr: 3 cases x 3 variants.
	[ "$got" = "12 12" ] && pass "$name" || fail "$name" "$got"

	name="pvexit run -o: bpf and stats agree on every row; mfmsr raw is 1 PROGRAM exit of class mfmsr per op"
	got=$(py "
c = lambda x, n: [k for k in x['counters'] if k['name'] == n][0]
rows = r['rows']
agree = sum(1 for x in rows if c(x, 'bpf')['available'] and c(x, 'bpf')['exits_per_op'] == c(x, 'stats')['exits_per_op'])
m = [x for x in rows if x['class'] == 'mfmsr' and x['variant'] == 'raw'][0]
b = c(m, 'bpf')
print(agree, len(rows), b['by_vector'].get('PROGRAM') == 1, b['by_class'].get('mfmsr') == 1, sum(b['hist']) > 0)")
	[ "$got" = "12 12 True True True" ] && pass "$name" || fail "$name" "$got"

	name="pvexit report reads what pvexit run wrote"
	run "$pvexit" report "$T_TMP/r.json"
	check_status "$name" 0 && grep -q mfmsr "$T_TMP/out" && pass "$name" ||
		fail "$name" "$(head -c 300 "$T_TMP/out" "$T_TMP/err" | tr '\n' '|')"
fi

name="pvexit run --suite: a suite file's groups run, its name recorded"
printf 'suite tiny\nrun classes=mfsprg0 guests=be iterations=640 fast-iterations=64000\nrun classes=mtsrin guests=be32 variants=raw,patched iterations=640 fast-iterations=64000\n' >"$T_TMP/tiny.suite"
run "$pvexit" run --suite "$T_TMP/tiny.suite" -o "$T_TMP/s.json"
if check_status "$name" 0; then
	got=$(python3 -c "import json; r=json.load(open('$T_TMP/s.json')); print(r['suite'], sorted((x['class'], x['guest'], x['variant']) for x in r['rows']))")
	[ "$got" = "tiny [('mfsprg0', 'be', 'baseline'), ('mfsprg0', 'be', 'patched'), ('mfsprg0', 'be', 'raw'), ('mtsrin', 'be32', 'patched'), ('mtsrin', 'be32', 'raw')]" ] &&
		pass "$name" || fail "$name" "$got"
fi

name="pvexit run --no-bpf: the bpf counter is marked unavailable, with the reason"
run "$pvexit" run --class mfmsr --endian be --bits 64 -n 640 -f 64000 --no-bpf -o "$T_TMP/n.json"
if check_status "$name" 0; then
	got=$(python3 -c "import json; r=json.load(open('$T_TMP/n.json')); b=[k for k in r['rows'][0]['counters'] if k['name']=='bpf'][0]; print(b['available'], b.get('why'))")
	[ "$got" = "False --no-bpf" ] && pass "$name" || fail "$name" "$got"
fi

# Interrupted: SIGINT while the lab runs; the results directory must hold
# no results file (or one marked incomplete) and no temporary file.
name="pvexit run: Ctrl-C leaves no half-written results"
mkdir "$T_TMP/int"
# A background job of a script starts with SIGINT ignored, and lab/run (a
# shell script) could not trap it: undo that, as a terminal's job has it.
python3 -c 'import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])' \
	"$pvexit" run --class mfmsr --reps 20 -n 640 -f 64000 -o "$T_TMP/int/r.json" \
	>"$T_TMP/int.out" 2>"$T_TMP/int.err" </dev/null &
pid=$!
for _ in $(seq 1 120); do
	grep -q '^mfmsr ' "$T_TMP/int.out" 2>/dev/null && break
	sleep 0.5
done
kill -INT "$pid"
wait "$pid"
status=$?
left=$(ls -A "$T_TMP/int")
if [ "$status" -ne 130 ]; then
	fail "$name" "exit status $status, want 130; $(tail -n 2 "$T_TMP/int.err" | tr '\n' '|')"
elif [ -z "$left" ]; then
	pass "$name"
elif [ "$left" = "$(printf 'r.csv\nr.json')" ] &&
	python3 -c "import json,sys; sys.exit(json.load(open('$T_TMP/int/r.json'))['complete'] is not False)"; then
	pass "$name"
else
	fail "$name" "left behind: $(echo "$left" | tr '\n' ' ')"
fi
