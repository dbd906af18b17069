# SPDX-License-Identifier: GPL-2.0-only
# The native path of a PowerPC host, proven in the lab's Debian ppc64el
# host image (make check-host): inside it, tests/native/in-native.sh
# clones this checkout, runs make deps, make build and make install, runs
# the installed pvexit and the unit tests.  Here, its exit counts must
# equal those of the same classes run from this machine into the lab.
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 1

name="native: the host image boots and runs the native steps"
if ! lab_built; then
	skip "$name" "no lab: run 'make lab'"
	exit 0
fi
LAB=$(lab/build dir)
if [ ! -f "$LAB/image.env" ]; then
	fail "$name" "no host image: run 'lab/build image' (make check-host does)"
	exit 0
fi
git rev-parse --git-dir >/dev/null 2>&1 || {
	skip "$name" "not a git checkout: the image clones it"
	exit 0
}

out=$T_TMP/native
mkdir -p "$out"
# The native build is the long part: several minutes of compiling under
# TCG, so two CPUs and the host clock (icount runs one CPU), and room.
start=$SECONDS
run lab/run --image host --clock host --smp 2 --mem 3072 --timeout 3600 \
	--src "$T_ROOT" --out "$out" -- bash /src/tests/native/in-native.sh
echo "  lab/run --image host: $((SECONDS - start)) s"
sed -n 's/^\(INFO\|TIME\) /  /p' "$T_TMP/out"
if check_status "$name" 0; then
	pass "$name"
fi
n=$(relay_results "$T_TMP/out")
# Eleven steps report; fewer means the script stopped early.
[ "$n" -ge 11 ] || fail "native: every step reported" "got $n results; logs: $(ls "$out/logs" 2>/dev/null | tr '\n' ' ')"
[ -f "$out/native.json" ] || exit 0

# The same classes driven from this machine into the lab.
run build/host/bin/pvexit run --class mfmsr,mtmsr --reps 3 -o "$T_TMP/cross.json"
check_status "native: the reference run from $(uname -m) into the lab" 0 &&
	pass "native: the reference run from $(uname -m) into the lab"
[ -f "$T_TMP/cross.json" ] || exit 0

python3 - "$out/native.json" "$T_TMP/cross.json" >"$T_TMP/cmp" 2>&1 <<'PY'
import json, sys

def rows(path):
    with open(path) as f:
        d = json.load(f)
    return d, {(r["guest"], r["class"], r["case"], r["variant"]): r for r in d["rows"]}

nd, native = rows(sys.argv[1])
cd, cross = rows(sys.argv[2])
print("BUILD", nd.get("build"), "vs", cd.get("build"))
bad = []
if set(native) != set(cross):
    bad.append("rows differ: %s" % sorted(set(native) ^ set(cross)))
for k in sorted(set(native) & set(cross)):
    n, c = native[k], cross[k]
    for f in ("exits_per_op", "irq_per_op"):
        if round(n.get(f) or 0, 3) != round(c.get(f) or 0, 3):
            bad.append("%s %s: native %s, cross %s" % ("/".join(x for x in k if x), f, n.get(f), c.get(f)))
    for r, side in ((n, "native"), (c, "cross")):
        if r.get("verdict") != "ok":
            bad.append("%s: %s verdict %s" % ("/".join(x for x in k if x), side, r.get("verdict")))
print("ROWS", len(native))
for b in bad:
    print("BAD", b)
PY
sed -n 's/^BUILD /  build: /p' "$T_TMP/cmp"
nrows=$(sed -n 's/^ROWS //p' "$T_TMP/cmp")
name="native: exits per op and value checks equal the cross-built lab run"
if [ -z "$nrows" ]; then
	fail "$name" "the comparison failed: $(tail -n 1 "$T_TMP/cmp")"
elif [ "$nrows" -lt 6 ]; then
	fail "$name" "only $nrows rows in the native results"
elif grep -q '^BAD ' "$T_TMP/cmp"; then
	fail "$name" "$(sed -n 's/^BAD //p' "$T_TMP/cmp" | head -n 5 | tr '\n' ';')"
else
	pass "$name ($nrows rows)"
fi
