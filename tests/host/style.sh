# SPDX-License-Identifier: GPL-2.0-only
# The project's conventions, checked: C in .clang-format style, shell
# scripts clean under shellcheck (warnings and errors).
. "$(dirname "$0")/../lib.sh"
cd "$T_ROOT" || exit 1

mapfile -t csrc < <(git ls-files '*.c' '*.h' 2>/dev/null)
if ! command -v clang-format >/dev/null; then
	skip "style: C sources are clang-formatted" "clang-format is not installed (make deps)"
elif [ ${#csrc[@]} -eq 0 ]; then
	fail "style: C sources are clang-formatted" "git ls-files found no C sources (not a git checkout?)"
else
	bad=()
	for f in "${csrc[@]}"; do
		clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || bad+=("$f")
	done
	if [ ${#bad[@]} -eq 0 ]; then
		pass "style: C sources are clang-formatted (${#csrc[@]} files)"
	else
		fail "style: C sources are clang-formatted" "run clang-format -i on: ${bad[*]}"
	fi
fi

# Every shell script the project tracks, found by its first line.
mapfile -t bash_scripts < <(git ls-files | while read -r f; do
	[ -f "$f" ] && head -n 1 "$f" | grep -q '^#!/bin/bash' && echo "$f"
done)
mapfile -t sh_scripts < <(git ls-files | while read -r f; do
	[ -f "$f" ] && head -n 1 "$f" | grep -q '^#!/bin/sh' && echo "$f"
done)
mapfile -t sourced < <(git ls-files 'tests/*.sh' 'lab/lib.sh' | grep -v '/in-')
if ! command -v shellcheck >/dev/null; then
	skip "style: shell scripts pass shellcheck" "shellcheck is not installed (make deps)"
else
	out=$(shellcheck -S warning -s bash "${bash_scripts[@]}" "${sourced[@]}" 2>&1 &&
		shellcheck -S warning -s sh "${sh_scripts[@]}" 2>&1)
	if [ $? -eq 0 ]; then
		pass "style: shell scripts pass shellcheck ($((${#bash_scripts[@]} + ${#sourced[@]} + ${#sh_scripts[@]})) files)"
	else
		fail "style: shell scripts pass shellcheck" "$(printf '%s\n' "$out" | grep -m3 -E '^In |SC[0-9]' | tr '\n' ' ')"
	fi
fi
