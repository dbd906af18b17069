# SPDX-License-Identifier: GPL-2.0-only
# make install and uninstall into a staging DESTDIR: the installed pvexit
# runs from outside the source tree, finds its gnuplot scripts, says its
# version and how it was built, and uninstall leaves nothing behind.
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 1

FIX=$T_ROOT/tests/fixtures/results/lab-le-be.json
D=$T_TMP/stage
if [ ! -x build/host/bin/pvexit ]; then
	fail "install: tests" "build/host/bin/pvexit is not built: run 'make build'"
	exit 0
fi
run make -s --no-print-directory install DESTDIR="$D" PREFIX=/opt/pvx
check_status "install: make install DESTDIR=... PREFIX=/opt/pvx" 0 &&
	pass "install: make install DESTDIR=... PREFIX=/opt/pvx"
missing=()
for f in bin/pvexit bin/pvexit-bpf-floor lib/pvexit/guest/payload-be.elf \
	lib/pvexit/guest/payload-le.elf lib/pvexit/guest/payload-be32.elf \
	lib/pvexit/guest/payload-e500.elf share/pvexit/e500.suite \
	share/pvexit/plots/common.gp share/pvexit/plots/time-per-op.gp \
	share/pvexit/plots/headline.gp share/pvexit/default.suite share/man/man1/pvexit.1; do
	[ -f "$D/opt/pvx/$f" ] || missing+=("$f")
done
[ ${#missing[@]} -eq 0 ] && pass "install: the program, payloads, scripts, suite and man page" ||
	fail "install: the program, payloads, scripts, suite and man page" "missing: ${missing[*]}"

# Out of the tree, with no hint but where the program is.
run env -C / -u PVEXIT_PLOTS_DIR "$D/opt/pvx/bin/pvexit" --version
name="install: pvexit --version names the version, revision and build"
check_status "$name" 0 &&
	grep -qE '^pvexit [0-9.]+ \(git [0-9a-f]+(-dirty)?; native build for [a-z0-9_]+-linux-gnu, (gcc|clang) [0-9]' "$T_TMP/out" &&
	pass "$name" || fail "$name" "$(cat "$T_TMP/out")"
run env -C / -u PVEXIT_PLOTS_DIR "$D/opt/pvx/bin/pvexit" plot "$FIX" -o "$T_TMP/plots" --guest le --format svg
name="install: the installed plot finds its scripts in share/pvexit"
check_status "$name" 0 && [ -f "$T_TMP/plots/ns-per-op-le.svg" ] && pass "$name" ||
	fail "$name" "$(tr '\n' '|' <"$T_TMP/err")"
name="install: the installed man page renders"
if command -v man >/dev/null; then
	MANWIDTH=80 man -l "$D/opt/pvx/share/man/man1/pvexit.1" >"$T_TMP/man.txt" 2>"$T_TMP/man.err"
	grep -q 'pvexit' "$T_TMP/man.txt" && [ ! -s "$T_TMP/man.err" ] && pass "$name" ||
		fail "$name" "$(head -n 2 "$T_TMP/man.err")"
else
	skip "$name" "man is not installed"
fi

run make -s --no-print-directory uninstall DESTDIR="$D" PREFIX=/opt/pvx
left=$(find "$D" -mindepth 1 ! -type d 2>/dev/null | sed "s|$D/||")
name="install: make uninstall removes every file it installed"
check_status "$name" 0 && [ -z "$left" ] && pass "$name" || fail "$name" "left: $left"
