# SPDX-License-Identifier: GPL-2.0-only
# Sourced by every test file that tests/run starts.  A test file reports
# each check with pass, fail or skip; tests/run counts them.  A check that
# cannot run for want of a capability is a skip with its reason, never a
# pass.

T_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
: "${T_RESULTS:?tests/lib.sh: run test files through tests/run}"
T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/pvexit-test.XXXXXX")
trap 'rm -rf "$T_TMP"' EXIT

pass() {
	printf 'PASS %s\n' "$1" >>"$T_RESULTS"
	printf '  PASS %s\n' "$1"
}

# fail NAME WHY
fail() {
	printf 'FAIL %s: %s\n' "$1" "$2" >>"$T_RESULTS"
	printf '  FAIL %s: %s\n' "$1" "$2"
}

# skip NAME WHY
skip() {
	printf 'SKIP %s: %s\n' "$1" "$2" >>"$T_RESULTS"
	printf '  SKIP %s: %s\n' "$1" "$2"
}

# run CMD...: run it, keep stdout in $T_TMP/out, stderr in $T_TMP/err and
# the exit status in $status.  Never fails itself.
run() {
	"$@" >"$T_TMP/out" 2>"$T_TMP/err" </dev/null
	status=$?
}

# The one-line error rule: exactly one line on stderr, naming the tool.
one_error_line() {
	local n
	n=$(wc -l <"$T_TMP/err")
	[ "$n" -eq 1 ] && grep -q 'error: ' "$T_TMP/err"
}

# check_error NAME STATUS PATTERN: after run, exit status STATUS, exactly
# one error line, that line matches PATTERN (an ERE), and nothing on stdout.
check_error() {
	local name=$1 want=$2 pattern=$3
	check_status "$name" "$want" || return
	if ! one_error_line; then
		fail "$name" "want exactly one error line, got: $(tr '\n' '|' <"$T_TMP/err")"
	elif ! grep -qE -- "$pattern" "$T_TMP/err"; then
		fail "$name" "error does not say '$pattern': $(cat "$T_TMP/err")"
	elif [ -s "$T_TMP/out" ]; then
		fail "$name" "printed on stdout too: $(head -c 200 "$T_TMP/out")"
	else
		pass "$name"
	fi
}

# expect_error NAME STATUS PATTERN CMD...: run CMD, then check_error.
expect_error() {
	local name=$1 want=$2 pattern=$3
	shift 3
	run "$@"
	check_error "$name" "$want" "$pattern"
}

have_python() {
	command -v python3 >/dev/null
}

# py_check NAME PYTHON-ARGS...: a check that python3 PYTHON-ARGS makes; it
# prints nothing when it passes and the reason when it fails.  A skip
# without python3.
py_check() {
	local name=$1 why
	shift
	if ! have_python; then
		skip "$name" "python3 is not installed"
		return
	fi
	if why=$(python3 "$@" 2>&1) && [ -z "$why" ]; then
		pass "$name"
	else
		fail "$name" "$(printf '%s' "$why" | tr '\n' '|' | head -c 600)"
	fi
}

# check_status NAME WANT: after run, compare the exit status; on failure
# show what the command said.
check_status() {
	if [ "$status" -eq "$2" ]; then
		return 0
	fi
	fail "$1" "exit status $status, want $2; stderr: $(head -c 400 "$T_TMP/err" | tr '\n' '|')"
	return 1
}

# relay_results FILE: turn the PASS/FAIL/SKIP lines that a program
# printed (a unit test, a script run inside the lab) into results here.
# Prints how many it relayed.
relay_results() {
	local line rest n=0
	while IFS= read -r line; do
		case "$line" in
		"PASS "*) pass "${line#PASS }" >/dev/null ;;
		"FAIL "*)
			rest=${line#FAIL }
			fail "${rest%%: *}" "${rest#*: }" >/dev/null
			;;
		"SKIP "*)
			rest=${line#SKIP }
			skip "${rest%%: *}" "${rest#*: }" >/dev/null
			;;
		*) continue ;;
		esac
		printf '  %s\n' "$line" >&2
		n=$((n + 1))
	done <"$1"
	echo "$n"
}

# need_pvexit NAME FILE...: $PVEXIT is built and every FILE (a fixture)
# is there; else fail NAME and return 1.
need_pvexit() {
	local name=$1 f
	shift
	if [ ! -x "$PVEXIT" ]; then
		fail "$name" "$PVEXIT is not built: run 'make build'"
		return 1
	fi
	for f in "$@"; do
		if [ ! -f "$f" ]; then
			fail "$name" "fixture $f is missing"
			return 1
		fi
	done
}

lab_built() {
	[ -f "$("$T_ROOT/lab/build" dir)/lab.env" ]
}

# For tools that print progress before failing: exactly one error line,
# and it is the last thing said.
last_line_error() {
	[ "$(grep -c 'error: ' "$T_TMP/err")" -eq 1 ] && tail -n 1 "$T_TMP/err" | grep -q 'error: '
}

# Whether the Debian mirror the lab downloads from answers on its port.
mirror_reachable() {
	local m=${PVEXIT_DEBIAN_MIRROR:-http://deb.debian.org/debian} host port
	host=$(printf '%s\n' "$m" | sed -E 's|^[a-z]+://([^/:]+).*|\1|')
	port=$(printf '%s\n' "$m" | sed -nE 's|^[a-z]+://[^/:]+:([0-9]+).*|\1|p')
	[ -n "$port" ] || port=80
	timeout 15 bash -c "exec 3<>/dev/tcp/$host/$port" 2>/dev/null
}

# lost_stdout NAME HOW STATUS ARGS...: pvexit ARGS with standard output
# HOW (full: /dev/full; closed: no descriptor 1) must exit STATUS with
# one error line that says standard output failed and why.
lost_stdout() {
	local name=$1 how=$2 want=$3 why
	shift 3
	if [ "$how" = full ]; then
		"$PVEXIT" "$@" >/dev/full 2>"$T_TMP/err" </dev/null
		status=$?
		why='No space left on device'
	else
		"$PVEXIT" "$@" >&- 2>"$T_TMP/err" </dev/null
		status=$?
		why='Bad file descriptor'
	fi
	if ! check_status "$name" "$want"; then
		return
	elif ! one_error_line; then
		fail "$name" "want exactly one error line, got: $(tr '\n' '|' <"$T_TMP/err")"
	elif ! grep -q "writing to standard output failed: $why" "$T_TMP/err"; then
		fail "$name" "error does not say why: $(cat "$T_TMP/err")"
	else
		pass "$name"
	fi
}
