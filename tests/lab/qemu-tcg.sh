# SPDX-License-Identifier: GPL-2.0-only
# The same payload ELFs boot under plain QEMU pseries (TCG, VOF, no
# KVM, no pvexit launcher) and report over the PAPR console that there
# is no KVM.
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 1

if ! command -v qemu-system-ppc64 >/dev/null; then
	skip "payload under plain QEMU" "qemu-system-ppc64 is not installed (make deps)"
	exit 0
fi
for e in be le; do
	name="payload-$e.elf under plain QEMU pseries reports 'no KVM'"
	elf=build/guest/payload-$e.elf
	if [ ! -f "$elf" ]; then
		fail "$name" "$elf is not built: run 'make build'"
		continue
	fi
	con=$T_TMP/console-$e
	: >"$con"
	qemu-system-ppc64 -M pseries,x-vof=on -cpu POWER8 -m 256 -display none -nodefaults \
		-no-user-config -chardev "file,id=c,path=$con" -device spapr-vty,chardev=c \
		-kernel "$elf" 2>"$T_TMP/qemu-$e.err" &
	qpid=$!
	# The payload spins once done: wait for its last line, then stop QEMU.
	for _ in $(seq 1 300); do
		grep -q 'pvexit: done:' "$con" && break
		kill -0 "$qpid" 2>/dev/null || break
		sleep 0.1
	done
	kill "$qpid" 2>/dev/null
	wait "$qpid" 2>/dev/null
	out=$(tr -d '\r' <"$con")
	if ! printf '%s\n' "$out" | grep -q '^pvexit: done: 0 failures$'; then
		fail "$name" "no 'done: 0 failures' line; console: $(printf '%s' "$out" | tail -n 3 | tr '\n' '|')"
	elif ! printf '%s\n' "$out" | grep -q '^pvexit: no KVM: only mfmsr runs'; then
		fail "$name" "no 'no KVM' line"
	elif ! printf '%s\n' "$out" | grep -q '^pvexit: fact kvm=0$'; then
		fail "$name" "kvm fact is not 0"
	elif ! printf '%s\n' "$out" | grep -qE '^pvexit: result mfmsr - raw iterations=20000 ticks=[0-9]+ '; then
		fail "$name" "no raw mfmsr result"
	else
		pass "$name"
	fi
done
