# SPDX-License-Identifier: GPL-2.0-only
# git bisect run with pvexit bisect-run, in the lab, one run per commit and
# a 1% threshold: two generated histories of the payload sources, in each
# of which one commit (neither the first nor the last) slows a mfmsr loop
# (its patched loop by two multiplies a pair; its trapping loop by twenty
# nops an op); git must name that commit.  Then bisect-run without
# COMMAND (it runs pvexit run itself) against the first baseline.
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 1

PVEXIT=${PVEXIT:-$T_ROOT/build/host/bin/pvexit}
name="bisect-run: git bisect run names the commit that slowed mfmsr's patched loop"
if ! lab_built; then
	skip "$name" "no lab: run 'make lab'"
	exit 0
fi
if [ ! -x "$PVEXIT" ] || [ ! -x build/ppc64le/bin/pvexit ]; then
	fail "$name" "pvexit is not built for this machine and the lab: run 'make build'"
	exit 0
fi
for tool in git make powerpc64le-linux-gnu-gcc; do
	if ! command -v "$tool" >/dev/null; then
		skip "$name" "$tool is not installed (make deps)"
		exit 0
	fi
done

# One bisect: a generated history of the payload sources in which one
# commit (neither the first nor the last) runs EDIT over loops.S; git
# bisect run with pvexit bisect-run must name it.  Under the lab's
# instruction counter one run per commit and a 1% threshold suffice.
#   bisect_case NAME METRIC EDIT-AWK
bisect_case() {
	local name=$1 metric=$2 edit=$3 R=$T_TMP/payloads-$4 first slow last rc took
	mkdir -p "$R"
	cp -r Makefile guest-payloads include "$R/"
	git -C "$R" init -q
	commit() {
		git -C "$R" add -A && git -C "$R" commit -q -m "$1" && git -C "$R" rev-parse HEAD
	}
	first=$(commit "payload sources")

	# One step: build this commit's payload and measure mfmsr with it (the
	# payload build needs nothing from the lab: LAB_DIR is set so that
	# the Makefile does not look for one).  Where there is no KVM PR,
	# pvexit run goes into the lab, whose working directory /out is the
	# -o file's directory: a payload put beside the results file is found
	# by the same relative --payload-dir on both sides.
	STEP=$T_TMP/build-and-run-$4.sh
	cat >"$STEP" <<EOS
#!/bin/sh
set -e
make -s -C "$R" LAB_DIR=/nonexistent BUILD="$T_TMP/gbuild-$4" "$T_TMP/gbuild-$4/guest/payload-le.elf" >&2
cd "\$(dirname "\$PVEXIT_RESULT")"
mkdir -p guest
cp "$T_TMP/gbuild-$4/guest/payload-le.elf" guest/
exec "$PVEXIT" run --class mfmsr --endian le --bits 64 -n 4000 -f 400000 -r 1 \\
	--no-bpf --payload-dir guest -o "\$PVEXIT_RESULT"
EOS
	chmod +x "$STEP"

	mkdir -p "$T_TMP/base-$4"
	if ! PVEXIT_RESULT=$T_TMP/base-$4/base.json "$STEP" >"$T_TMP/base-$4.log" 2>&1; then
		fail "$name" "the baseline run failed: $(tail -n 3 "$T_TMP/base-$4.log" | tr '\n' '|')"
		return
	fi
	BASE=$T_TMP/base-$4/base.json

	echo "A note." >>"$R/guest-payloads/README.md"
	commit "README: a note" >/dev/null
	echo "/* A comment that changes nothing. */" >>"$R/guest-payloads/loops.S"
	commit "loops: a comment" >/dev/null
	awk "$edit" "$R/guest-payloads/loops.S" >"$T_TMP/loops.S" || {
		fail "$name" "loops.S has no single '.long \\word5' line in PVX_LOOP to edit"
		return
	}
	cp "$T_TMP/loops.S" "$R/guest-payloads/loops.S"
	slow=$(commit "loops: the change")
	echo "/* Another comment. */" >>"$R/guest-payloads/payload.c"
	commit "payload: a comment" >/dev/null
	echo "Another note." >>"$R/guest-payloads/README.md"
	commit "README: another note" >/dev/null
	echo "/* One more comment. */" >>"$R/guest-payloads/loops.S"
	last=$(commit "loops: one more comment")

	start=$SECONDS
	(cd "$R" && git bisect start "$last" "$first" >/dev/null &&
		git bisect run "$PVEXIT" bisect-run --baseline "$BASE" --metric "$metric" \
			--threshold 1 -- "$STEP") >"$T_TMP/bisect-$4.log" 2>&1
	rc=$?
	took=$((SECONDS - start))
	grep "^${metric//./\\.}" "$T_TMP/bisect-$4.log" | sed 's/^/    /'
	if [ "$rc" -ne 0 ]; then
		fail "$name" "git bisect run exited $rc: $(grep -E 'error|bisect run' "$T_TMP/bisect-$4.log" | tail -n 3 | tr '\n' '|')"
	elif ! grep -q "^$slow is the first bad commit" "$T_TMP/bisect-$4.log"; then
		fail "$name" "want $slow: $(grep -A 3 'first bad commit' "$T_TMP/bisect-$4.log" | tr '\n' '|')"
	elif grep -q 'cannot test this commit' "$T_TMP/bisect-$4.log"; then
		fail "$name" "a step could not be tested: $(grep -m1 'cannot test' "$T_TMP/bisect-$4.log")"
	else
		pass "$name ($(grep -c "^${metric//./\\.}" "$T_TMP/bisect-$4.log") steps, $took s)"
	fi
	git -C "$R" bisect reset >/dev/null 2>&1
}

export GIT_AUTHOR_NAME=pvexit GIT_AUTHOR_EMAIL=pvexit@example.org GIT_COMMITTER_NAME=pvexit \
	GIT_COMMITTER_EMAIL=pvexit@example.org GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null

# Two dependent multiplies for every pair of instructions of mfmsr's
# patched loop: about one instruction more per op (+97%).
bisect_case "$name" mfmsr.patched.time_per_op '{ print } /^\t\.long \\word5$/ { print "\t.ifc \\sym,pvx_loop_pv_MFMSR\n\tmulld r7, r7, r7\n\tmulld r7, r7, r7\n\t.endif"; n++ } END { exit n != 1 }' mul
# Twenty instructions more per op of mfmsr's trapping loop: about +1.6%
# of a trapping op, the size of a small regression in KVM PR's exit path.
bisect_case "bisect-run: git bisect run names the commit that added 20 instructions per op to mfmsr's trapping loop" \
	mfmsr.raw.time_per_op '{ print } /^\t\.long \\word[45]$/ { print "\t.ifc \\sym,pvx_loop_raw_MFMSR\n\t.rept 20\n\tnop\n\t.endr\n\t.endif"; n++ } END { exit n != 2 }' nop20
BASE=$T_TMP/base-mul/base.json

# Without COMMAND, bisect-run runs this tree's pvexit run and payload:
# mfmsr's patched loop makes no exit there, as in the baseline.
name="bisect-run: without COMMAND it measures with pvexit run itself"
run "$PVEXIT" bisect-run --baseline "$BASE" --metric mfmsr.patched.exits_per_op --threshold 0
if check_status "$name" 0; then
	if grep -q '^mfmsr\.patched\.exits_per_op le: baseline 0\.0000, measured 0\.0000, .*: good$' \
		"$T_TMP/out"; then
		pass "$name"
	else
		fail "$name" "no verdict line: $(grep -v '^ ' "$T_TMP/out" | tail -n 2 | tr '\n' '|')"
	fi
fi
