# SPDX-License-Identifier: GPL-2.0-only
# pvexit run --guest e500 on a machine without BookE KVM, with a stand-in
# for lab/run --host e500 that hands back a launch result recorded in the
# real e500 lab (tests/fixtures/launch/): what is staged for the lab, the
# table, the verdicts, the tracepoint column and the results file made
# from it, and the lab's failures as one line each.
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 1

PVEXIT=${PVEXIT:-$T_ROOT/build/host/bin/pvexit}
FIXTURE=$T_ROOT/tests/fixtures/launch/e500-mfmas1-wrteei1-mfsprg4r.txt
need_pvexit "e500 guest through a stand-in lab: tests" "$FIXTURE" || exit 0
case "$(uname -m)" in
ppc*)
	skip "e500 guest through a stand-in lab: tests" "a PowerPC host may be a BookE one: the stand-in would not be used"
	exit 0
	;;
esac

# The stand-in records its arguments and what --build holds, then puts
# $FAKE_RESULT at --out's launch.txt and exits $FAKE_STATUS.
FAKE=$T_TMP/fake-lab-run
export REPORT=$T_TMP/report
cat >"$FAKE" <<'LAB'
#!/bin/bash
out='' build=''
printf '%s\n' "$@" >"$REPORT.args"
while [ $# -gt 0 ]; do
	case $1 in
	--out) out=$2 && shift ;;
	--build) build=$2 && shift ;;
	--) break ;;
	esac
	shift
done
(cd "$build" && find . -type f -printf '%P %m\n' | sort) >"$REPORT.build"
[ -n "${FAKE_RESULT:-}" ] && cp "$FAKE_RESULT" "$out/launch.txt"
exit "${FAKE_STATUS:-0}"
LAB
chmod +x "$FAKE"
printf '#!/bin/sh\n' >"$T_TMP/pvexit-launch"
export PVEXIT_LAB_RUN=$FAKE PVEXIT_E500_LAUNCH=$T_TMP/pvexit-launch TMPDIR=$T_TMP/tmp
mkdir -p "$TMPDIR"

R=$T_TMP/r.json
name="e500 guest: a launch result from the lab becomes the run"
FAKE_RESULT=$FIXTURE run "$PVEXIT" run --guest e500 --class mfmas1,wrteei1,mfsprg4r -n 256 -f 2048 -o "$R"
if check_status "$name" 0; then
	if ! grep -q '^mfmas1 *e500 *raw *256 .* 1.000 .* 1.000  ok$' "$T_TMP/out"; then
		fail "$name" "no mfmas1 raw row with 1.000 exits/op from stats and trace: $(grep mfmas1 "$T_TMP/out" | head -n 1)"
	elif ! grep -q '^wrteei1/ee-pending *e500 *patched .* 2.000 *1.000 .* 2.000  ok$' "$T_TMP/out"; then
		fail "$name" "no wrteei1/ee-pending patched row: $(grep 'wrteei1/ee-pending' "$T_TMP/out" | head -n 2 | tr '\n' '|')"
	elif ! grep -q '^mfsprg4r *e500 *raw .* 0.000 .* 0.000  ok$' "$T_TMP/out"; then
		fail "$name" "mfsprg4r raw is not quiet: $(grep 'mfsprg4r' "$T_TMP/out" | head -n 1)"
	else
		pass "$name"
	fi
fi

name="e500 guest: the lab gets the static launcher and the payload, and the command"
args=$(tr '\n' ' ' <"$REPORT.args")
case "$args" in
"--host e500 --build "*" --out "*" -- /pvexit/pvexit-launch --guest e500 --mem 64 --timeout 120 --output /out/launch.txt /pvexit/payload-e500.elf class=mfmas1,wrteei1,mfsprg4r iterations=256 fast-iterations=2048 ")
	if [ "$(cat "$REPORT.build")" = "$(printf 'payload-e500.elf 600\npvexit-launch 755')" ]; then
		pass "$name"
	else
		fail "$name" "--build held: $(tr '\n' '|' <"$REPORT.build")"
	fi
	;;
*) fail "$name" "lab/run got: $args" ;;
esac

py_check "e500 guest: the results file names the e500 lab as its host" - "$R" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
h, bad = r["host"], []
if (h["kvm"], h["machine"], h["cpu"], h["pvr"], h["lab"]) != ("e500v2", "ppc", "e500v2", "0x80210022", True):
    bad.append("host %r" % h)
if r["time_unit"] != "insn":
    bad.append("time_unit %s" % r["time_unit"])
if {row["guest"] for row in r["rows"]} != {"e500"} or len(r["rows"]) != 12:
    bad.append("%d rows of %s" % (len(r["rows"]), {row["guest"] for row in r["rows"]}))
for row in r["rows"]:
    c = {x["name"]: x for x in row["counters"]}
    if not c["trace"]["available"] or c["trace"]["exits_per_op"] != c["stats"]["exits_per_op"]:
        bad.append("%s %s: trace %r" % (row["class"], row["variant"], c["trace"]))
    if c["bpf"]["available"] or c["bpf"]["why"] != "counted inside the e500 lab":
        bad.append("bpf %r" % c["bpf"])
print("\n".join(bad[:6]))
PY

name="e500 guest: nothing of the staging is left"
left=$(find "$TMPDIR" -mindepth 1 | head -n 3)
[ -z "$left" ] && pass "$name" || fail "$name" "left: $left"

name="e500 guest: a lab that fails gives one line and no results"
rm -f "$R"
FAKE_STATUS=125 run "$PVEXIT" run --guest e500 --class mfmas1 -n 64 -f 64 -o "$R"
if check_status "$name" 1; then
	if ! grep -q 'error: e500 guest run: the e500 lab failed to run (lab/run said why above) (lab/run exit status 125)' "$T_TMP/err"; then
		fail "$name" "stderr: $(tr '\n' '|' <"$T_TMP/err" | head -c 400)"
	elif [ -e "$R" ]; then
		fail "$name" "a results file was written"
	else
		pass "$name"
	fi
fi

name="e500 guest: a result the lab cut short is refused, naming the line"
head -n 20 "$FIXTURE" >"$T_TMP/cut.txt"
FAKE_RESULT=$T_TMP/cut.txt run "$PVEXIT" run --guest e500 --class mfmas1 -n 64 -f 64
if check_status "$name" 1; then
	grep -q "error: e500 guest run: the e500 lab's launch result:21: no end line: the launch result was cut short" "$T_TMP/err" &&
		pass "$name" || fail "$name" "stderr: $(tr '\n' '|' <"$T_TMP/err" | head -c 400)"
fi

expect_error "e500 guest: not with a Book3S guest in one run" 2 \
	"the e500 guest runs on a BookE \(e500v2\) host, be, le and be32 on a Book3S one: run them apart" \
	"$PVEXIT" run --guest e500,le
expect_error "e500 guest: more RAM than KVM's TLB1 entry maps" 2 \
	"--mem 512: an e500 guest has at most 256 MiB" "$PVEXIT" run --guest e500 --mem 512
expect_error "e500 guest: --no-lab without BookE KVM" 2 \
	"no BookE KVM on this machine .*--no-lab refuses the e500 lab" "$PVEXIT" run --guest e500 --no-lab
