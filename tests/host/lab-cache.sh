# SPDX-License-Identifier: GPL-2.0-only
# The lab cache survives bad conditions: no network, a corrupt cached
# part or package, a full disk.  Each failure is one error line and a
# non-zero exit, and nothing half-built is ever published.
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 1

real_lab=$(lab/build dir)

# parts_in DIR: the published parts and lab.env, for before/after checks.
parts_in() {
	(cd "$1" 2>/dev/null && ls -d kernel-* sysroot-* initramfs-* lab.env 2>/dev/null | sort)
}

# --- no network -------------------------------------------------------------
name="lab/build: no network for a download"
L=$T_TMP/nonet
mkdir -p "$L"
echo "LAB_MARK=untouched" >"$L/lab.env"
run env PVEXIT_LAB_DIR="$L" PVEXIT_DEBIAN_MIRROR=http://127.0.0.1:9/debian lab/build sysroot
if ! check_status "$name" 1; then
	:
elif ! last_line_error || ! grep -q 'cannot fetch the ppc64el package index.*network' "$T_TMP/err"; then
	fail "$name" "want one last error line about the network: $(tr '\n' '|' <"$T_TMP/err")"
elif [ "$(parts_in "$L")" != "lab.env" ] || [ "$(cat "$L/lab.env")" != "LAB_MARK=untouched" ]; then
	fail "$name" "the cache changed: $(parts_in "$L" | tr '\n' ' ')"
else
	pass "$name"
fi

# --- a corrupt cached part --------------------------------------------------
# A private lab made of hard links to the real one (never written to) and
# a real copy of the initramfs, which is then damaged.
name="lab/build: a corrupt cached part is found and rebuilt"
if ! lab_built; then
	skip "$name" "no lab in $real_lab: run 'make lab'"
else
	. "$real_lab/lab.env"
	L=$T_TMP/corrupt
	mkdir -p "$L"
	cp -al "$real_lab/$LAB_KERNEL" "$real_lab/$LAB_SYSROOT" "$L/"
	cp -a "$real_lab/$LAB_INITRAMFS" "$real_lab/lab.env" "$L/"
	printf 'x' >>"$L/$LAB_INITRAMFS/initramfs.cpio.gz"
	run env PVEXIT_LAB_DIR="$L" lab/build verify
	if ! check_status "$name (verify)" 1; then
		:
	elif ! grep -q "$LAB_INITRAMFS/initramfs.cpio.gz: FAILED" "$T_TMP/err" || ! last_line_error; then
		fail "$name (verify)" "does not name the damaged file: $(tr '\n' '|' <"$T_TMP/err")"
	else
		pass "$name (verify)"
	fi
	# The rebuild must need no network: only the initramfs is redone.
	run env PVEXIT_LAB_DIR="$L" PVEXIT_DEBIAN_MIRROR=http://127.0.0.1:9/debian lab/build
	if ! check_status "$name" 0; then
		:
	elif ! grep -q 'initramfs' "$T_TMP/err"; then
		fail "$name" "no word of the initramfs: $(tr '\n' '|' <"$T_TMP/err")"
	else
		run env PVEXIT_LAB_DIR="$L" lab/build verify
		check_status "$name" 0 && pass "$name"
	fi
fi

# --- a corrupt cached package -----------------------------------------------
name="lab/build: a corrupt cached .deb is never used"
if ! lab_built || [ ! -d "$real_lab/debs" ]; then
	skip "$name" "no package cache in $real_lab: run 'make lab'"
elif ! mirror_reachable; then
	skip "$name" "the Debian mirror is not reachable from here"
else
	L=$T_TMP/baddeb
	mkdir -p "$L"
	cp -a "$real_lab/debs" "$L/"
	victim=$(cd "$L/debs" && printf '%s\n' busybox-static_*.deb | head -n 1)
	head -c 1000 "$real_lab/debs/$victim" >"$L/debs/$victim"
	run env PVEXIT_LAB_DIR="$L" lab/build sysroot
	if ! check_status "$name" 0; then
		:
	elif ! grep -q "cached $victim is corrupt" "$T_TMP/err"; then
		fail "$name" "the damaged $victim was not reported: $(tr '\n' '|' <"$T_TMP/err")"
	elif ! cmp -s "$L/debs/$victim" "$real_lab/debs/$victim"; then
		fail "$name" "$victim was not downloaded again"
	elif ! compgen -G "$L/sysroot-*/bin/busybox" >/dev/null; then
		fail "$name" "no usable sysroot after the rebuild"
	else
		pass "$name"
	fi
fi

# --- a full disk ------------------------------------------------------------
name="lab/build: a full disk"
if [ "$(id -u)" -ne 0 ]; then
	skip "$name" "mounting a small tmpfs needs root"
elif ! mirror_reachable; then
	skip "$name" "the Debian mirror is not reachable from here"
else
	F=$T_TMP/full
	mkdir -p "$F"
	if ! mount -t tmpfs -o size=12m pvexit-test "$F" 2>/dev/null; then
		skip "$name" "cannot mount a tmpfs here"
	else
		mkdir -p "$F/lab"
		echo "LAB_MARK=untouched" >"$F/lab/lab.env"
		run env PVEXIT_LAB_DIR="$F/lab" lab/build sysroot
		if ! check_status "$name" 1; then
			:
		elif ! last_line_error || ! grep -q 'free' "$T_TMP/err"; then
			fail "$name" "want one last error line about free space: $(tr '\n' '|' <"$T_TMP/err")"
		elif [ "$(parts_in "$F/lab")" != "lab.env" ] || [ -n "$(ls -A "$F/lab/tmp")" ]; then
			fail "$name" "something half-built was left: $(ls -A "$F/lab" "$F/lab/tmp" | tr '\n' ' ')"
		elif [ "$(cat "$F/lab/lab.env")" != "LAB_MARK=untouched" ]; then
			fail "$name" "lab.env changed"
		else
			pass "$name"
		fi
		umount "$F"
	fi
fi
