# SPDX-License-Identifier: GPL-2.0-only
# Bad input and faults (issue 15), no lab: standard output that cannot be
# written, suite and results files that are not what they claim, strings
# that would drive a terminal, inputs large enough to expose quadratic
# time, a trace whose byte-order flag lies, and the exit statuses of it
# all (0 ok, 1 a finding, 2 bad input or I/O error).
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 1

PVEXIT=${PVEXIT:-$T_ROOT/build/host/bin/pvexit}
FIX=$T_ROOT/tests/fixtures/results/lab-le-be.json
SLOW=$T_ROOT/tests/fixtures/results/slower-mfmsr.json
TRACE=$T_ROOT/tests/fixtures/trace/mfmsr-le.pvtrace
need_pvexit "bad input: tests" "$FIX" "$SLOW" "$TRACE" || exit 0

# --- 3: every command's standard output is checked ----------------------------

if [ -w /dev/full ]; then
	for how in full closed; do
		lost_stdout "list, stdout $how" $how 2 list
		lost_stdout "--version, stdout $how" $how 2 --version
		lost_stdout "--help, stdout $how" $how 2 --help
		lost_stdout "run --help, stdout $how" $how 2 run --help
		lost_stdout "trace report, stdout $how" $how 2 trace report "$TRACE"
		lost_stdout "report, stdout $how" $how 2 report "$FIX"
		lost_stdout "report --csv, stdout $how" $how 2 report --csv "$FIX"
		# A regression found but not told is no finding: 2, not 1.
		lost_stdout "compare with a regression, stdout $how" $how 2 compare "$FIX" "$SLOW"
		lost_stdout "compare --json, stdout $how" $how 2 compare --json "$FIX" "$SLOW"
		# bisect-run answers git: a lost answer aborts the bisect.
		lost_stdout "bisect-run, stdout $how" $how 128 bisect-run --baseline "$FIX" \
			--metric mfmsr.raw.time_per_op --guest be --threshold 5 -- \
			sh -c "cp '$FIX' \"\$PVEXIT_RESULT\""
	done
else
	skip "standard output on a full disk" "no writable /dev/full"
fi

# --- 5: the suite reader --------------------------------------------------------

name="run --suite /dev/zero: refused at once, one line naming file and line"
if [ -r /dev/zero ]; then
	run timeout 10 "$PVEXIT" run --no-lab --suite /dev/zero
	check_error "$name" 2 "/dev/zero:1: a NUL byte at column 1"
else
	skip "$name" "no /dev/zero"
fi
printf 'suite s\nrun classes=mf\0msr\n' >"$T_TMP/nul.suite"
expect_error "run --suite: a NUL byte names file, line and column" 2 \
	"nul\.suite:2: a NUL byte at column 15" "$PVEXIT" run --no-lab --suite "$T_TMP/nul.suite"
head -c 2000000 /dev/zero | tr '\0' '\n' >"$T_TMP/big.suite"
expect_error "run --suite: a file past 1 MiB" 2 "big\.suite:[0-9]+: the file goes on past 1024 KiB" \
	"$PVEXIT" run --no-lab --suite "$T_TMP/big.suite"

# --- 7: one size bound, the one the message names -----------------------------

name="results file one byte past 256 MiB: refused, naming the bound"
if truncate -s $((256 * 1024 * 1024 + 1)) "$T_TMP/huge.json" 2>/dev/null; then
	expect_error "$name" 2 "huge\.json: larger than 256 MiB" "$PVEXIT" report "$T_TMP/huge.json"
	truncate -s $((256 * 1024 * 1024)) "$T_TMP/huge.json"
	run "$PVEXIT" report "$T_TMP/huge.json"
	name="results file of exactly 256 MiB: read, and refused as JSON"
	if check_status "$name" 2; then
		if grep -q 'larger than' "$T_TMP/err"; then
			fail "$name" "refused for its size: $(cat "$T_TMP/err")"
		else
			pass "$name"
		fi
	fi
	rm -f "$T_TMP/huge.json"
else
	skip "$name" "truncate cannot make a sparse file here"
fi

if ! have_python; then
	skip "bad input: the tests that build files" "python3 is not installed"
	exit 0
fi

# --- 8: linear time -------------------------------------------------------------

# timed NAME LIMIT CMD...: CMD must exit 0 or 1 within LIMIT seconds.  The
# bound is generous: quadratic work takes minutes on these inputs.
timed() {
	local name=$1 limit=$2 start end ms
	shift 2
	start=$(date +%s%N)
	run timeout 120 "$@"
	end=$(date +%s%N)
	ms=$(((end - start) / 1000000))
	if [ "$status" -gt 1 ]; then
		fail "$name" "status $status: $(head -c 300 "$T_TMP/err")"
	elif [ "$ms" -gt $((limit * 1000)) ]; then
		fail "$name" "took $ms ms, bound $limit s"
	else
		pass "$name ($ms ms)"
	fi
}

python3 - "$FIX" "$T_TMP" <<'PY'
import json, random, sys
fix, out = sys.argv[1], sys.argv[2]
random.seed(15)
d = json.load(open(fix))
row = d["rows"][0]
row["ns_samples"] = [19000 + random.random() * 100 for _ in range(100000)]
row["repetitions"] = len(row["ns_samples"])
json.dump(d, open(out + "/samples.json", "w"))
d = json.load(open(fix))
d["rows"][0]["counters"][0]["raw"] = {"k%d" % i: i for i in range(300000)}
text = json.dumps(d)
open(out + "/keys.json", "w").write(text)
# The same keys and one of them again, last: found only at the end.
i = text.index('"k299999": 299999') + len('"k299999": 299999')
open(out + "/dupkey.json", "w").write(text[:i] + ', "k0": 1' + text[i:])
PY
timed "compare: a row of 100k samples, both sides, under 5 s" 5 \
	"$PVEXIT" compare "$T_TMP/samples.json" "$T_TMP/samples.json"
timed "compare: 100k samples against 5, under 5 s" 5 "$PVEXIT" compare "$FIX" "$T_TMP/samples.json"
timed "report: 300k distinct keys, under 5 s" 5 "$PVEXIT" report "$T_TMP/keys.json"
name="report: 300k keys and a duplicate at the end, found under 5 s"
start=$(date +%s%N)
run timeout 120 "$PVEXIT" report "$T_TMP/dupkey.json"
ms=$((($(date +%s%N) - start) / 1000000))
if [ "$ms" -gt 5000 ]; then
	fail "$name" "took $ms ms"
else
	check_error "$name" 2 'duplicate member "k0"'
fi

# --- 9: strings from files are printed escaped ------------------------------------

python3 - "$FIX" "$T_TMP/esc.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
esc = "\x1b[2J\x1b]0;owned\x07"
d["host"]["cpu"] = "POWER8" + esc + "\nfake: line"
d["suite"] = "s" + esc
d["date"] = "2026\r\x9b31m"
r = d["rows"][0]
r["verdict"] = "FAIL: " + esc + "\nforged line"
r["checks"] = [{"what": "w" + esc, "pass": False, "seen": "\x1b[31m", "want": "\x85"}]
json.dump(d, open(sys.argv[2], "w"))
PY
# no_controls NAME FILE: FILE has no control character but newlines, and
# shows the escapes as text.
no_controls() {
	if LC_ALL=C grep -q '[[:cntrl:]]' <(tr -d '\n' <"$2") || grep -q $'\xc2[\x80-\x9f]' "$2"; then
		fail "$1" "a control character reached the output: $(LC_ALL=C grep -n '[[:cntrl:]]' "$2" | head -c 200 | od -c | head -n 3 | tr '\n' ' ')"
	elif ! grep -qF '\x1b' "$2"; then
		fail "$1" "no escaped ESC in: $(head -c 300 "$2")"
	else
		pass "$1"
	fi
}
run "$PVEXIT" report "$T_TMP/esc.json"
check_status "report: escapes from the file" 0 && no_controls "report: escapes from the file" "$T_TMP/out"
grep -q '^fake: line' "$T_TMP/out" && fail "report: no forged lines" "a file's newline started a line" ||
	pass "report: no forged lines"
run "$PVEXIT" report --csv "$T_TMP/esc.json"
check_status "report --csv: escapes from the file" 0 && no_controls "report --csv: escapes from the file" "$T_TMP/out"
run "$PVEXIT" compare "$T_TMP/esc.json" "$FIX"
cp "$T_TMP/out" "$T_TMP/cmp.out"
[ "$status" -le 1 ] && LC_ALL=C grep -q '[[:cntrl:]]' <(tr -d '\n' <"$T_TMP/cmp.out") &&
	fail "compare: escapes from the file" "a control character reached the output" ||
	pass "compare: escapes from the file"
printf 'suite \033[31mred\nrun classes=\033]0;x\007\n' >"$T_TMP/esc.suite"
run "$PVEXIT" run --no-lab --suite "$T_TMP/esc.suite"
if check_status "run --suite: the error line escapes the file's bytes" 2 && one_error_line; then
	no_controls "run --suite: the error line escapes the file's bytes" "$T_TMP/err"
else
	fail "run --suite: the error line escapes the file's bytes" "$(od -c "$T_TMP/err" | head -n 3)"
fi
# A trace's clock name, with the INFO checksum made right again.
python3 - "$TRACE" "$T_TMP/esc.pvtrace" <<'PY'
import struct, sys, zlib
b = bytearray(open(sys.argv[1], "rb").read())
off = 16
typ, crc, ln = struct.unpack_from("<IIQ", b, off)
p = off + 16
info = bytes(b[p:p + ln]).replace(b"clock=local", b"clock=lo\x1b[2Jc")
b[p:p + ln] = info
struct.pack_into("<IIQ", b, off, typ, zlib.crc32(info) & 0xffffffff, len(info))
open(sys.argv[2], "wb").write(b)
PY
run "$PVEXIT" trace report "$T_TMP/esc.pvtrace"
check_status "trace report: the clock name escaped" 0 && no_controls "trace report: the clock name escaped" "$T_TMP/out"

# --- 11: the convention, in every command's help ---------------------------------

for c in list run report compare trace bisect-run; do
	run "$PVEXIT" "$c" --help
	if check_status "$c --help: names its exit statuses" 0; then
		grep -q 'Exit status' "$T_TMP/out" && pass "$c --help: names its exit statuses" ||
			fail "$c --help: names its exit statuses" "no 'Exit status' in its help"
	fi
done
run "$PVEXIT" --help
grep -q '1 a finding' "$T_TMP/out" && grep -q '2 bad usage, bad input or an I/O error' "$T_TMP/out" &&
	pass "pvexit --help: the convention" || fail "pvexit --help: the convention" "$(tail -n 4 "$T_TMP/out" | tr '\n' '|')"
grep -q 'keeps one convention: 0 success; 1 a finding' docs/man/pvexit.1 &&
	pass "man page: the convention" || fail "man page: the convention" "no EXIT STATUS convention"

# --- 13: a trace's byte-order flag ---------------------------------------------

# flip_order IN OUT [MACHINE]: the INFO byte-order flag flipped, the
# machine name replaced if given, the checksum made right again.
flip_order() {
	python3 - "$@" <<'PY'
import struct, sys, zlib
b = bytearray(open(sys.argv[1], "rb").read())
off = 16
typ, crc, ln = struct.unpack_from("<IIQ", b, off)
p = off + 16
info = bytearray(b[p:p + ln])
info[0] ^= 1
if len(sys.argv) > 3:
    info = info.replace(b"machine=ppc64le", b"machine=" + sys.argv[3].encode())
b[p:p + ln] = info
struct.pack_into("<IIQ", b, off, typ, zlib.crc32(bytes(info)) & 0xffffffff, len(info))
open(sys.argv[2], "wb").write(b)
PY
}
flip_order "$TRACE" "$T_TMP/flip.pvtrace"
expect_error "trace report: a flipped byte-order flag, against the host's name" 2 \
	"big-endian recording from a ppc64le host: the byte-order flag is wrong" \
	"$PVEXIT" trace report "$T_TMP/flip.pvtrace"
flip_order "$TRACE" "$T_TMP/flip2.pvtrace" unknown
expect_error "trace report: a flipped byte-order flag, no host name to tell" 2 \
	"page 0: commit word 0x[0-9a-f]+ is no big-endian length: the byte-order flag is wrong" \
	"$PVEXIT" trace report "$T_TMP/flip2.pvtrace"
