# SPDX-License-Identifier: GPL-2.0-only
# Shared by lab/deps, lab/build, lab/e500/build and lab/run: where the
# labs live, how errors are said, and small checks.  Sourced, never run.

# The cache lives outside the source tree so a fresh clone reuses it.
lab_dir() {
	printf '%s\n' "${PVEXIT_LAB_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pvexit/lab}"
}

# The e500 lab's cache (lab/e500/build): its own, since its parts share
# nothing with the Book3S lab's.
e500_lab_dir() {
	printf '%s\n' "${PVEXIT_E500_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pvexit/lab-e500}"
}

# One error line naming the tool and what went wrong, then exit.
# die [STATUS] MESSAGE
die() {
	local status=1
	if [ $# -gt 1 ]; then
		status=$1
		shift
	fi
	printf '%s: error: %s\n' "$prog" "$*" >&2
	exit "$status"
}

warn() {
	printf '%s: warning: %s\n' "$prog" "$*" >&2
}

# Progress goes to stderr so stdout stays the command's own.
say() {
	[ -n "${quiet:-}" ] || printf '%s: %s\n' "$prog" "$*" >&2
}

# Turn a write failure into a line a user can act on: a full disk is the
# likeliest cause of a failed copy, extract or rename in the cache.
disk_hint() {
	local dir=$1 avail
	avail=$(df -Pk "$dir" 2>/dev/null | awk 'NR == 2 { print $4 }')
	if [ -n "$avail" ] && [ "$avail" -lt 102400 ]; then
		printf ' (only %s KiB free in %s: free some space)' "$avail" "$dir"
	fi
}

# sha256 of a file, hex only.
sha256_of() {
	sha256sum "$1" | cut -d' ' -f1
}

# A string's own sha256, for cache keys.
sha256_str() {
	printf '%s' "$1" | sha256sum | cut -d' ' -f1
}

# The version of an installed Debian package, or nothing.
deb_version() {
	dpkg-query -W -f='${db:Status-Status} ${Version}\n' "$1" 2>/dev/null |
		awk '$1 == "installed" { print $2 }'
}
