#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Write the commits of the work tree (base..HEAD) back into patches/ with
# stable output: no commit hashes, no version trailer, full blob ids, so an
# unchanged commit gives an identical file. A commit's git note (how it was
# tested, its figures) goes below the "---" line, where git am leaves it out
# of the commit message; harness/dev/tree.sh makes it a note again.
# Usage: harness/dev/export.sh [DIR]
set -euo pipefail
# shellcheck source=harness/lib.sh
. "$(dirname "$0")/../lib.sh"
tree=${1:-$TOP/work/linux}

[ -d "$tree/.git" ] || die "no work tree at $tree (make tree)"
[ -z "$(git -C "$tree" status --porcelain --untracked-files=no)" ] ||
	die "$tree has uncommitted changes: commit them first"

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
git -C "$tree" -c core.abbrev=12 format-patch -q -N --zero-commit --no-signature \
	--notes=refs/notes/commits --full-index --no-cover-letter -o "$stage" base..HEAD
series_patches | while read -r p; do rm -f "$PATCHES/$p"; done
{
	echo "# The klp-late series, in the order it applies (git format-patch files in this folder)."
	(cd "$stage" && ls -1 -- *.patch 2>/dev/null) || true
} >"$PATCHES/series"
cp "$stage"/*.patch "$PATCHES/" 2>/dev/null || true
say "exported $(series_patches | wc -l) patches to $PATCHES"
git -C "$TOP" status --short -- patches
