#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Lay out the kernel source the harness builds: the base tarball with the
# series of patches/ applied in order. Only files whose content changed are
# rewritten, so an unchanged series costs no rebuild.
# With SERIES_LIMIT=N only the first N patches are applied (bisect check).
# With KLP_TREE=DIR (a work tree of `make tree`), that tree is used as it is
# instead: for trying kernel work before it is exported. CI never sets it.
# Usage: harness/source.sh
set -euo pipefail
# shellcheck source=harness/lib.sh
. "$(dirname "$0")/lib.sh"

# the patches to apply, in order
patches() {
	if [ -n "${SERIES_LIMIT:-}" ]; then
		# sed reads to the end: head could leave series_patches to die of
		# SIGPIPE, failing the pipe (and this script) without a word
		series_patches | sed -n "1,${SERIES_LIMIT}p"
	else
		series_patches
	fi
}

if [ -n "${KLP_TREE:-}" ]; then
	[ -f "$KLP_TREE/Makefile" ] || die "KLP_TREE=$KLP_TREE is no kernel tree"
	mkdir -p "$SRC_DIR"
	rsync -rlp --checksum --delete --exclude=/.git "$KLP_TREE/" "$SRC_DIR/"
	echo "work tree $KLP_TREE" >"$SRC_DIR/.klp-late-id"
	say "source: Linux $(kernel_version) from the work tree $KLP_TREE" \
		"($(git -C "$KLP_TREE" describe --always --dirty 2>/dev/null || echo no git))"
	exit 0
fi

[ -r "$BASE_TARBALL" ] || die "no base tarball $BASE_TARBALL (run harness/deps.sh)"

# One at a time: two architectures prepared at once share the source.
mkdir -p "$BUILD_DIR"
exec 9>"$BUILD_DIR/.source.lock"
flock 9

base=$BUILD_DIR/base
base_id="$(stat -c '%s %Y' "$BASE_TARBALL") $(base_version)"
if [ "$(cat "$base/.id" 2>/dev/null)" != "$base_id" ]; then
	say "extracting $(base_version) from $BASE_TARBALL"
	rm -rf "$base"
	mkdir -p "$base"
	tar -C "$base" -xf "$BASE_TARBALL"
	[ -f "$base/linux-source-6.1/Makefile" ] || die "unexpected tarball layout"
	echo "$base_id" >"$base/.id"
fi

list=$(patches)
# The identity of the source: base plus every patch, in order.
src_id=$( {
	echo "$base_id"
	for p in $list; do
		[ -f "$PATCHES/$p" ] || die "patches/series names missing file $p"
		echo "$p"
		cat "$PATCHES/$p"
	done
} | sha256sum | cut -d' ' -f1)
[ "$(cat "$SRC_DIR/.klp-late-id" 2>/dev/null)" != "$src_id" ] || exit 0

stage=$BUILD_DIR/src.stage
rm -rf "$stage"
cp -al "$base/linux-source-6.1" "$stage"
n=0
for p in $list; do
	n=$((n + 1))
	patch -d "$stage" -p1 -s -N -r - --batch --no-backup-if-mismatch \
		<"$PATCHES/$p" || die "patch $n ($p) does not apply"
done
mkdir -p "$SRC_DIR"
rsync -rlp --checksum --delete --exclude=/.klp-late-id "$stage/" "$SRC_DIR/"
rm -rf "$stage"
echo "$src_id" >"$SRC_DIR/.klp-late-id"
say "source: Linux $(kernel_version) from $(base_version) + $n patches"
