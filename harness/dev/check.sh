#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Check the series: every patch applies in order to the base, and
# scripts/checkpatch.pl --strict is clean on every patch.
# Usage: harness/dev/check.sh
set -euo pipefail
# shellcheck source=harness/lib.sh
. "$(dirname "$0")/../lib.sh"

"$HARNESS/source.sh"	# applies the series in order, or fails naming the patch
bad=0 n=0
while read -r p; do
	n=$((n + 1))
	if out=$(cd "$SRC_DIR" && scripts/checkpatch.pl --strict --no-summary \
			--show-types "$PATCHES/$p" 2>&1); then
		echo "ok $n - checkpatch --strict $p"
	else
		echo "not ok $n - checkpatch --strict $p"
		printf '%s\n' "$out" | sed 's/^/# /'
		bad=1
	fi
done < <(series_patches)
say "$n patches apply in order; checkpatch: $([ "$bad" = 0 ] && echo clean || echo FAILED)"
[ "$bad" = 0 ]
