# SPDX-License-Identifier: GPL-2.0-only
# pvexit trace record and report around real KVM PR runs in the lab: the
# raw mfmsr phase gives one PROGRAM exit per iteration in both guest byte
# orders, in pvexit's own file and in trace-cmd's (file version 6), the
# same file decodes alike on ppc64le and here, and record's failures
# (no process, a failing command, no tracepoint, no tracefs) say so.
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 1

PVEXIT=${PVEXIT:-$T_ROOT/build/host/bin/pvexit}
LE_BUILD=${PVEXIT_LAB_BUILD:-$T_ROOT/build/ppc64le}
ITER=640
if ! lab_built; then
	skip "trace: lab tests" "no lab: run 'make lab'"
	exit 0
fi
if [ ! -x "$PVEXIT" ] || [ ! -x "$LE_BUILD/bin/pvexit" ]; then
	fail "trace: lab tests" "pvexit is not built for this machine and the lab: run 'make build'"
	exit 0
fi

O=$T_TMP/lab
RUN="pvexit run --no-lab --class mfmsr --bits 64 -n $ITER -f $ITER"
EVENTS="-e kvm_pr:kvm_exit -e kvm:kvm_ppc_instr -e kvm_pr:kvm_book3s_reenter"
# One boot for everything; each step leaves its status in /out/NAME.rc.
run lab/run --timeout 900 --build "$LE_BUILD" --out "$O" -- sh -c "
step() { n=\$1; shift; \"\$@\" >/out/\$n.out 2>/out/\$n.err; echo \$? >/out/\$n.rc; }
for e in le be; do
	step rec-\$e pvexit trace record -o /out/\$e.pvtrace -- $RUN --endian \$e
	step dat-\$e trace-cmd record -q --file-version 6 -o /out/\$e.dat $EVENTS $RUN --endian \$e
done
step report-le pvexit trace report /out/le.pvtrace
step nopid pvexit trace record -o /out/nopid.pvtrace -p 999999
step false pvexit trace record -o /out/false.pvtrace -- false
step noexec pvexit trace record -o /out/noexec.pvtrace -- /nonexistent/cmd
step idle pvexit trace record -o /out/idle.pvtrace --duration 1
ls /sys/kernel/tracing/instances >/out/instances.txt
# busybox has no setuid tool that takes a number; python3 is in the root
py=\$(command -v python3.11 || command -v python3)
if [ -n \"\$py\" ]; then
	step noperm \"\$py\" -c 'import os, sys; os.setgroups([]); os.setgid(65534); os.setuid(65534); os.execvp(sys.argv[1], sys.argv[1:])' pvexit trace record -o /tmp/np.pvtrace -- true
fi
rmmod kvm_pr && step notp pvexit trace record -o /out/notp.pvtrace -- true
# debugfs carries a second way to tracefs
umount /sys/kernel/tracing && umount /sys/kernel/debug/tracing 2>/dev/null; umount /sys/kernel/debug &&
	step nofs pvexit trace record -o /out/nofs.pvtrace -- true
true
"
check_status "trace: the lab ran the steps" 0 && pass "trace: the lab ran the steps"

rc() { cat "$O/$1.rc" 2>/dev/null || echo missing; }
err1() { [ "$(wc -l <"$O/$1.err")" -eq 1 ] && grep -qE -- "$2" "$O/$1.err"; }

# The raw phase: the segment with the most mfmsr PROGRAM exits.
raw_exits() {
	"$PVEXIT" trace report --segments "$1" 2>/dev/null |
		awk '$3 == "mfmsr" && $4 == "PROGRAM" && $5 > max { max = $5 } END { print max + 0 }'
}
iterations() {
	awk -v e="$2" '$1 == "mfmsr" && $2 == e && $3 == "raw" { print $4 }' "$1"
}

for e in le be; do
	name="trace: record around a $e guest's mfmsr run"
	if [ "$(rc rec-$e)" = 0 ] && [ -s "$O/$e.pvtrace" ] &&
		grep -q "wrote /out/$e.pvtrace" "$O/rec-$e.err"; then
		pass "$name"
	else
		fail "$name" "status $(rc rec-$e): $(tr '\n' '|' <"$O/rec-$e.err" 2>/dev/null | head -c 300)"
	fi
	want=$(iterations "$O/rec-$e.out" $e)
	got=$(raw_exits "$O/$e.pvtrace")
	name="trace: $e guest: one mfmsr PROGRAM exit per raw iteration (pvexit's file)"
	if [ -n "$want" ] && [ "$want" -gt 0 ] && [ "$got" = "$want" ]; then
		pass "$name"
	else
		fail "$name" "$got exits in the raw phase, the run says ${want:-nothing} iterations"
	fi
	want=$(iterations "$O/dat-$e.out" $e)
	got=$(raw_exits "$O/$e.dat")
	name="trace: $e guest: one mfmsr PROGRAM exit per raw iteration (trace-cmd, file version 6)"
	if [ "$(rc dat-$e)" = 0 ] && [ -n "$want" ] && [ "$want" -gt 0 ] && [ "$got" = "$want" ]; then
		pass "$name"
	else
		fail "$name" "status $(rc dat-$e); $got exits in the raw phase, the run says ${want:-nothing}"
	fi
done

name="trace: the same file decodes alike on ppc64le and on this machine"
run "$PVEXIT" trace report "$O/le.pvtrace"
if [ "$(rc report-le)" = 0 ] && check_status "$name" 0 &&
	diff <(sed 1d "$O/report-le.out") <(sed 1d "$T_TMP/out") >"$T_TMP/diff"; then
	pass "$name"
else
	fail "$name" "$(head -c 300 "$T_TMP/diff" | tr '\n' '|')"
fi

name="trace: record -p of no process: one error line"
if [ "$(rc nopid)" = 2 ] && err1 nopid 'error: no process 999999' && [ ! -e "$O/nopid.pvtrace" ]; then
	pass "$name"
else
	fail "$name" "status $(rc nopid): $(tr '\n' '|' <"$O/nopid.err")"
fi

name="trace: a failing COMMAND fails record, and its trace is kept"
if [ "$(rc false)" = 1 ] && grep -q "error: 'false' exited with status 1" "$O/false.err" &&
	"$PVEXIT" trace report "$O/false.pvtrace" >/dev/null 2>&1; then
	pass "$name"
else
	fail "$name" "status $(rc false): $(tr '\n' '|' <"$O/false.err")"
fi

name="trace: a COMMAND that cannot run: one error line, no file"
if [ "$(rc noexec)" = 2 ] && err1 noexec "error: cannot run '/nonexistent/cmd'" &&
	! compgen -G "$O/noexec.pvtrace*" >/dev/null; then
	pass "$name"
else
	fail "$name" "status $(rc noexec): $(tr '\n' '|' <"$O/noexec.err"); $(compgen -G "$O/noexec.pvtrace*")"
fi

name="trace: --duration records a quiet host for that long"
run "$PVEXIT" trace report "$O/idle.pvtrace"
if [ "$(rc idle)" = 0 ] && check_status "$name" 0 && grep -q 'no kvm_pr:kvm_exit events' "$T_TMP/out"; then
	pass "$name"
else
	fail "$name" "status $(rc idle): $(head -c 300 "$T_TMP/out" | tr '\n' '|')"
fi

name="trace: record leaves no tracefs instance behind"
if [ -f "$O/instances.txt" ] && ! grep -q pvexit "$O/instances.txt"; then
	pass "$name"
else
	fail "$name" "instances: $(tr '\n' ' ' <"$O/instances.txt" 2>/dev/null)"
fi

name="trace: record without privilege: one error line"
if [ -f "$O/noperm.rc" ]; then
	if [ "$(rc noperm)" = 2 ] && err1 noperm 'error: .*(permission|needs root)'; then
		pass "$name"
	else
		fail "$name" "status $(rc noperm): $(tr '\n' '|' <"$O/noperm.err")"
	fi
else
	skip "$name" "the lab has no python3 to drop privileges with"
fi

name="trace: record without the kvm_pr tracepoints: one error line naming it"
if [ "$(rc notp)" = 2 ] && err1 notp 'error: no tracepoint kvm_pr:kvm_exit .*kvm-pr module'; then
	pass "$name"
else
	fail "$name" "status $(rc notp): $(tr '\n' '|' <"$O/notp.err" 2>/dev/null)"
fi

name="trace: record without tracefs: one error line"
if [ "$(rc nofs)" = 2 ] && err1 nofs 'error: tracefs is not mounted'; then
	pass "$name"
else
	fail "$name" "status $(rc nofs): $(tr '\n' '|' <"$O/nofs.err" 2>/dev/null)"
fi
