# SPDX-License-Identifier: GPL-2.0-only
# The layers (lib < trace < launcher < host-tools) and the license: each
# folder includes only its own headers and those of the layers below,
# the Makefile's include paths refuse an upward include, and every source
# file carries the SPDX line of LICENSE.  Also the BPF target the build
# picks for each host byte order.
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 1

# What each folder may include from, besides itself.
declare -A below=(
	[lib]="include/pvexit build/gen"
	[trace]="include/pvexit lib build/bpf"
	[launcher]="include/pvexit lib trace"
	[host-tools]="include/pvexit lib trace launcher build/gen"
	[bench]="include/pvexit lib trace build/bpf"
)
bad=()
while read -r from to header file; do
	[ "$from" = "$to" ] && continue
	allowed=${below[$from]-}
	[ -n "$allowed" ] || continue
	case " $allowed " in
	*" $to "*) ;;
	*) bad+=("$file includes $header from $to") ;;
	esac
done < <(tests/include-graph --edges)
if [ ${#bad[@]} -eq 0 ]; then
	pass "layers: no folder includes from a layer above it"
else
	fail "layers: no folder includes from a layer above it" "${bad[*]:0:5}"
fi

# The build itself refuses an upward include: a probe compiled with a
# lower layer's include paths cannot see an upper layer's header.
probe() { # LAYER_FILE HEADER -> compiler status
	local inc
	inc=$(make -s --no-print-directory print-layer-inc F="$1")
	printf '#include "%s"\nint probe_;\n' "$2" >"$T_TMP/probe.c"
	# shellcheck disable=SC2086 # the include flags are words
	gcc -std=c11 -D_GNU_SOURCE $inc -fsyntax-only "$T_TMP/probe.c" 2>"$T_TMP/probe.err"
}
for c in "lib/util.c collector.h" "lib/util.c launcher.h" "trace/exits.c launcher.h" \
	"trace/exits.c run_table.h" "launcher/launcher.c cmd.h"; do
	read -r f h <<<"$c"
	if probe "$f" "$h"; then
		fail "layers: $f cannot include $h" "it compiled"
	elif grep -q "$h: No such file" "$T_TMP/probe.err"; then
		pass "layers: $f cannot include $h"
	else
		fail "layers: $f cannot include $h" "$(head -n 1 "$T_TMP/probe.err")"
	fi
done
# ... while the layers below stay in reach (or the probe proves nothing).
for c in "trace/exits.c util.h" "launcher/launcher.c kvm_stats.h" "host-tools/cmd_run.c launcher.h"; do
	read -r f h <<<"$c"
	if probe "$f" "$h"; then
		pass "layers: $f can include $h"
	else
		fail "layers: $f can include $h" "$(head -n 1 "$T_TMP/probe.err")"
	fi
done

# The license: GPL-2.0-only, on every source file.
if grep -q 'GNU GENERAL PUBLIC LICENSE' LICENSE 2>/dev/null && grep -q 'Version 2, June 1991' LICENSE; then
	pass "license: LICENSE holds the GPL version 2"
else
	fail "license: LICENSE holds the GPL version 2" "LICENSE is missing or another text"
fi
tag='SPDX-License-Identifier: GPL-2.0-only'
untagged=()
n=0
while read -r f; do
	case "$f" in
	tests/fixtures/* | docs/* | *.md | *.json | *.lock | LICENSE | lab/kernel.config) continue ;;
	esac
	case "$f" in
	*.c | *.h | *.S | *.lds | *.def | *.sh | *.gp | *.suite | *.list | Makefile | lab/host-packages) ;;
	*) head -n 1 "$f" | grep -q '^#!' || continue ;;
	esac
	n=$((n + 1))
	head -n 2 "$f" | grep -qF "$tag" || untagged+=("$f")
done < <(git ls-files)
if [ "$n" -lt 100 ]; then
	fail "license: an SPDX line on every source file" "only $n source files found: not a git checkout?"
elif [ ${#untagged[@]} -eq 0 ]; then
	pass "license: an SPDX line on every source file ($n files)"
else
	fail "license: an SPDX line on every source file" "${#untagged[@]} without '$tag': ${untagged[*]:0:8}"
fi
# The kernel loads a BPF program's GPL-only helpers only for a
# GPL-compatible license string.
for f in $(git ls-files '*.bpf.c'); do
	if grep -qE 'SEC\("license"\) = "(GPL|Dual BSD/GPL|GPL v2)"' "$f"; then
		pass "license: $f declares a GPL-compatible license"
	else
		fail "license: $f declares a GPL-compatible license" "no SEC(\"license\") = \"GPL\""
	fi
done

# The BPF programs run in the KVM host's kernel, in its byte order: a
# big-endian PowerPC host (G5, BE POWER) needs bpfeb.
for c in "x86_64 bpfel" "ppc64le bpfel" "ppc64 bpfeb"; do
	read -r arch want <<<"$c"
	got=$(make -s --no-print-directory print-bpf-target HOST_ARCH="$arch" 2>&1)
	[ "$got" = "$want" ] && pass "build: BPF target on $arch is $want" ||
		fail "build: BPF target on $arch is $want" "got '$got'"
done
