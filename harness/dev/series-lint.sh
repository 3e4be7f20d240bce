#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Check the shape of the series, what a maintainer refuses before reading
# the code:
# - two patches with the same subject (case and spacing aside): the
#   shortlog and a Fixes: tag could not tell them apart;
# - a patch that only repairs an earlier one of the same series, by its
#   subject ("fixup!", "squash!", "amend!": git's autosquash markers) or by
#   a Fixes: tag that quotes the subject of a patch of the series: it
#   belongs squashed into the patch it fixes, which must be right alone.
# Usage: harness/dev/series-lint.sh [DIR]   (a folder with a series file and
# its patches; default patches/)
set -euo pipefail
# shellcheck source=harness/lib.sh
. "$(dirname "$0")/../lib.sh"
PATCHES=${1:-$PATCHES}

[ -f "$PATCHES/series" ] || die "no series file in $PATCHES"
list=$(series_patches)
[ -n "$list" ] || die "$PATCHES/series lists no patch"
bad=0
problem() {
	echo "# $*"
	bad=1
}

# key SUBJECT: the form two subjects are compared in
key() {
	printf '%s' "$1" | tr -s '[:space:]' ' ' | tr '[:upper:]' '[:lower:]'
}

declare -A first=()
n=0
for p in $list; do
	n=$((n + 1))
	[ -f "$PATCHES/$p" ] || die "$PATCHES/series names missing file $p"
	s=$(patch_subject "$PATCHES/$p")
	if [ -z "$s" ]; then
		problem "$p: no Subject: header"
		continue
	fi
	case $s in
	fixup!* | squash!* | amend!*)
		problem "$p: \"$s\" is a fix-up: squash it into the patch it fixes" ;;
	esac
	k=$(key "$s")
	if [ -n "${first[$k]+set}" ]; then
		problem "$p: same subject as ${first[$k]}: \"$s\""
	else
		first[$k]=$p
	fi
done

# A Fixes: tag may name a patch before or after it: either way the pair is
# one change told twice.
for p in $list; do
	fixes=$(patch_fixes "$PATCHES/$p")
	while IFS= read -r f; do
		[ -n "$f" ] || continue
		k=$(key "$f")
		[ -z "${first[$k]+set}" ] ||
			problem "$p: its Fixes: tag names ${first[$k]} of this series (\"$f\"): squash it into that patch"
	done <<<"$fixes"
done

if [ "$bad" = 0 ]; then
	say "series shape: $n patches, distinct subjects, no fix-up of a patch of the series"
else
	say "series shape: FAILED (see above)"
fi
[ "$bad" = 0 ]
