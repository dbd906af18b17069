#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The real trace.dat seeds of corpus/fuzz_tracedat/, made from a fixture
# of tests/fixtures/trace/ (a little-endian trace-cmd file, version 7):
# the same recording without its kallsyms, which are nine tenths of the
# file and which the decoder never reads (trace_decode_hooks.c), so that
# libFuzzer's mutations land on what the decoder does read.  trace-cmd
# itself then writes the seeds from it, as version 7 (zstd) and as
# version 6 without compression, and `trace-cmd split` keeps a version 6
# file's first ring-buffer page only.
#
#   tests/fuzz/tracedat-seeds.sh FIXTURE OUTDIR NAME
#
# writes OUTDIR/NAME-v7 and OUTDIR/NAME-v6-page.  Needs trace-cmd 3.x,
# zstd and od.
set -eu

[ $# -eq 3 ] || {
	echo "usage: $0 FIXTURE OUTDIR NAME" >&2
	exit 2
}
in=$1
out=$2
name=$3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tracedat-seeds.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

die() {
	echo "$0: $in: $*" >&2
	exit 1
}

# An unsigned little-endian number of $3 bytes at offset $2 of file $1.
num() {
	od -An -tu"$3" -j"$2" -N"$3" "$1" | tr -d ' '
}

# $4 as $3 little-endian bytes at offset $2 of file $1.
put() {
	local i v=$4 s=
	for ((i = 0; i < $3; i++)); do
		s+=$(printf '\\%03o' $((v & 255)))
		v=$((v >> 8))
	done
	# shellcheck disable=SC2059
	printf "$s" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# Bytes [$2, $3) of file $1 to stdout.
bytes() {
	tail -c +$(($2 + 1)) "$1" | head -c $(($3 - $2))
}

[ "$(head -c 10 "$in" | od -An -tx1 | tr -d ' \n')" = 17084474726163696e67 ] ||
	die "not a trace.dat"
[ "$(bytes "$in" 10 12 | tr -d '\0')" = 7 ] || die "not file version 7"
[ "$(num "$in" 12 1)" = 0 ] || die "not little-endian"
page=$(num "$in" 14 4)
# the compression's name and version, each ending in a NUL
mapfile -t comp < <(bytes "$in" 18 100 | tr '\0' '\n' | head -n 2)
first_at=$((18 + ${#comp[0]} + 1 + ${#comp[1]} + 1))

# Every 8-byte field that holds a file offset: where it is.
fields=("$first_at")
kallsyms=0
fly=0
data=0
opt=$(num "$in" "$first_at" 8)
while [ "$opt" -ne 0 ]; do
	[ "$(num "$in" "$opt" 2)" = 0 ] && [ "$(num "$in" $((opt + 2)) 2)" = 0 ] ||
		die "options section at $opt is not an uncompressed options section"
	end=$((opt + 16 + $(num "$in" $((opt + 8)) 8)))
	p=$((opt + 16))
	next=0
	while [ "$p" -lt "$end" ]; do
		id=$(num "$in" "$p" 2)
		size=$(num "$in" $((p + 2)) 4)
		d=$((p + 6))
		case $id in
		0) # DONE: the next options section
			fields+=("$d")
			next=$(num "$in" "$d" 8)
			;;
		3) # BUFFER: its section, name, clock, page size, CPUs, then per CPU
			fields+=("$d")
			fly=$(num "$in" "$d" 8)
			q=$((d + 8))
			for _ in 1 2; do
				s=$(bytes "$in" "$q" $((d + size)) | tr '\0' '\n' | head -n 1)
				q=$((q + ${#s} + 1))
			done
			cpus=$(num "$in" $((q + 4)) 4)
			q=$((q + 8))
			[ "$cpus" -eq 1 ] || die "$cpus CPUs (one is handled)"
			fields+=("$((q + 4))")
			data=$(num "$in" $((q + 4)) 8)
			;;
		19) # KALLSYMS
			fields+=("$d")
			kallsyms=$(num "$in" "$d" 8)
			;;
		16 | 17 | 18 | 20 | 21) # the other sections
			fields+=("$d")
			;;
		esac
		p=$((d + size))
	done
	opt=$next
done
[ "$kallsyms" -gt 0 ] && [ "$fly" -gt "$kallsyms" ] && [ "$data" -gt "$fly" ] ||
	die "kallsyms at $kallsyms, flyrecord at $fly, data at $data: not in that order"
kend=$((kallsyms + 16 + $(num "$in" $((kallsyms + 8)) 8)))
[ -z "$(bytes "$in" $((fly + 16)) "$data" | tr -d '\0')" ] ||
	die "the flyrecord section holds more than padding before its data"

# An empty kallsyms section: its 4-byte size, 0, compressed.
printf '\0\0\0\0' | zstd -q -c >"$tmp/frame"
flen=$(stat -c %s "$tmp/frame")
cp /dev/null "$tmp/ksec"
put "$tmp/ksec" 0 2 19
put "$tmp/ksec" 2 2 1
put "$tmp/ksec" 4 4 "$(num "$in" $((kallsyms + 4)) 4)"
put "$tmp/ksec" 8 8 $((8 + flen))
put "$tmp/ksec" 16 4 "$flen"
put "$tmp/ksec" 20 4 4
cat "$tmp/frame" >>"$tmp/ksec"
delta=$(($(stat -c %s "$tmp/ksec") - (kend - kallsyms)))
# the CPU data stays page-aligned, as trace-cmd writes it
ndata=$(((fly + delta + 16 + page - 1) / page * page))
delta2=$((ndata - data))

# Where an offset of the fixture lies in the new file.
map() {
	if [ "$1" -lt "$kend" ]; then
		echo "$1"
	elif [ "$1" -lt "$data" ]; then
		echo $(($1 + delta))
	else
		echo $(($1 + delta2))
	fi
}

s=$tmp/stripped.dat
{
	bytes "$in" 0 "$kallsyms"
	cat "$tmp/ksec"
	bytes "$in" "$kend" $((fly + 16))
	head -c $((ndata - (fly + delta + 16))) /dev/zero
	tail -c +$((data + 1)) "$in"
} >"$s"
for f in "${fields[@]}"; do
	v=$(num "$in" "$f" 8)
	[ "$v" -eq 0 ] || put "$s" "$(map "$f")" 8 "$(map "$v")"
done
put "$s" $((fly + delta + 8)) 8 $(($(num "$in" $((fly + 8)) 8) + delta2 - delta))

# trace-cmd's chatter is kept for when it fails.
tc() {
	trace-cmd "$@" >"$tmp/log" 2>&1 || die "trace-cmd $1 failed: $(tail -n 3 "$tmp/log")"
}
mkdir -p "$out"
tc convert -i "$s" -o "$out/$name-v7"
tc convert --file-version 6 --compression none -i "$s" -o "$tmp/v6.dat"
tc split -i "$tmp/v6.dat" -o "$tmp/page" -p 1
cp "$tmp/page.1" "$out/$name-v6-page"
