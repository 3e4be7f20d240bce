#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Check the series: every patch applies in order to the base, and
# scripts/checkpatch.pl --strict is clean on every patch.
# Two kinds of report are not ours to fix and are left out:
# - FILE_PATH_CHANGES: checkpatch asks, of each patch that adds a file,
#   whether MAINTAINERS needs an update; the series adds its MAINTAINERS
#   entries in the patch that creates the folder.
# - CAMELCASE of libelf's own type names (Elf, Elf_Scn, GElf_Sym, ...), which
#   the host tools must use as libelf spells them (objtool does the same).
# Usage: harness/dev/check.sh
set -euo pipefail
# shellcheck source=harness/lib.sh
. "$(dirname "$0")/../lib.sh"

"$HARNESS/source.sh"	# applies the series in order, or fails naming the patch
bad=0 n=0
list=$(series_patches)
for p in $list; do
	n=$((n + 1))
	out=$( (cd "$SRC_DIR" && scripts/checkpatch.pl --strict --terse --no-summary \
		--show-types --ignore FILE_PATH_CHANGES "$PATCHES/$p" 2>&1) |
		grep -vE 'CHECK:CAMELCASE: Avoid CamelCase: <G?Elf(32|64)?(_[A-Za-z]+)?>$') || true
	if [ -z "$out" ]; then
		echo "ok $n - checkpatch --strict $p"
	else
		echo "not ok $n - checkpatch --strict $p"
		printf '%s\n' "$out" | sed 's/^/# /'
		bad=1
	fi
done
say "$n patches apply in order; checkpatch: $([ "$bad" = 0 ] && echo clean || echo FAILED)"
[ "$bad" = 0 ]
