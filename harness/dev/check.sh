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
files=()
for p in $(series_patches); do
	files+=("$PATCHES/$p")
done
n=${#files[@]} bad=0
checkpatch_each "$SRC_DIR" "checkpatch --strict" "${files[@]}" || bad=1
say "$n patches apply in order; checkpatch: $([ "$bad" = 0 ] && echo clean || echo FAILED)"
failed=()
[ "$bad" = 0 ] || failed+=(checkpatch)
"$HARNESS/dev/series-lint.sh" || failed+=("series shape")
"$HARNESS/dev/series-check.sh" || failed+=("make series")
[ ${#failed[@]} = 0 ] || die "make check failed: ${failed[*]}"
say "make check: clean"
