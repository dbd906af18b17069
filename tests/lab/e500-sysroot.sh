# SPDX-License-Identifier: GPL-2.0-only
# lab/e500/sysroot: its usage errors, and that the sysroot it built links a
# static 32-bit PowerPC program (tests/lab/e500_sysroot_probe.c) that reads
# ELF files with libelf, writes and reads a device tree with libfdt and
# round-trips zlib, run under qemu-ppc-static.
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 1

cc=powerpc-linux-gnu-gcc
expect_error "lab/e500/sysroot: an unknown subcommand" 2 "unknown subcommand 'nope'" \
	lab/e500/sysroot nope
expect_error "lab/e500/sysroot: two subcommands" 2 "one subcommand at most" \
	lab/e500/sysroot build dir
run lab/e500/sysroot --help
if check_status "lab/e500/sysroot --help" 0; then
	grep -q '^usage: lab/e500/sysroot \[build|dir|--help\]$' "$T_TMP/out" &&
		pass "lab/e500/sysroot --help" || fail "lab/e500/sysroot --help" "no usage line on stdout"
fi
if command -v "$cc" >/dev/null; then
	expect_error "lab/e500/sysroot dir: an empty cache has no sysroot" 1 "no e500 sysroot in " \
		env PVEXIT_E500_DIR="$T_TMP/empty" lab/e500/sysroot dir
else
	skip "lab/e500/sysroot dir: an empty cache has no sysroot" "$cc is not installed (gcc-powerpc-linux-gnu)"
fi

if ! sysroot=$(lab/e500/sysroot dir 2>"$T_TMP/dir.err"); then
	skip "e500 sysroot: a static PowerPC program links and runs against it" \
		"$(sed -n '1s/^[^:]*: error: //p' "$T_TMP/dir.err")"
	exit 0
fi

# A copy of the sysroot and of the versions its key was made from: build
# finds it up to date without the network and names it in sysroot.env;
# once a file is changed, dir no longer offers it.
cache=$T_TMP/cache
key_dir=$(basename "$sysroot")
mkdir -p "$cache/sysroot-apt"
cp "$(dirname "$sysroot")/sysroot-apt/versions" "$cache/sysroot-apt/"
cp -R "$sysroot" "$cache/"
cache=$(cd "$cache" && pwd -P)
name="lab/e500/sysroot: an intact sysroot is up to date, offline, and named in sysroot.env"
run env PVEXIT_E500_DIR="$cache" PVEXIT_DEBIAN_MIRROR=http://192.0.2.1:9/debian lab/e500/sysroot build
if check_status "$name" 0; then
	if ! grep -q "up to date: $cache/$key_dir " "$T_TMP/err"; then
		fail "$name" "$(tr '\n' '|' <"$T_TMP/err")"
	elif [ "$(cat "$cache/sysroot.env")" != "E500_SYSROOT=$cache/$key_dir" ]; then
		fail "$name" "sysroot.env says: $(cat "$cache/sysroot.env")"
	else
		pass "$name"
	fi
fi
echo '/* changed */' >>"$cache/$key_dir/include/gelf.h"
expect_error "lab/e500/sysroot dir: a sysroot with a changed file is not offered" 1 \
	'fails its checksum check' env PVEXIT_E500_DIR="$cache" lab/e500/sysroot dir

name="e500 sysroot: its headers and three libraries are in place"
missing=()
for f in include/libelf.h include/gelf.h include/nlist.h include/elfutils/elf-knowledge.h \
	include/zlib.h include/zconf.h include/libfdt.h include/libfdt_env.h include/fdt.h \
	lib/libelf.a lib/libz.a lib/libfdt.a; do
	[ -f "$sysroot/$f" ] || missing+=("$f")
done
[ ${#missing[@]} -eq 0 ] && pass "$name" || fail "$name" "missing in $sysroot: ${missing[*]}"

# Every member must be 32-bit big-endian PowerPC code; PIC or PIE code on
# 32-bit PowerPC carries a .got2 section, position-dependent code none.
name="e500 sysroot: the archives hold position-dependent 32-bit big-endian PowerPC objects"
bad=
for a in libelf.a libz.a libfdt.a; do
	lib=$sysroot/lib/$a
	members=$(powerpc-linux-gnu-ar t "$lib" | grep -c '\.o$')
	hdr=$(powerpc-linux-gnu-readelf -h "$lib" 2>&1)
	for want in 'Class: *ELF32' 'Data: *2.s complement, big endian' 'Machine: *PowerPC$'; do
		n=$(printf '%s\n' "$hdr" | grep -cE "$want")
		[ "$n" -eq "$members" ] || bad+="$a: $n of $members objects match '$want'; "
	done
	[ "$members" -gt 0 ] || bad+="$a: no objects; "
	got2=$(powerpc-linux-gnu-readelf -SW "$lib" | grep -c '\.got2' || true)
	[ "$got2" -eq 0 ] || bad+="$a: $got2 .got2 sections (PIC code); "
done
[ -z "$bad" ] && pass "$name" || fail "$name" "$bad"

probe=$T_TMP/e500_sysroot_probe
name="e500 sysroot: a static program links with -lfdt -lelf -lz"
if "$cc" -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -static -I"$sysroot/include" \
	-o "$probe" tests/lab/e500_sysroot_probe.c -L"$sysroot/lib" -lfdt -lelf -lz 2>"$T_TMP/cc.err"; then
	pass "$name"
else
	fail "$name" "$(head -n 3 "$T_TMP/cc.err" | tr '\n' '|')"
	exit 0
fi

name="e500 sysroot: the program is a static 32-bit PowerPC executable"
hdr=$(powerpc-linux-gnu-readelf -hl "$probe")
if ! printf '%s\n' "$hdr" | grep -q 'Type: *EXEC'; then
	fail "$name" "not ET_EXEC: $(printf '%s\n' "$hdr" | grep 'Type:')"
elif ! printf '%s\n' "$hdr" | grep -q 'Machine: *PowerPC$'; then
	fail "$name" "$(printf '%s\n' "$hdr" | grep 'Machine:')"
elif printf '%s\n' "$hdr" | grep -qE 'INTERP|DYNAMIC'; then
	fail "$name" "it has a program interpreter or a dynamic section"
else
	pass "$name"
fi

if ! command -v qemu-ppc-static >/dev/null; then
	skip "e500 sysroot: the program runs under qemu-ppc-static" "qemu-ppc-static is not installed (qemu-user-static)"
	exit 0
fi

name="e500 sysroot: libelf, libfdt and zlib work in the program, reading itself (qemu-ppc-static)"
run qemu-ppc-static "$probe" "$probe"
if check_status "$name" 0; then
	if ! grep -qx 'elf: class ELFCLASS32, data ELFDATA2MSB, machine EM_PPC (20), [1-9][0-9]* sections' "$T_TMP/out"; then
		fail "$name" "elf line: $(grep '^elf:' "$T_TMP/out")"
	elif ! grep -qx 'fdt: [0-9]* bytes, header ok, /compatible and /cpu@0/reg 0x12345678 read back' "$T_TMP/out"; then
		fail "$name" "fdt line: $(grep '^fdt:' "$T_TMP/out")"
	elif ! grep -qxE 'zlib: [0-9.]+, 53 bytes round-tripped through [0-9]+' "$T_TMP/out"; then
		fail "$name" "zlib line: $(grep '^zlib:' "$T_TMP/out")"
	else
		pass "$name"
	fi
fi

# The other class and byte order: libelf's conversions, which a wrong
# cross build would break first.
name="e500 sysroot: libelf reads a 64-bit little-endian ELF file (qemu-ppc-static)"
if printf 'int pvexit_probe_le;\n' | powerpc64le-linux-gnu-gcc -x c -c -o "$T_TMP/le.o" - 2>/dev/null; then
	run qemu-ppc-static "$probe" "$T_TMP/le.o"
	if check_status "$name" 0; then
		grep -qx 'elf: class ELFCLASS64, data ELFDATA2LSB, machine EM_PPC64 (21), [1-9][0-9]* sections' "$T_TMP/out" &&
			pass "$name" || fail "$name" "$(grep '^elf:' "$T_TMP/out")"
	fi
else
	skip "$name" "powerpc64le-linux-gnu-gcc cannot make the file (gcc-powerpc64le-linux-gnu)"
fi

expect_error "e500 sysroot: the program refuses a file that is not ELF, in one line" 1 \
	'error: elf_kind: .*: not an ELF file$' qemu-ppc-static "$probe" tests/lab/e500_sysroot_probe.c
