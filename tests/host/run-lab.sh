# SPDX-License-Identifier: GPL-2.0-only
# pvexit run handing its files to the lab, with a stand-in for lab/run:
# the suite and payloads go in through a directory of its own (0700,
# files 0600) under a name nobody can guess, nothing of it is left
# afterwards, and lab/run's exit status is pvexit run's.
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 1

PVEXIT=${PVEXIT:-$T_ROOT/build/host/bin/pvexit}
need_pvexit "run in the lab: tests" || exit 0
case "$(uname -m)" in
ppc64*)
	skip "run in the lab: tests" "a PowerPC host may have KVM PR: the lab stand-in would not be used"
	exit 0
	;;
esac

# The stand-in maps /out to its --out and says what it was handed.
FAKE=$T_TMP/fake-lab-run
export REPORT=$T_TMP/report
cat >"$FAKE" <<'LAB'
#!/bin/bash
out='' suite='' pl=''
while [ $# -gt 0 ]; do
	case $1 in
	--out) out=$2 && shift ;;
	--suite) suite=$2 && shift ;;
	--payload-dir) pl=$2 && shift ;;
	esac
	shift
done
host() { printf '%s/%s' "$out" "${1#/out/}"; }
{
	if [ -n "$suite" ]; then
		s=$(host "$suite")
		echo "stage $(basename "$(dirname "$s")") $(stat -c %a "$(dirname "$s")")"
		echo "suite $(stat -c %a "$s") $(cmp -s "$s" "$SUITE_SRC" && echo same)"
	fi
	if [ -n "$pl" ]; then
		p=$(host "$pl")
		echo "stage $(basename "$p") $(stat -c %a "$p")"
		for f in "$p"/payload-*.elf; do
			echo "payload $(basename "$f") $(stat -c %a "$f") $(cmp -s "$f" "$PL_SRC/$(basename "$f")" && echo same)"
		done
	fi
} >"$REPORT"
exit "${FAKE_STATUS:-0}"
LAB
chmod +x "$FAKE"

export SUITE_SRC=$T_TMP/my.suite PL_SRC=$T_TMP/payloads
cp bench/default.suite "$SUITE_SRC"
mkdir -p "$PL_SRC" "$T_TMP/o1" "$T_TMP/o2" "$T_TMP/tmp"
printf 'be image\n' >"$PL_SRC/payload-be.elf"
printf 'le image\n' >"$PL_SRC/payload-le.elf"

# lab STATUS ARGS...: pvexit run ARGS, the stand-in exiting STATUS.
lab() {
	local st=$1
	shift
	rm -f "$REPORT"
	run env PVEXIT_LAB_RUN="$FAKE" FAKE_STATUS="$st" TMPDIR="$T_TMP/tmp" "$PVEXIT" run "$@"
}

name="run in the lab: suite and payloads in a private directory"
lab 7 --suite "$SUITE_SRC" --payload-dir "$PL_SRC" -o "$T_TMP/o1/r.json"
want="stage STAGE 700
suite 600 same
stage STAGE 700
payload payload-be.elf 600 same
payload payload-le.elf 600 same"
got=$(sed -E 's/^stage \.pvexit-lab-[A-Za-z0-9]{6} /stage STAGE /' "$REPORT" 2>/dev/null)
if [ "$status" -ne 7 ]; then
	fail "$name" "status $status, want lab/run's 7: $(tail -n 1 "$T_TMP/err")"
elif [ "$got" != "$want" ]; then
	fail "$name" "lab/run was handed: $(tr '\n' '|' <"$REPORT" 2>/dev/null)"
elif [ -n "$(ls -A "$T_TMP/o1")" ]; then
	fail "$name" "left behind: $(ls -A "$T_TMP/o1")"
else
	pass "$name"
fi
stage1=$(sed -n '1s/^stage \([^ ]*\) .*/\1/p' "$REPORT" 2>/dev/null)

name="run in the lab: a new name each time"
lab 0 --suite "$SUITE_SRC" -o "$T_TMP/o1/r.json"
stage2=$(sed -n '1s/^stage \([^ ]*\) .*/\1/p' "$REPORT" 2>/dev/null)
if [ "$status" -ne 0 ] || [ -z "$stage1" ] || [ -z "$stage2" ] || [ "$stage1" = "$stage2" ]; then
	fail "$name" "status $status, names '$stage1' and '$stage2'"
else
	pass "$name"
fi

name="run in the lab: without -o, a temporary --out, removed after"
lab 0 --suite "$SUITE_SRC"
if [ "$status" -ne 0 ] || ! grep -q '^suite 600 same$' "$REPORT" 2>/dev/null; then
	fail "$name" "status $status: $(tr '\n' '|' <"$REPORT" 2>/dev/null) $(tail -n 1 "$T_TMP/err")"
elif [ -n "$(ls -A "$T_TMP/tmp")" ]; then
	fail "$name" "left in TMPDIR: $(ls -A "$T_TMP/tmp")"
else
	pass "$name"
fi

name="run in the lab: no payloads to copy"
mkdir -p "$T_TMP/empty"
lab 0 --payload-dir "$T_TMP/empty" -o "$T_TMP/o2/r.json"
if ! check_error "$name" 1 "cannot copy the payloads of .*/empty into .*/o2"; then
	:
elif [ -e "$REPORT" ] || [ -n "$(ls -A "$T_TMP/o2")" ]; then
	fail "$name: nothing run, nothing left" "$(ls -A "$T_TMP/o2")"
fi

name="run in the lab: lab/run cannot be executed"
BAD=$T_TMP/bad-lab-run
printf '#!/nonexistent/interpreter\n' >"$BAD"
chmod +x "$BAD"
run env PVEXIT_LAB_RUN="$BAD" "$PVEXIT" run --suite "$SUITE_SRC" -o "$T_TMP/o2/r.json"
if [ "$status" -ne 127 ] || ! grep -q "error: cannot run $BAD: No such file or directory" "$T_TMP/err"; then
	fail "$name" "status $status: $(tr '\n' '|' <"$T_TMP/err")"
elif [ -n "$(ls -A "$T_TMP/o2")" ]; then
	fail "$name" "left behind: $(ls -A "$T_TMP/o2")"
else
	pass "$name"
fi
