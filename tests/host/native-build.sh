# SPDX-License-Identifier: GPL-2.0-only
# What a PowerPC host's make does, seen from here: the package groups it
# installs, and a build plan with its own compiler and no lab.  (The real
# native build runs in the lab's host image: make check-host.)
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 1

# has "LIST" PKG...: every PKG is a word of LIST.
has() {
	local list=" $1 " p
	shift
	for p in "$@"; do
		case "$list" in *" $p "*) ;; *) return 1 ;; esac
	done
}
# none "LIST" PKG...: no PKG is a word of LIST.
none() {
	local list=$1 p
	shift
	for p in "$@"; do
		! has "$list" "$p" || return 1
	done
}
cross="gcc-powerpc64le-linux-gnu gcc-powerpc64-linux-gnu"
labp="qemu-system-ppc linux-source-6.1"
e500p="gcc-powerpc-linux-gnu libc6-dev-powerpc-cross dpkg-dev qemu-user-static"
image="mmdebstrap arch-test"
for arch in ppc64le ppc64; do
	w=$(lab/deps --arch $arch --wanted 2>&1 | tr '\n' ' ')
	name="deps: a $arch host wants the base group only"
	# shellcheck disable=SC2086 # word lists
	if has "$w" gcc libbpf-dev clang git && none "$w" $cross $labp $e500p $image; then
		pass "$name"
	else
		fail "$name" "got: $w"
	fi
	w=$(lab/deps --arch $arch --lab --wanted 2>&1 | tr '\n' ' ')
	name="deps: a $arch host with --lab adds both labs, not the cross compilers"
	# shellcheck disable=SC2086
	if has "$w" gcc $labp $e500p && none "$w" $cross $image; then
		pass "$name"
	else
		fail "$name" "got: $w"
	fi
done
w=$(lab/deps --arch x86_64 --wanted 2>&1 | tr '\n' ' ')
name="deps: an x86_64 machine wants the cross compilers, both labs and the image tools"
# shellcheck disable=SC2086
has "$w" gcc $cross $labp $e500p $image && pass "$name" || fail "$name" "got: $w"
name="deps: a package two groups share is wanted once"
dups=$(lab/deps --arch x86_64 --wanted 2>&1 | sort | uniq -d | tr '\n' ' ')
[ -z "$dups" ] && pass "$name" || fail "$name" "listed twice: $dups"
expect_error "deps: --list with no group" 2 "wants group names" lab/deps --list
expect_error "deps: --arch with no value" 2 "wants a machine name" lab/deps --arch

# The build plan on a PowerPC host: make -n with that HOST_ARCH, in a
# scratch BUILD so nothing here is touched.
plan=$T_TMP/plan
for arch in ppc64le ppc64; do
	make -n --no-print-directory BUILD="$T_TMP/b-$arch" HOST_ARCH=$arch build >"$plan" 2>&1
	name="make build on $arch: no lab, payloads with the host's own gcc"
	if grep -qE 'lab/(build|deps)' "$plan"; then
		fail "$name" "the plan runs the lab: $(grep -m1 -E 'lab/(build|deps)' "$plan")"
	elif grep -qE 'powerpc64(le)?-linux-gnu-gcc' "$plan"; then
		fail "$name" "the plan uses a cross compiler: $(grep -m1 -oE 'powerpc64(le)?-linux-gnu-gcc[^ ]*' "$plan")"
	elif ! grep -qE '^gcc .*-mbig-endian .*-c -o [^ ]*/guest/be/' "$plan" ||
		! grep -qE '^gcc .*-mlittle-endian .*-c -o [^ ]*/guest/le/' "$plan" ||
		! grep -qE '^gcc .*-m32 -mbig-endian .*-c -o [^ ]*/guest/be32/' "$plan"; then
		fail "$name" "no native gcc line for each of be, le, be32"
	elif ! grep -q 'btf dump file /sys/kernel/btf/vmlinux' "$plan"; then
		fail "$name" "vmlinux.h does not come from the running kernel's BTF"
	else
		pass "$name"
	fi
done
make -n --no-print-directory BUILD="$T_TMP/b-x" HOST_ARCH=ppc64 build >"$plan" 2>&1
grep -q -- '-target bpfeb' "$plan" && pass "make build on ppc64: big-endian BPF programs" ||
	fail "make build on ppc64: big-endian BPF programs" "$(grep -m1 -o -- '-target [a-z]*' "$plan")"

# A 32-bit PowerPC host: an e500v2 with KVM, which runs the e500 guest
# alone, built with its own gcc; no lab, no 64-bit payloads.
name="make build on ppc (e500v2): native, the e500 payload only, big-endian BPF"
make -n --no-print-directory BUILD="$T_TMP/b-x" HOST_ARCH=ppc build >"$plan" 2>&1
if grep -q 'lab/build' "$plan"; then
	fail "$name" "the plan builds the lab"
elif grep -qE 'powerpc(64(le)?)?-linux-gnu-gcc' "$plan"; then
	fail "$name" "the plan uses a cross compiler: $(grep -m1 -oE 'powerpc(64(le)?)?-linux-gnu-gcc[^ ]*' "$plan")"
elif ! grep -qE '^gcc .*-m32 -mbig-endian .*-DPVX_BOOKE .*-c -o [^ ]*/guest/e500/' "$plan"; then
	fail "$name" "no native gcc line for the e500 payload"
elif grep -qE -- '-o [^ ]*/guest/(be|le|be32)/' "$plan"; then
	fail "$name" "it builds a Book3S payload too"
elif ! grep -q -- '-target bpfeb' "$plan"; then
	fail "$name" "BPF target $(grep -m1 -o -- '-target [a-z]*' "$plan")"
else
	pass "$name"
fi

# lab/run's options for the host image.
expect_error "lab/run: --image with an unknown root" 2 "--image wants lab or host" lab/run --image nope -- true
expect_error "lab/run: --src without the host image" 2 "--src needs --image host" lab/run --src . -- true
