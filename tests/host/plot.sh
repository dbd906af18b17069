# SPDX-License-Identifier: GPL-2.0-only
# pvexit plot on the results fixtures (no lab): the figures gnuplot draws
# (PNG size and content, SVG structure and bar counts against the
# fixtures' own rows), which figures appear when, and bad input leaving
# the output directory as it was.
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 1

PVEXIT=${PVEXIT:-$T_ROOT/build/host/bin/pvexit}
FIXDIR=$T_ROOT/tests/fixtures/results
FIX=$FIXDIR/lab-le-be.json
SLOW=$FIXDIR/slower-mfmsr.json
INCOMPLETE=$FIXDIR/incomplete.json
need_pvexit "plot: tests" "$FIX" "$SLOW" "$INCOMPLETE" || exit 0
# The scripts of this tree, whichever pvexit is tested; finding them
# without this is tested on its own below.
export PVEXIT_PLOTS_DIR=$T_ROOT/plots
have_gnuplot=1
command -v gnuplot >/dev/null || have_gnuplot=0

# The checks on the files themselves, in Python (stdlib only: the PNG is
# inflated with zlib and unfiltered here).
cat >"$T_TMP/check.py" <<'EOF'
import json, re, struct, sys, zlib
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"

def png(path, full):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise SystemExit("not a PNG")
    pos, idat, ihdr = 8, [], None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", data[pos + 8:pos + 8 + n])
        elif kind == b"IDAT":
            idat.append(data[pos + 8:pos + 8 + n])
        pos += 12 + n
    w, h, depth, ctype, _, _, interlace = ihdr
    raw = zlib.decompress(b"".join(idat))
    if depth != 8 or ctype not in (2, 6) or interlace:
        raise SystemExit("PNG of depth %d, colour type %d, interlace %d" % (depth, ctype, interlace))
    bpp = 3 if ctype == 2 else 4
    stride = w * bpp
    if len(raw) != h * (stride + 1):
        raise SystemExit("%d bytes of image data, want %d" % (len(raw), h * (stride + 1)))
    if not full:
        # Unfiltering in Python takes a second per figure: without it, a
        # blank image still shows as filtered data of a handful of bytes.
        return w, h, len(set(raw))
    prev, colours = bytearray(stride), set()
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride) if f else ():
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                p = a
            elif f == 2:
                p = b
            elif f == 3:
                p = (a + b) >> 1
            else:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                p = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            line[i] = (line[i] + p) & 255
        colours.update(bytes(line[i:i + 3]) for i in range(0, stride, bpp))
        prev = line
    return w, h, colours

def colour_vars(common):
    """The variants' colours, as common.gp sets them: name -> (r, g, b)."""
    out = {}
    for name, hexrgb in re.findall(r'^c_(\w+) = "#([0-9A-Fa-f]{6})"', open(common).read(), re.M):
        out[name] = tuple(int(hexrgb[i:i + 2], 16) for i in (0, 2, 4))
    return out

def svg_bars(path):
    """Filled rectangles standing on the x axis, counted by fill colour."""
    root = ET.parse(path).getroot()
    polys = []
    for g in root.iter(SVG + "g"):
        if (g.get("id") or "").startswith("gnuplot_plot_"):
            for p in g.iter(SVG + "polygon"):
                pts = [tuple(map(float, xy.split(","))) for xy in p.get("points").split()]
                fill = tuple(int(v) for v in re.findall(r"\d+", p.get("fill")))
                polys.append((max(y for x, y in pts), fill))
    if not polys:
        return {}
    axis = max(y for y, f in polys)
    counts = {}
    for y, fill in polys:
        if abs(y - axis) < 0.5:
            counts[fill] = counts.get(fill, 0) + 1
    return counts

def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "png":
        # png FILE W H [MIN_COLOURS COMMON.gp VARIANT...]: size, content;
        # with MIN_COLOURS, every pixel decoded: at least that many
        # colours, and the listed variants' colours among them.
        path, w, h = args[0], int(args[1]), int(args[2])
        gw, gh, colours = png(path, len(args) > 3)
        if (gw, gh) != (w, h):
            print("%dx%d, want %dx%d" % (gw, gh, w, h))
        if len(args) == 3 and colours < 32:
            print("blank: %d distinct bytes in the image data" % colours)
        if len(args) > 3 and len(colours) < int(args[3]):
            print("%d distinct colours, want at least %s" % (len(colours), args[3]))
        if len(args) > 4:
            want = colour_vars(args[4])
            for v in args[5:]:
                if bytes(want[v]) not in colours:
                    print("no pixel of the %s colour %s" % (v, want[v]))
    elif cmd == "svg":
        # svg FILE...: well-formed XML with gnuplot's plot groups.
        for path in args:
            root = ET.parse(path).getroot()
            if root.tag != SVG + "svg":
                print("%s: root element %s" % (path, root.tag))
            if not any((g.get("id") or "").startswith("gnuplot_plot_") for g in root.iter(SVG + "g")):
                print("%s: no plot in it" % path)
    elif cmd == "bars":
        # bars SVG FIXTURE GUEST COMMON.gp: one bar per row of the guest
        # with a positive ns/op median, in its variant's colour.
        path, fixture, guest, common = args
        colours = colour_vars(common)
        want = {}
        for r in json.load(open(fixture))["rows"]:
            if r["guest"] == guest and r["ns_per_op"]["median"] > 0:
                c = colours[r["variant"]]
                want[c] = want.get(c, 0) + 1
        got = svg_bars(path)
        if got != want:
            print("bars by colour %s, want %s" % (got, want))
        elif sum(want.values()) < 3:
            print("the fixture has only %d rows for %s" % (sum(want.values()), guest))
    elif cmd == "series":
        # series SVG FIXTURE... GUEST: the trend's plots: two key entries
        # (raw, patched), a key entry per label, a raw and a patched line
        # per label (the fixtures have both for every label).
        path, fixtures, guest = args[0], args[1:-1], args[-1]
        labels = set()
        for fx in fixtures:
            for r in json.load(open(fx))["rows"]:
                if r["guest"] == guest:
                    labels.add(r["class"] + ("/" + r["case"] if r["case"] else ""))
        ids = set()
        for g in ET.parse(path).getroot().iter(SVG + "g"):
            m = re.match(r"gnuplot_plot_(\d+)", g.get("id") or "")
            if m:
                ids.add(int(m.group(1)))
        want = set(range(1, 3 + 3 * len(labels)))
        if ids != want:
            print("plots %s, want 1..%d (%d labels)" % (sorted(ids), max(want), len(labels)))

main()
EOF

# py NAME ARGS...: a check of check.py (py_check).
py() {
	local name=$1
	shift
	py_check "$name" "$T_TMP/check.py" "$@"
}

# A directory's listing, hidden files included, for before/after.
listing() {
	(cd "$1" && find . -mindepth 1 | sort && find . -type f -exec md5sum {} + | sort)
}

# unchanged NAME DIR BEFORE: DIR lists as BEFORE did.
unchanged() {
	if listing "$2" | cmp -s - "$3"; then
		pass "$1"
	else
		fail "$1" "$2 changed: $(listing "$2" | diff "$3" - | tr '\n' '|' | head -c 300)"
	fi
}

# The size a script draws at: its "W = ...; H = ..." line.
script_size() {
	local s=$1
	# ns-per-op and insn-per-op are the one time-per-op script's.
	case "$s" in ns-per-op | insn-per-op) s=time-per-op ;; esac
	sed -n 's/^W = \([0-9]*\); H = \([0-9]*\)$/\1 \2/p' "plots/$s.gp"
}

# --- usage -----------------------------------------------------------------

run "$PVEXIT" plot --help
if check_status "plot: --help" 0 && grep -q -- '--output DIR' "$T_TMP/out" &&
	grep -q -- '--format' "$T_TMP/out" && grep -q -- '--guest' "$T_TMP/out"; then
	pass "plot: --help names its options"
elif [ "$status" -eq 0 ]; then
	fail "plot: --help names its options" "$(head -c 300 "$T_TMP/out")"
fi
expect_error "plot: no -o" 2 "no output directory" "$PVEXIT" plot "$FIX"
expect_error "plot: no FILE" 2 "no results FILE" "$PVEXIT" plot -o "$T_TMP/u1"
expect_error "plot: bad --format" 2 "--format wants png, svg or both, not 'jpg'" \
	"$PVEXIT" plot "$FIX" -o "$T_TMP/u2" --format jpg
expect_error "plot: bad --guest" 2 "--guest wants .*not 'be64'" \
	"$PVEXIT" plot "$FIX" -o "$T_TMP/u3" --guest be64
expect_error "plot: -o without a value" 2 "option .-o. needs a value" "$PVEXIT" plot "$FIX" -o
expect_error "plot: unknown option" 2 "unknown option .--frob." \
	"$PVEXIT" plot "$FIX" -o "$T_TMP/u4" --frob
if [ -e "$T_TMP/u1" ] || [ -e "$T_TMP/u2" ] || [ -e "$T_TMP/u3" ] || [ -e "$T_TMP/u4" ]; then
	fail "plot: usage errors make no directory" "$(ls -d "$T_TMP"/u*)"
else
	pass "plot: usage errors make no directory"
fi

# --- bad input -------------------------------------------------------------

head -c 2000 "$FIX" >"$T_TMP/truncated.json"
expect_error "plot: truncated results file" 2 "truncated.json: line [0-9]+ col [0-9]+" \
	"$PVEXIT" plot "$T_TMP/truncated.json" -o "$T_TMP/bad1"
if [ -e "$T_TMP/bad1" ]; then
	fail "plot: a bad file makes no directory" "$T_TMP/bad1 exists"
else
	pass "plot: a bad file makes no directory"
fi
expect_error "plot: missing results file" 2 "nope.json" \
	"$PVEXIT" plot "$FIX" "$T_TMP/nope.json" -o "$T_TMP/bad2"
# A bad second file: an existing directory keeps what it held.
mkdir -p "$T_TMP/keep" && echo old >"$T_TMP/keep/ns-per-op-be.png" && echo mine >"$T_TMP/keep/notes.txt"
listing "$T_TMP/keep" >"$T_TMP/keep.before"
expect_error "plot: bad file after a good one" 2 "truncated.json" \
	"$PVEXIT" plot "$FIX" "$T_TMP/truncated.json" -o "$T_TMP/keep"
unchanged "plot: bad file leaves the directory as it was" "$T_TMP/keep" "$T_TMP/keep.before"
expect_error "plot: --guest the file lacks" 2 "--guest be32: .*lab-le-be.json has no rows" \
	"$PVEXIT" plot "$FIX" -o "$T_TMP/bad3" --guest be32
echo not a directory >"$T_TMP/afile"
expect_error "plot: -o names a file" 2 "afile: not a directory" "$PVEXIT" plot "$FIX" -o "$T_TMP/afile"
mkdir -p "$T_TMP/emptypath"
expect_error "plot: no gnuplot" 2 "gnuplot not found on PATH: install gnuplot-nox" \
	env PATH="$T_TMP/emptypath" "$PVEXIT" plot "$FIX" -o "$T_TMP/bad4"
mkdir -p "$T_TMP/noscripts"
expect_error "plot: PVEXIT_PLOTS_DIR without scripts" 2 "PVEXIT_PLOTS_DIR=.*noscripts: no .*\.gp" \
	env PVEXIT_PLOTS_DIR="$T_TMP/noscripts" "$PVEXIT" plot "$FIX" -o "$T_TMP/bad5"
if ls -d "$T_TMP"/bad* >/dev/null 2>&1; then
	fail "plot: failures make no directory" "$(ls -d "$T_TMP"/bad*)"
else
	pass "plot: failures make no directory"
fi

if [ "$have_gnuplot" -eq 0 ]; then
	skip "plot: figures" "gnuplot is not installed (make deps installs gnuplot-nox)"
	exit 0
fi

# gnuplot failing half-way (a broken script): nothing of the run stays.
cp -r plots "$T_TMP/badplots"
printf 'plot no_such_variable\n' >>"$T_TMP/badplots/savings.gp"
listing "$T_TMP/keep" >"$T_TMP/keep.before"
# The error names the figure and the results file, and says gnuplot's
# cause without where in our script it arose.
expect_error "plot: gnuplot fails" 2 "cannot draw savings-(be|le)\.(png|svg) from .*lab-le-be\.json: gnuplot failed: undefined variable: no_such_variable$" \
	env PVEXIT_PLOTS_DIR="$T_TMP/badplots" "$PVEXIT" plot "$FIX" -o "$T_TMP/keep"
if grep -q '\.gp" line' "$T_TMP/err"; then
	fail "plot: gnuplot's error names no script line" "$(cat "$T_TMP/err")"
else
	pass "plot: gnuplot's error names no script line"
fi
unchanged "plot: gnuplot failing leaves the directory as it was" "$T_TMP/keep" "$T_TMP/keep.before"
expect_error "plot: gnuplot fails in a new directory" 2 "gnuplot failed" \
	env PVEXIT_PLOTS_DIR="$T_TMP/badplots" "$PVEXIT" plot "$FIX" -o "$T_TMP/new"
if [ -e "$T_TMP/new" ]; then
	fail "plot: gnuplot failing removes the directory it made" "$(ls -A "$T_TMP/new" | tr '\n' ' ')"
else
	pass "plot: gnuplot failing removes the directory it made"
fi

# --- one file: every figure but the trend ------------------------------------

want_files() { # want_files GUEST... : the files of one results file, both formats
	local g f
	for g in "$@"; do
		echo "per-class-$g.tsv"
		echo "latency-$g.tsv"
		for f in ns-per-op exits-per-op savings headline exit-latency; do
			echo "$f-$g.png"
			echo "$f-$g.svg"
		done
	done
}

run "$PVEXIT" plot "$FIX" -o "$T_TMP/one"
if check_status "plot: fixture" 0; then
	if [ -s "$T_TMP/err" ]; then
		fail "plot: fixture" "said on stderr: $(head -c 300 "$T_TMP/err")"
	else
		pass "plot: fixture"
	fi
	got=$(ls -A "$T_TMP/one" | sort)
	if [ "$got" = "$(want_files be le | sort)" ]; then
		pass "plot: the files of one results file, and nothing else"
	else
		fail "plot: the files of one results file, and nothing else" "$(echo "$got" | tr '\n' ' ')"
	fi
	listed=$(sed "s|^$T_TMP/one/||" "$T_TMP/out" | sort)
	if [ "$listed" = "$got" ]; then
		pass "plot: lists what it wrote"
	else
		fail "plot: lists what it wrote" "$(head -c 300 "$T_TMP/out" | tr '\n' ' ')"
	fi
fi
for fig in ns-per-op exits-per-op savings exit-latency; do
	read -r w h < <(script_size "$fig")
	for g in be le; do
		f=$T_TMP/one/$fig-$g.png
		[ -f "$f" ] || continue
		py "plot: $fig-$g.png is ${w}x$h, not blank" png "$f" "$w" "$h"
	done
done
if [ -f "$T_TMP/one/ns-per-op-be.png" ]; then
	read -r w h < <(script_size ns-per-op)
	py "plot: ns-per-op-be.png has 20+ colours: raw, patched and baseline bars among them" \
		png "$T_TMP/one/ns-per-op-be.png" "$w" "$h" 20 plots/common.gp raw patched baseline
fi
mapfile -t svgs < <(ls "$T_TMP"/one/*.svg 2>/dev/null)
if [ ${#svgs[@]} -eq 10 ]; then
	py "plot: SVGs are well-formed XML (${#svgs[@]})" svg "${svgs[@]}"
else
	fail "plot: SVGs are well-formed XML" "${#svgs[@]} SVGs, want 10"
fi
for g in be le; do
	[ -f "$T_TMP/one/ns-per-op-$g.svg" ] &&
		py "plot: ns-per-op-$g.svg has a bar per row of the fixture" \
			bars "$T_TMP/one/ns-per-op-$g.svg" "$FIX" "$g" plots/common.gp
done

# The tables say what the fixture says.
if [ -f "$T_TMP/one/per-class-be.tsv" ]; then
	if grep -qP '^"mfmsr"\t19005.0415\t18916.9948\t19110.1579\t0.700749023\t' "$T_TMP/one/per-class-be.tsv" &&
		grep -qP '^"mtmsr/ee-pending"\t.*\t2\t2\t0\t[0-9.]+\t[0-9.]+\t[0-9.]+\t0\t' "$T_TMP/one/per-class-be.tsv"; then
		pass "plot: per-class table"
	else
		fail "plot: per-class table" "$(head -n 3 "$T_TMP/one/per-class-be.tsv" | tr '\n' '|')"
	fi
fi

# --- every figure whole, or nothing written (issue 15: 1, 2) -----------------

# old_dir DIR: DIR holding an old file under every name an SVG run of
# $FIX makes, and one of the user's own.
old_dir() {
	local f
	mkdir -p "$1"
	for f in $(want_files be le); do
		case "$f" in *.png) ;; *) echo "old $f" >"$1/$f" ;; esac
	done
	echo mine >"$1/notes.txt"
}

# gnuplot exits 0 when its write fails: this one draws with the real one,
# then cuts the figure named in $CUT_FIGURE as a full disk would.
mkdir -p "$T_TMP/fakebin"
cat >"$T_TMP/fakebin/gnuplot" <<'EOF'
#!/bin/bash
"$REAL_GNUPLOT" "$@" || exit
out=$(printf '%s\n' "$2" | sed -n "s/.*; out='\([^']*\)'.*/\1/p")
case "${out##*/}" in
"$CUT_FIGURE") if [ "$CUT_HOW" = empty ]; then : >"$out"; else truncate -s 2000 "$out"; fi ;;
esac
exit 0
EOF
chmod +x "$T_TMP/fakebin/gnuplot"
fake_plot() { # fake_plot FIGURE HOW ARGS...
	local fig=$1 how=$2
	shift 2
	run env PATH="$T_TMP/fakebin:$PATH" REAL_GNUPLOT="$(command -v gnuplot)" \
		CUT_FIGURE="$fig" CUT_HOW="$how" "$PVEXIT" plot "$@"
}

old_dir "$T_TMP/whole"
listing "$T_TMP/whole" >"$T_TMP/whole.before"
fake_plot savings-le.svg cut "$FIX" -o "$T_TMP/whole" --format svg
check_error "plot: a cut SVG is an error" 2 \
	"cannot draw savings-le\.svg from .*lab-le-be\.json: gnuplot wrote 2000 bytes of svg, no </svg> at its end"
unchanged "plot: a cut SVG leaves the directory as it was" "$T_TMP/whole" "$T_TMP/whole.before"
echo old >"$T_TMP/whole/ns-per-op-be.png"
listing "$T_TMP/whole" >"$T_TMP/whole.before"
fake_plot ns-per-op-be.png cut "$FIX" -o "$T_TMP/whole" --format png
check_error "plot: a PNG without its IEND chunk is an error" 2 \
	"cannot draw ns-per-op-be\.png from .*lab-le-be\.json: gnuplot wrote 2000 bytes of png, no IEND chunk"
fake_plot exits-per-op-be.png empty "$FIX" -o "$T_TMP/whole" --format png
check_error "plot: an empty figure is an error" 2 \
	"cannot draw exits-per-op-be\.png from .*lab-le-be\.json: gnuplot wrote an empty file"
unchanged "plot: a bad PNG leaves the directory as it was" "$T_TMP/whole" "$T_TMP/whole.before"
fake_plot trend-le.svg cut "$FIX" "$SLOW" -o "$T_TMP/cutnew" --format svg
check_error "plot: a cut trend names the first and last files" 2 \
	"cannot draw trend-le\.svg from .*lab-le-be\.json \.\.\. .*slower-mfmsr\.json: "
if [ -e "$T_TMP/cutnew" ]; then
	fail "plot: a cut figure removes the directory plot made" "$(ls -A "$T_TMP/cutnew" | tr '\n' ' ')"
else
	pass "plot: a cut figure removes the directory plot made"
fi

# A directory where a figure goes: found before anything is renamed.
old_dir "$T_TMP/hasdir"
rm "$T_TMP/hasdir/savings-le.svg"
mkdir "$T_TMP/hasdir/savings-le.svg" && echo inside >"$T_TMP/hasdir/savings-le.svg/x"
listing "$T_TMP/hasdir" >"$T_TMP/hasdir.before"
expect_error "plot: a directory in a figure's place" 2 \
	"cannot write savings-le\.svg in .*hasdir: a directory is in its place" \
	"$PVEXIT" plot "$FIX" -o "$T_TMP/hasdir" --format svg
unchanged "plot: a directory in a figure's place leaves the directory as it was" \
	"$T_TMP/hasdir" "$T_TMP/hasdir.before"

# The last rename failing, after 21 others: those are undone, the old
# files back.  An immutable file can be neither linked nor replaced.
old_dir "$T_TMP/late"
listing "$T_TMP/late" >"$T_TMP/late.before"
if chattr +i "$T_TMP/late/exit-latency-le.svg" 2>/dev/null; then
	run "$PVEXIT" plot "$FIX" -o "$T_TMP/late" --format svg
	chattr -i "$T_TMP/late/exit-latency-le.svg"
	check_error "plot: the last rename failing" 2 \
		"cannot write exit-latency-le\.svg in .*late: Operation not permitted"
	unchanged "plot: the last rename failing undoes the others" "$T_TMP/late" "$T_TMP/late.before"
else
	skip "plot: the last rename failing undoes the others" \
		"chattr +i is not possible here (not root, or a file system without the attribute)"
fi

# The list on stdout is part of the output: when it is lost, so are the
# figures.
old_dir "$T_TMP/lost"
listing "$T_TMP/lost" >"$T_TMP/lost.before"
"$PVEXIT" plot "$FIX" -o "$T_TMP/lost" --format svg >/dev/full 2>"$T_TMP/err" </dev/null
status=$?
: >"$T_TMP/out"
check_error "plot: stdout on a full device" 2 "writing to standard output failed: No space left on device"
unchanged "plot: stdout lost leaves the directory as it was" "$T_TMP/lost" "$T_TMP/lost.before"

# A full disk for real: gnuplot exits 0 with its figures cut or empty.
mkdir -p "$T_TMP/full"
if mount -t tmpfs -o size=64k,mode=0755 pvexit-plot-test "$T_TMP/full" 2>"$T_TMP/mount.err"; then
	trap 'umount "$T_TMP/full" 2>/dev/null; rm -rf "$T_TMP"' EXIT
	echo old >"$T_TMP/full/ns-per-op-be.png" && echo mine >"$T_TMP/full/notes.txt"
	listing "$T_TMP/full" >"$T_TMP/full.before"
	expect_error "plot: a full disk" 2 \
		"cannot (draw|write) [a-z-]+-(be|le)\.(png|svg|tsv) .*No space left on device" \
		"$PVEXIT" plot "$FIX" -o "$T_TMP/full"
	unchanged "plot: a full disk leaves the directory as it was" "$T_TMP/full" "$T_TMP/full.before"
	umount "$T_TMP/full"
else
	skip "plot: a full disk" "cannot mount a 64 KiB tmpfs: $(head -c 200 "$T_TMP/mount.err")"
fi

# --- values report accepts, however extreme (issue 15: 10) -------------------

# A copy of $FIX whose times or exits are pushed to the ends of what a
# double holds, yet valid for report: extreme.py FIXTURE OUT KIND.
cat >"$T_TMP/extreme.py" <<'EOF'
import json, sys
src, dst, kind = sys.argv[1:]
d = json.load(open(src))
big, sub = 1.7976931348623157e308, 5e-324
def at(r, lo, med, hi):
    r["ns_per_op"].update(median=med, ci_low=lo, ci_high=hi)
    r["ns_samples"] = [med] * len(r["ns_samples"])
for r in d["rows"]:
    v = r["variant"]
    if kind == "huge":  # every time near DBL_MAX
        at(r, 1e308, 1e308, big)
    elif kind == "subnormal-ci":  # intervals down to the smallest double
        r["ns_per_op"]["ci_low"] = sub
    elif kind == "subnormal":  # every time the smallest double
        at(r, sub, sub, sub)
    elif kind == "exits":  # exits per op near DBL_MAX
        r["exits_per_op"] = 1e308
    elif kind == "spread" and v == "raw":  # raw at the top ...
        at(r, 1e308, 1e308, big)
    elif kind == "spread" and v == "patched":  # ... patched at the bottom
        at(r, 0, sub, 1e-300)
    elif kind == "cheap-raw" and v == "baseline":  # negative exit paths
        at(r, 1e9, 1e9, 1e9)
json.dump(d, open(dst, "w"))
EOF
if have_python; then
	for kind in huge subnormal-ci subnormal exits spread cheap-raw; do
		python3 "$T_TMP/extreme.py" "$FIX" "$T_TMP/x-$kind.json" "$kind"
		run "$PVEXIT" report "$T_TMP/x-$kind.json"
		check_status "plot: report accepts the $kind file" 0 || continue
		run "$PVEXIT" plot "$T_TMP/x-$kind.json" -o "$T_TMP/x-$kind" --format svg
		check_status "plot: the $kind file report accepts" 0 || continue
		mapfile -t svgs < <(ls "$T_TMP/x-$kind"/*.svg 2>/dev/null)
		if [ ${#svgs[@]} -ge 8 ]; then
			pass "plot: the $kind file report accepts"
			py "plot: the $kind file's SVGs are whole" svg "${svgs[@]}"
		else
			fail "plot: the $kind file report accepts" "$(ls "$T_TMP/x-$kind" | tr '\n' ' ')"
		fi
		[ "$kind" = cheap-raw ] && continue
		if grep -q "warning: .*x-$kind\.json: [0-9]* values of guest be are beyond what gnuplot draws (magnitudes over 1e150 or under 1e-150): drawn at those bounds" "$T_TMP/err"; then
			pass "plot: the $kind file: the values drawn at a bound said"
		else
			fail "plot: the $kind file: the values drawn at a bound said" "$(tr '\n' '|' <"$T_TMP/err")"
		fi
	done
	run "$PVEXIT" plot "$T_TMP/x-huge.json" "$T_TMP/x-subnormal.json" "$FIX" -o "$T_TMP/x-trend" \
		--format svg --guest le
	if check_status "plot: a trend across the extremes" 0 && [ -f "$T_TMP/x-trend/trend-le.svg" ]; then
		pass "plot: a trend across the extremes"
	elif [ "$status" -eq 0 ]; then
		fail "plot: a trend across the extremes" "no trend-le.svg"
	fi
else
	skip "plot: extreme values" "python3 is not installed"
fi

# --- an incomplete run: a missing row, and no histogram ---------------------

run "$PVEXIT" plot "$INCOMPLETE" -o "$T_TMP/inc" --format svg
if check_status "plot: incomplete file" 0; then
	if grep -qx "skipped exit-latency-be: .*" "$T_TMP/out" && [ "$(grep -c '^skipped' "$T_TMP/out")" -eq 1 ] &&
		! ls "$T_TMP"/inc/*latency* >/dev/null 2>&1; then
		pass "plot: no histogram: exit-latency skipped, said in one line"
	else
		fail "plot: no histogram: exit-latency skipped, said in one line" "$(tr '\n' '|' <"$T_TMP/out")"
	fi
	if [ "$(wc -l <"$T_TMP/err")" -eq 1 ] && grep -q 'warning: .*incomplete' "$T_TMP/err"; then
		pass "plot: incomplete file warned about"
	else
		fail "plot: incomplete file warned about" "$(tr '\n' '|' <"$T_TMP/err")"
	fi
	[ -f "$T_TMP/inc/ns-per-op-be.svg" ] &&
		py "plot: a missing baseline row has no bar" bars "$T_TMP/inc/ns-per-op-be.svg" "$INCOMPLETE" be plots/common.gp
	if ls "$T_TMP"/inc/*.png >/dev/null 2>&1; then
		fail "plot: --format svg draws no PNG" "$(ls "$T_TMP"/inc/*.png | tr '\n' ' ')"
	else
		pass "plot: --format svg draws no PNG"
	fi
fi

run "$PVEXIT" plot "$FIX" -o "$T_TMP/all" --guest all --format svg
if check_status "plot: --guest all" 0; then
	all=("$T_TMP"/all/*.svg)
	if [ ${#all[@]} -eq 10 ]; then
		pass "plot: --guest all: every guest of the file"
	else
		fail "plot: --guest all: every guest of the file" "$(ls "$T_TMP/all" | tr '\n' ' ')"
	fi
fi

# --- several files: the trend ---------------------------------------------------

run "$PVEXIT" plot "$FIX" "$SLOW" -o "$T_TMP/two" --format png --guest le
if check_status "plot: two files" 0; then
	got=$(ls -A "$T_TMP/two" | sort | tr '\n' ' ')
	want="exit-latency-le.png exits-per-op-le.png headline-le.png latency-le.tsv ns-per-op-le.png per-class-le.tsv savings-le.png trend-le.png trend-le.tsv "
	if [ "$got" = "$want" ]; then
		pass "plot: two files add the trend; --guest and --format select"
	else
		fail "plot: two files add the trend; --guest and --format select" "$got"
	fi
	read -r w h < <(script_size trend)
	[ -f "$T_TMP/two/trend-le.png" ] && py "plot: trend-le.png is ${w}x$h, not blank" png "$T_TMP/two/trend-le.png" "$w" "$h"
	# slower-mfmsr.json's patched mfmsr is about 25% slower: the table says so.
	if awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "\"mfmsr:patched%\"") c = i }
		NR == 3 { v = $c } END { exit !(c && v > 20 && v < 30) }' "$T_TMP/two/trend-le.tsv"; then
		pass "plot: trend table shows the slower patched mfmsr"
	else
		fail "plot: trend table shows the slower patched mfmsr" "$(head -c 400 "$T_TMP/two/trend-le.tsv" | tr '\n' '|')"
	fi
fi
run "$PVEXIT" plot "$FIX" "$SLOW" -o "$T_TMP/two-svg" --format svg --guest be
if check_status "plot: two files, SVG" 0 && [ -f "$T_TMP/two-svg/trend-be.svg" ]; then
	py "plot: trend-be.svg has a raw and a patched line per class" series "$T_TMP/two-svg/trend-be.svg" "$FIX" "$SLOW" be
elif [ "$status" -eq 0 ]; then
	fail "plot: two files, SVG" "no trend-be.svg"
fi

# --- where the scripts are found -------------------------------------------------

# Beside a build tree (BUILD/host/bin/../../../plots) and an installed
# share directory (bin/../share/pvexit/plots), without PVEXIT_PLOTS_DIR.
mkdir -p "$T_TMP/tree/build/host/bin" "$T_TMP/inst/bin" "$T_TMP/inst/share/pvexit"
cp "$PVEXIT" "$T_TMP/tree/build/host/bin/pvexit" && cp "$PVEXIT" "$T_TMP/inst/bin/pvexit"
ln -s "$T_ROOT/plots" "$T_TMP/tree/plots"
ln -s "$T_ROOT/plots" "$T_TMP/inst/share/pvexit/plots"
for where in tree/build/host/bin inst/bin; do
	run env -u PVEXIT_PLOTS_DIR "$T_TMP/$where/pvexit" plot "$FIX" -o "$T_TMP/found" --format png --guest be
	if check_status "plot: scripts found from $where" 0; then
		if [ -f "$T_TMP/found/ns-per-op-be.png" ]; then
			pass "plot: scripts found from $where"
		else
			fail "plot: scripts found from $where" "no ns-per-op-be.png"
		fi
	fi
	rm -rf "$T_TMP/found"
done
rm "$T_TMP/inst/share/pvexit/plots"
expect_error "plot: no scripts anywhere" 2 "cannot find the gnuplot scripts.*PVEXIT_PLOTS_DIR" \
	env -u PVEXIT_PLOTS_DIR "$T_TMP/inst/bin/pvexit" plot "$FIX" -o "$T_TMP/found"
