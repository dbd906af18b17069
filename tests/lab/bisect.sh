# SPDX-License-Identifier: GPL-2.0-only
# git bisect run with pvexit bisect-run, in the lab: a generated history of
# the payload sources in which one commit (neither the first nor the last)
# slows mfmsr's patched loop; git must name that commit.  Then bisect-run
# without COMMAND (it runs pvexit run itself) against the same baseline.
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

# The repository: what building the little-endian payload needs.
R=$T_TMP/payloads
mkdir -p "$R"
cp -r Makefile guest-payloads include "$R/"
export GIT_AUTHOR_NAME=pvexit GIT_AUTHOR_EMAIL=pvexit@example.org GIT_COMMITTER_NAME=pvexit \
	GIT_COMMITTER_EMAIL=pvexit@example.org GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
git -C "$R" init -q
commit() {
	git -C "$R" add -A && git -C "$R" commit -q -m "$1" && git -C "$R" rev-parse HEAD
}
first=$(commit "payload sources")

# One step: build this commit's payload, measure mfmsr with it (the
# payload build needs nothing from the lab: LAB_DIR is set so that the
# Makefile does not look for one).  Where
# there is no KVM PR, pvexit run goes into the lab, whose working
# directory /out is the -o file's directory: a payload put beside the
# results file is found by the same relative --payload-dir on both sides.
# Nine repetitions, each a fresh VM: with five, a make check once saw
# three of an unchanged commit's patched loops at +60% under TCG, and the
# median called it bad.
STEP=$T_TMP/build-and-run.sh
cat >"$STEP" <<EOF
#!/bin/sh
set -e
make -s -C "$R" LAB_DIR=/nonexistent BUILD="$T_TMP/gbuild" "$T_TMP/gbuild/guest/payload-le.elf" >&2
cd "\$(dirname "\$PVEXIT_RESULT")"
mkdir -p guest
cp "$T_TMP/gbuild/guest/payload-le.elf" guest/
exec "$PVEXIT" run --class mfmsr --endian le --bits 64 -n 320 -f 200000 -r 9 \\
	--no-bpf --payload-dir guest -o "\$PVEXIT_RESULT"
EOF
chmod +x "$STEP"

# The baseline: the first commit, measured the same way.
mkdir -p "$T_TMP/base"
if ! PVEXIT_RESULT=$T_TMP/base/base.json "$STEP" >"$T_TMP/base.log" 2>&1; then
	fail "$name" "the baseline run failed: $(tail -n 3 "$T_TMP/base.log" | tr '\n' '|')"
	exit 0
fi
BASE=$T_TMP/base/base.json

# Six more commits; the third of them adds two dependent multiplies to
# every pair of instructions of mfmsr's patched loop (about +80% here).
echo "A note." >>"$R/guest-payloads/README.md"
commit "README: a note" >/dev/null
echo "/* A comment that changes nothing. */" >>"$R/guest-payloads/loops.S"
commit "loops: a comment" >/dev/null
slow_insn=$(printf '\t.ifc \\sym,pvx_loop_pv_MFMSR\n\tmulld r7, r7, r7\n\tmulld r7, r7, r7\n\t.endif')
awk -v add="$slow_insn" '{ print } /^\t\.long \\word5$/ { print add; n++ } END { exit n != 1 }' \
	"$R/guest-payloads/loops.S" >"$T_TMP/loops.S" || {
	fail "$name" "loops.S has no single '.long \\word5' line in PVX_LOOP to slow down"
	exit 0
}
cp "$T_TMP/loops.S" "$R/guest-payloads/loops.S"
slow=$(commit "loops: slow mfmsr's patched loop down")
echo "/* Another comment. */" >>"$R/guest-payloads/payload.c"
commit "payload: a comment" >/dev/null
echo "Another note." >>"$R/guest-payloads/README.md"
commit "README: another note" >/dev/null
echo "/* One more comment. */" >>"$R/guest-payloads/loops.S"
last=$(commit "loops: one more comment")

start=$SECONDS
(cd "$R" && git bisect start "$last" "$first" >/dev/null &&
	git bisect run "$PVEXIT" bisect-run --baseline "$BASE" --metric mfmsr.patched.time_per_op \
		--threshold 20 -- "$STEP") >"$T_TMP/bisect.log" 2>&1
rc=$?
took=$((SECONDS - start))
grep '^mfmsr\.patched' "$T_TMP/bisect.log" | sed 's/^/    /'
if [ "$rc" -ne 0 ]; then
	fail "$name" "git bisect run exited $rc: $(grep -E 'error|bisect run' "$T_TMP/bisect.log" | tail -n 3 | tr '\n' '|')"
elif ! grep -q "^$slow is the first bad commit" "$T_TMP/bisect.log"; then
	fail "$name" "want $slow: $(grep -A 3 'first bad commit' "$T_TMP/bisect.log" | tr '\n' '|')"
elif grep -q 'cannot test this commit' "$T_TMP/bisect.log"; then
	fail "$name" "a step could not be tested: $(grep -m1 'cannot test' "$T_TMP/bisect.log")"
else
	pass "$name ($(grep -c '^mfmsr\.patched' "$T_TMP/bisect.log") steps, $took s)"
fi
git -C "$R" bisect reset >/dev/null 2>&1

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
