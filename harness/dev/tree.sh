#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Lay out a git work tree of the base with the series applied as commits,
# for kernel work: work/linux, branch klp-late on top of tag base.
# Write the commits back with harness/dev/export.sh. The "Notes:" below a
# patch's "---" line (how it was tested) become the commit's git note, which
# git rebase carries along (notes.rewriteRef).
# Usage: harness/dev/tree.sh [DIR]
set -euo pipefail
# shellcheck source=harness/lib.sh
. "$(dirname "$0")/../lib.sh"
tree=${1:-$TOP/work/linux}

[ ! -e "$tree" ] || die "$tree exists; export its commits (make export) and remove it first"
"$HARNESS/deps.sh" x86_64
"$HARNESS/source.sh"	# extracts the base if needed
say "laying out $tree from $(base_version)"
mkdir -p "$(dirname "$tree")"
cp -a "$BUILD_DIR/base/linux-source-6.1" "$tree"
cd "$tree"
git init -q -b klp-late
git config user.name >/dev/null || git config user.name "klp-late developer"
git config user.email >/dev/null || git config user.email "klp-late@localhost"
# Debian's tarball ignores everything at its top level: add it all anyway,
# and keep that rule out of the way of the work that follows (below).
git add -A -f
git commit -q -m "Linux $(kernel_version) ($(base_version))"
git tag base
git config notes.rewriteRef refs/notes/commits
list=$(series_patches)
for p in $list; do
	git am -q "$PATCHES/$p" || die "patch $p does not apply (git am --abort to clean up)"
	note=$(patch_notes "$PATCHES/$p")
	# as a blob: git notes add -m/-F would drop lines that start with #
	[ -z "$note" ] ||
		git notes --ref=commits add -C "$(printf '%s\n' "$note" | git hash-object -w --stdin)" HEAD
done
# After the series, which edits .gitignore too (git am needs it as committed).
sed -i '/^# Debian packaging/,$d' .gitignore
git update-index --skip-worktree .gitignore
say "ready: $tree, $(git rev-list --count base..HEAD) patches on tag base"
