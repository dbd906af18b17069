# SPDX-License-Identifier: GPL-2.0-only
# pvexit bisect-run without the lab: the exit statuses git bisect run reads
# (0 good, 1 bad, 125 skip, 128 abort), from fake commands that write
# results files derived from the fixtures, and a real git bisect run over
# a small generated history.
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 1

PVEXIT=${PVEXIT:-$T_ROOT/build/host/bin/pvexit}
FIX=$T_ROOT/tests/fixtures/results/lab-le-be.json
need_pvexit "bisect-run: tests" "$FIX" || exit 0
if ! command -v jq >/dev/null; then
	skip "bisect-run: tests" "jq is not installed (make deps)"
	exit 0
fi

BASE=$T_TMP/base.json
cp "$FIX" "$BASE"
# The row every case below measures: mfmsr patched in the le guest.
SEL='.class == "mfmsr" and .case == "" and .variant == "patched" and .guest == "le"'

# derive OUT JQ-UPDATE: the fixture with JQ-UPDATE applied to that row.
derive() {
	jq "(.rows[] | select($SEL)) |= ($2)" "$FIX" >"$1"
}
# The row's time scaled by F, its samples and interval with it.
scale() {
	echo ".ns_samples |= map(. * $1) | .ns_per_op.median *= $1 |
		.ns_per_op.ci_low *= $1 | .ns_per_op.ci_high *= $1"
}

# A fake COMMAND: copy FILE to $PVEXIT_RESULT.
COPY=$T_TMP/copy.sh
cat >"$COPY" <<'EOF'
#!/bin/sh
exec cp "$1" "$PVEXIT_RESULT"
EOF
chmod +x "$COPY"

bisect() {
	run "$PVEXIT" bisect-run --baseline "$BASE" "$@"
}

# expect NAME STATUS STDOUT-PATTERN [ARGS...]: one verdict line on stdout.
expect_verdict() {
	local name=$1 want=$2 pattern=$3
	shift 3
	bisect "$@"
	check_status "$name" "$want" || return
	if [ "$(wc -l <"$T_TMP/out")" -ne 1 ] || ! grep -qE -- "$pattern" "$T_TMP/out"; then
		fail "$name" "want one line matching '$pattern', got: $(tr '\n' '|' <"$T_TMP/out")"
	elif [ -s "$T_TMP/err" ]; then
		fail "$name" "stderr not empty: $(head -c 300 "$T_TMP/err")"
	else
		pass "$name"
	fi
}

# expect_error NAME STATUS PATTERN ARGS...: bisect-run --baseline BASE ARGS,
# then check_error (tests/lib.sh): one error line and no verdict.
expect_error() {
	local name=$1 want=$2 pattern=$3
	shift 3
	bisect "$@"
	check_error "$name" "$want" "$pattern"
}

M=(--metric mfmsr.patched.time_per_op --guest le --threshold 20)

# --- verdicts -----------------------------------------------------------------

expect_verdict "bisect-run: the baseline itself is good" 0 \
	'^mfmsr\.patched\.time_per_op le: baseline [0-9.]+, measured [0-9.]+ .*\+0\.0% \(threshold \+20%\): good$' \
	"${M[@]}" -- "$COPY" "$BASE"

derive "$T_TMP/slow50.json" "$(scale 1.5)"
expect_verdict "bisect-run: 50% slower with a 20% threshold is bad" 1 \
	'\+50\.0% \(threshold \+20%\): bad$' "${M[@]}" -- "$COPY" "$T_TMP/slow50.json"

derive "$T_TMP/slow10.json" "$(scale 1.1)"
expect_verdict "bisect-run: 10% slower with a 20% threshold is good" 0 \
	'\+10\.0% .*: good$' "${M[@]}" -- "$COPY" "$T_TMP/slow10.json"
expect_verdict "bisect-run: 10% slower with a 5% threshold is bad" 1 \
	'\+10\.0% \(threshold \+5%\): bad$' --metric mfmsr.patched.time_per_op --guest le \
	--threshold 5 -- "$COPY" "$T_TMP/slow10.json"

derive "$T_TMP/fast.json" "$(scale 0.5)"
expect_verdict "bisect-run: faster is good" 0 '-50\.0% .*: good$' \
	"${M[@]}" -- "$COPY" "$T_TMP/fast.json"

# The printed interval is the measured row's.
lo=$(jq -r ".rows[] | select($SEL) | .ns_per_op.ci_low" "$T_TMP/slow50.json")
expect_verdict "bisect-run: the verdict line shows the measured CI" 1 \
	"CI $(printf '%.3f' "$lo")\.\." "${M[@]}" -- "$COPY" "$T_TMP/slow50.json"

if [ "$(jq -r ".rows[] | select($SEL) | .exits_per_op" "$FIX")" = 0 ]; then
	X=(--metric mfmsr.patched.exits_per_op --guest le --threshold 20)
	derive "$T_TMP/exits2.json" '.exits_per_op = 0.002'
	expect_verdict "bisect-run: exits_per_op on a zero baseline: +0.002 is bad" 1 \
		'exits_per_op le: baseline 0\.0000, measured 0\.0020, \+0\.0020 on a zero baseline.*: bad$' \
		"${X[@]}" -- "$COPY" "$T_TMP/exits2.json"
	derive "$T_TMP/exits05.json" '.exits_per_op = 0.0005'
	expect_verdict "bisect-run: exits_per_op on a zero baseline: +0.0005 is good" 0 \
		': good$' "${X[@]}" -- "$COPY" "$T_TMP/exits05.json"
else
	fail "bisect-run: exits_per_op on a zero baseline" "the fixture's mfmsr patched le row has exits"
fi

# A non-zero exits baseline is held to the percentage.
jq "(.rows[] | select($SEL)) |= (.exits_per_op = 1)" "$FIX" >"$T_TMP/base-exits1.json"
derive "$T_TMP/exits13.json" '.exits_per_op = 1.3'
run "$PVEXIT" bisect-run --baseline "$T_TMP/base-exits1.json" --metric mfmsr.patched.exits_per_op \
	--guest le --threshold 20 -- "$COPY" "$T_TMP/exits13.json"
name="bisect-run: exits_per_op 1 -> 1.3 with 20% is bad"
if check_status "$name" 1; then
	if grep -q '+30.0% (threshold +20%): bad$' "$T_TMP/out"; then
		pass "$name"
	else
		fail "$name" "$(cat "$T_TMP/out")"
	fi
fi

# A class/case label.
case_row=$(jq -r '[.rows[] | select(.case != "" and .guest == "le" and .verdict == "ok")][0] |
	"\(.class)/\(.case).\(.variant)"' "$FIX")
if [ -n "$case_row" ] && [ "$case_row" != "null/null.null" ]; then
	expect_verdict "bisect-run: a class/case label ($case_row)" 0 "^$case_row\.time_per_op le: .*good$" \
		--metric "$case_row.time_per_op" --guest le --threshold 20 -- "$COPY" "$BASE"
else
	fail "bisect-run: a class/case label" "the fixture has no le row with a case"
fi

# --- cannot test: 125 -----------------------------------------------------------

expect_error "bisect-run: COMMAND fails: 125" 125 \
	"error: cannot test this commit: '/bin/sh' exited with status 3" \
	"${M[@]}" -- /bin/sh -c 'cp "$0" "$PVEXIT_RESULT"; exit 3' "$BASE"
expect_error "bisect-run: COMMAND killed by a signal: 125" 125 \
	"cannot test this commit: .* killed by signal 9" \
	"${M[@]}" -- /bin/sh -c 'kill -9 $$'
expect_error "bisect-run: no results file: 125" 125 \
	"cannot test this commit: 'true' wrote no results file \(PVEXIT_RESULT=.*/result.json\)" \
	"${M[@]}" -- true
printf '{"schema_version": 1, ' >"$T_TMP/truncated.json"
expect_error "bisect-run: an unreadable results file: 125" 125 \
	"cannot test this commit: .*/result\.json: line 1 col" \
	"${M[@]}" -- "$COPY" "$T_TMP/truncated.json"
jq "del(.rows[] | select($SEL))" "$FIX" >"$T_TMP/norow.json"
expect_error "bisect-run: no such row in the results: 125" 125 \
	"cannot test this commit: the results have no row mfmsr patched for guest le" \
	"${M[@]}" -- "$COPY" "$T_TMP/norow.json"
derive "$T_TMP/failed.json" '.verdict = "FAIL: 0.5 exits/op, want 0"'
expect_error "bisect-run: a failed verdict: 125" 125 \
	"cannot test this commit: mfmsr patched le: verdict 'FAIL: 0.5 exits/op, want 0'" \
	"${M[@]}" -- "$COPY" "$T_TMP/failed.json"
derive "$T_TMP/badcheck.json" \
	'.checks = [{"what": "MSR read", "pass": false, "seen": "0x1", "want": "0x2"}]'
expect_error "bisect-run: a failed check: 125" 125 \
	"cannot test this commit: mfmsr patched le: check 'MSR read' failed \(seen 0x1, want 0x2\)" \
	"${M[@]}" -- "$COPY" "$T_TMP/badcheck.json"

# PVEXIT_RESULT: a path that does not exist yet, in a directory removed after.
bisect "${M[@]}" -- /bin/sh -c '[ ! -e "$PVEXIT_RESULT" ] && [ -d "${PVEXIT_RESULT%/*}" ] &&
	echo "$PVEXIT_RESULT" >"$0" && cp "$1" "$PVEXIT_RESULT"' "$T_TMP/seen" "$BASE"
name="bisect-run: PVEXIT_RESULT is fresh and cleaned up"
if check_status "$name" 0; then
	seen=$(cat "$T_TMP/seen" 2>/dev/null)
	if [ -z "$seen" ]; then
		fail "$name" "the command did not see a fresh PVEXIT_RESULT"
	elif [ -e "${seen%/*}" ]; then
		fail "$name" "${seen%/*} is left behind"
	else
		pass "$name"
	fi
fi

# --- abort: 128 -----------------------------------------------------------------

expect_error "bisect-run: COMMAND not found aborts" 128 \
	"cannot run 'no-such-command-here': No such file or directory; aborting the bisect" \
	"${M[@]}" -- no-such-command-here
run "$PVEXIT" bisect-run --metric mfmsr.patched.time_per_op --threshold 20 -- true
check_error "bisect-run: --baseline is required" 128 "--baseline is required"
expect_error "bisect-run: missing --threshold" 128 "--threshold is required" \
	--metric mfmsr.patched.time_per_op -- true
expect_error "bisect-run: missing --metric" 128 "--metric is required" --threshold 5 -- true
expect_error "bisect-run: metric without variant" 128 "--metric wants LABEL.VARIANT.METRIC" \
	--metric mfmsr.time_per_op --threshold 5 -- true
expect_error "bisect-run: unknown metric" 128 "unknown metric 'ns'" \
	--metric mfmsr.patched.ns --threshold 5 -- true
expect_error "bisect-run: unknown variant" 128 "unknown variant 'patch'" \
	--metric mfmsr.patch.time_per_op --threshold 5 -- true
expect_error "bisect-run: unknown class" 128 "unknown class 'mfmsx'" \
	--metric mfmsx.patched.time_per_op --threshold 5 -- true
expect_error "bisect-run: bad --threshold" 128 "--threshold wants a percentage" \
	--metric mfmsr.patched.time_per_op --threshold 20% -- true
expect_error "bisect-run: negative --threshold" 128 "--threshold wants a percentage" \
	--metric mfmsr.patched.time_per_op --threshold -5 -- true
expect_error "bisect-run: bad --guest" 128 "--guest wants be, le, be32 or e500, not 'ppc'" \
	"${M[@]}" --guest ppc -- true
expect_error "bisect-run: unknown option" 128 "unknown option '--frob'" --frob -- true
expect_error "bisect-run: option without a value" 128 "option --threshold needs a value" \
	--metric mfmsr.patched.time_per_op --threshold
expect_error "bisect-run: two guests in the baseline, no --guest" 128 \
	"has mfmsr patched for guests (be, le|le, be): choose one with --guest" \
	--metric mfmsr.patched.time_per_op --threshold 20 -- true
expect_error "bisect-run: no such row in the baseline" 128 \
	"has no row mfmsr patched for guest be32" "${M[@]}" --guest be32 -- true
run "$PVEXIT" bisect-run --baseline "$T_TMP/nope.json" "${M[@]}" -- true
check_error "bisect-run: an unreadable baseline aborts" 128 "error: --baseline: .*nope\.json"
run "$PVEXIT" bisect-run --baseline "$T_TMP/failed.json" "${M[@]}" -- true
check_error "bisect-run: a failed baseline row aborts" 128 \
	"is not a measurement to compare with: verdict 'FAIL"

run "$PVEXIT" bisect-run --help
if [ "$status" -eq 0 ] && grep -q -- '--threshold PCT' "$T_TMP/out" && grep -q 'PVEXIT_RESULT' "$T_TMP/out" &&
	grep -q '125' "$T_TMP/out"; then
	pass "bisect-run: --help names its options and exit statuses"
else
	fail "bisect-run: --help names its options and exit statuses" "status $status"
fi

# Without COMMAND: pvexit run for the metric's class and guest.  Here (no
# KVM PR) that goes to the lab; a stand-in lab/run records what it got.
FAKELAB=$T_TMP/fake-lab-run
cat >"$FAKELAB" <<EOF
#!/bin/sh
printf '%s\n' "\$@" >"$T_TMP/lab-args"
exit 1
EOF
chmod +x "$FAKELAB"
name="bisect-run: without COMMAND it runs pvexit run --class CLASS for the guest"
if [ "$(uname -m)" = ppc64le ] || [ "$(uname -m)" = ppc64 ]; then
	skip "$name" "a PowerPC host may have KVM PR: the lab stand-in would not be used"
else
	PVEXIT_LAB_RUN=$FAKELAB run "$PVEXIT" bisect-run --baseline "$BASE" \
		--metric mfmsr.patched.time_per_op --guest be --threshold 20
	if check_status "$name" 125; then
		args=$(tr '\n' ' ' <"$T_TMP/lab-args" 2>/dev/null)
		case "$args" in
		*"pvexit run "*"--class mfmsr --guest be "*) pass "$name" ;;
		*) fail "$name" "lab/run got: $args" ;;
		esac
		grep -q "cannot test this commit: 'pvexit run' exited with status 1" "$T_TMP/err" ||
			fail "$name: says why" "$(tail -n 1 "$T_TMP/err")"
	fi
fi

# --- a real git bisect run --------------------------------------------------------

if ! command -v git >/dev/null; then
	skip "bisect-run: git bisect run" "git is not installed"
	exit 0
fi
R=$T_TMP/repo
mkdir -p "$R"
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.org GIT_COMMITTER_NAME=t \
	GIT_COMMITTER_EMAIL=t@example.org GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
git -C "$R" init -q
# The factor the "build" slows mfmsr by at each commit; "broken" does not build.
i=0
for f in 1.00 1.03 0.98 broken 1.05 1.60 1.70; do
	i=$((i + 1))
	echo "$f" >"$R/factor"
	git -C "$R" add factor
	git -C "$R" commit -q -m "step $i: $f"
	eval "c$i=\$(git -C \"\$R\" rev-parse HEAD)"
done
STEP=$T_TMP/step.sh
cat >"$STEP" <<EOF
#!/bin/sh
f=\$(cat factor)
[ "\$f" != broken ] || { echo "build failed" >&2; exit 2; }
jq --argjson f "\$f" '(.rows[] | select($SEL)) |= (.ns_samples |= map(. * \$f) |
	.ns_per_op.median *= \$f | .ns_per_op.ci_low *= \$f | .ns_per_op.ci_high *= \$f)' \
	"$FIX" >"\$PVEXIT_RESULT"
EOF
chmod +x "$STEP"
# shellcheck disable=SC2154 # c1..c7 are set by eval above
(cd "$R" && git bisect start "$c7" "$c1" >/dev/null &&
	git bisect run "$PVEXIT" bisect-run --baseline "$BASE" "${M[@]}" -- "$STEP") \
	>"$T_TMP/bisect.log" 2>&1
rc=$?
name="bisect-run: git bisect run names the commit that slowed the row, skipping one"
# shellcheck disable=SC2154
if [ "$rc" -ne 0 ]; then
	fail "$name" "git bisect run exited $rc: $(tail -n 3 "$T_TMP/bisect.log" | tr '\n' '|')"
elif ! grep -q "^$c6 is the first bad commit" "$T_TMP/bisect.log"; then
	fail "$name" "want $c6 (step 6): $(grep 'first bad commit' "$T_TMP/bisect.log")"
elif ! git -C "$R" bisect log | grep -q "^git bisect skip $c4"; then
	fail "$name" "step 4 (no build) was not skipped: $(git -C "$R" bisect log | grep -v '^#' | tr '\n' '|')"
else
	pass "$name"
fi
git -C "$R" bisect reset >/dev/null 2>&1

# A usage error must stop git bisect run, not mark a commit.
(cd "$R" && git bisect start "$c7" "$c1" >/dev/null &&
	git bisect run "$PVEXIT" bisect-run --baseline "$BASE" --metric mfmsr.patched.time_per_op \
		--guest le --threshold 20x -- "$STEP") >"$T_TMP/bisect.log" 2>&1
rc=$?
name="bisect-run: a usage error aborts git bisect run"
if [ "$rc" -eq 0 ]; then
	fail "$name" "git bisect run exited 0"
elif grep -q 'first bad commit' "$T_TMP/bisect.log"; then
	fail "$name" "git named a commit: $(grep 'first bad commit' "$T_TMP/bisect.log")"
elif ! grep -q 'exit code 128 .*>= 128' "$T_TMP/bisect.log"; then
	fail "$name" "git did not abort: $(tail -n 3 "$T_TMP/bisect.log" | tr '\n' '|')"
elif [ "$(git -C "$R" for-each-ref refs/bisect/ | wc -l)" -ne 2 ] ||
	[ "$(git -C "$R" rev-parse refs/bisect/bad)" != "$c7" ]; then
	fail "$name" "git marked commits: $(git -C "$R" for-each-ref refs/bisect/ | tr '\n' '|')"
else
	pass "$name"
fi
git -C "$R" bisect reset >/dev/null 2>&1
