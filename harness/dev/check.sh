#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Check the series: every patch applies in order to the base, and
# scripts/checkpatch.pl --strict is clean on every patch (what is left out
# and why: checkpatch in harness/lib.sh); its shape (harness/dev/series-lint.sh:
# distinct subjects, no fix-up of a patch of the series); and what
# `make series` sends (harness/dev/series-check.sh: git am on the base,
# checkpatch --strict). Every part runs; any failure fails the check.
# Usage: harness/dev/check.sh
set -euo pipefail
# shellcheck source=harness/lib.sh
. "$(dirname "$0")/../lib.sh"

"$HARNESS/source.sh"	# applies the series in order, or fails naming the patch
bad=0 n=0
list=$(series_patches)
for p in $list; do
	n=$((n + 1))
	out=$(checkpatch "$SRC_DIR" "$PATCHES/$p")
	if [ -z "$out" ]; then
		echo "ok $n - checkpatch --strict $p"
	else
		echo "not ok $n - checkpatch --strict $p"
		printf '%s\n' "$out" | sed 's/^/# /'
		bad=1
	fi
done
say "$n patches apply in order; checkpatch: $([ "$bad" = 0 ] && echo clean || echo FAILED)"
failed=()
[ "$bad" = 0 ] || failed+=(checkpatch)
"$HARNESS/dev/series-lint.sh" || failed+=("series shape")
"$HARNESS/dev/series-check.sh" || failed+=("make series")
[ ${#failed[@]} = 0 ] || die "make check failed: ${failed[*]}"
say "make check: clean"
