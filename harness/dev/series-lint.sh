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
# - with a cover-letter.txt, a list of patches in it that is not the
#   series: its "Patches" section lists "  NN subject" (long subjects
#   go on at a deeper indent), in the order of the series.
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

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
declare -A first=()
n=0
: >"$tmp/series"
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
	printf '%d %s\n' "$n" "$s" >>"$tmp/series"
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

cover=$PATCHES/cover-letter.txt
if [ -f "$cover" ]; then
	awk '/^Patches$/ { list = 1; next }
	     list && /^  [0-9]+ / { if (s != "") print s; s = $0
		sub(/^ +/, "", s); n = s + 0; sub(/^[0-9]+ /, "", s); s = n " " s; next }
	     list && /^     +[^ ]/ { t = $0; sub(/^ +/, "", t); s = s " " t; next }
	     END { if (s != "") print s }' "$cover" >"$tmp/letter"
	if ! cmp -s "$tmp/series" "$tmp/letter"; then
		problem "cover-letter.txt: its list of patches is not the series (- series, + letter):"
		diff -u "$tmp/series" "$tmp/letter" | tail -n +3 | grep '^[-+]' | sed 's/^/#   /' || true
	fi
fi

if [ "$bad" = 0 ]; then
	listed=
	[ ! -f "$cover" ] || listed=", listed in the cover letter"
	say "series shape: $n patches, distinct subjects, no fix-up of a patch of the series$listed"
else
	say "series shape: FAILED (see above)"
fi
[ "$bad" = 0 ]
