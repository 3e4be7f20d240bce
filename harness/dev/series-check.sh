#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Check what `make series` sends, as a maintainer receives it: write it
# (harness/dev/series.sh, in the name of a stand-in submitter, so that the
# check does not depend on who runs it), apply patches 1..n with git am to
# a git tree of the base, and run that tree's checkpatch.pl --strict on
# every one of them (From:, Signed-off-by: and the numbered subjects are
# what is new to checkpatch here).
# TREE is a scratch git tree of the base, with the tag base: it is reset
# to base and cleaned. Without TREE, build/am-base is made once per base
# from the base harness/source.sh extracted (hard links, so it costs the
# hashing only; git replaces files, it never writes into them).
# Usage: harness/dev/series-check.sh [TREE]
set -euo pipefail
# shellcheck source=harness/lib.sh
. "$(dirname "$0")/../lib.sh"
tree=${1:-}
stand_in=(-c user.name="Series Check" -c user.email=series-check@example.org)

if [ -z "$tree" ]; then
	tree=$BUILD_DIR/am-base
	id=$(cat "$BUILD_DIR/base/.id") || die "no extracted base in $BUILD_DIR/base (harness/source.sh)"
	if [ "$(cat "$tree.id" 2>/dev/null)" != "$id" ]; then
		say "making a git tree of $(base_version) in $tree (once per base)"
		rm -rf "$tree" "$tree.id"
		cp -al "$BUILD_DIR/base/linux-source-6.1" "$tree"
		git -C "$tree" -c init.defaultBranch=main init -q
		# Debian's tarball ignores everything at its top level
		git -C "$tree" add -A -f
		git -C "$tree" "${stand_in[@]}" commit -q -m "$(base_version)"
		git -C "$tree" tag base
		echo "$id" >"$tree.id"
	fi
fi
git -C "$tree" rev-parse -q --verify 'base^{commit}' >/dev/null ||
	die "$tree is no git tree with the tag base"

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# the stand-in identity overrides every git config file
GIT_CONFIG_COUNT=2 GIT_CONFIG_KEY_0=user.name GIT_CONFIG_VALUE_0="Series Check" \
	GIT_CONFIG_KEY_1=user.email GIT_CONFIG_VALUE_1=series-check@example.org \
	"$HARNESS/dev/series.sh" "$out"

# a git am left half done by an earlier run is not this run's failure
git -C "$tree" am --abort >/dev/null 2>&1 || true
git -C "$tree" checkout -q -f --detach base
git -C "$tree" clean -q -f -d -x
files=("$out"/[0-9]*.patch)
[ "${files[0]##*/}" = 0000-cover-letter.patch ] || die "make series wrote no cover letter"
patches=("${files[@]:1}")
if ! git -C "$tree" "${stand_in[@]}" am -q "${patches[@]}" >"$out/am.log" 2>&1; then
	sed 's/^/# /' "$out/am.log"
	git -C "$tree" am --abort >/dev/null 2>&1 || true
	die "make series: its patches do not apply with git am on the base"
fi
applied=$(git -C "$tree" rev-list --count base..HEAD)
[ "$applied" = "${#patches[@]}" ] ||
	die "make series: git am made $applied commits of ${#patches[@]} patches"

n=${#patches[@]} bad=0
checkpatch_each "$tree" "make series: checkpatch --strict" "${patches[@]}" || bad=1
say "make series: $n patches apply with git am on the base;" \
	"checkpatch: $([ "$bad" = 0 ] && echo clean || echo FAILED)"
[ "$bad" = 0 ]
