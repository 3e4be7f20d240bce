#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Check that every patch of the series builds on its own: apply the first
# 1, 2, ... N patches in turn and build the kernel and modules of each
# architecture, in build/bisect/ (incremental builds, ccache).
# Usage: harness/dev/bisect.sh [ARCH...]   (default: x86_64 ppc64le)
# BISECT_FROM=K starts at patch K, for patches added after a full check.
set -euo pipefail
# shellcheck source=harness/lib.sh
. "$(dirname "$0")/../lib.sh"

arches=("$@")
[ ${#arches[@]} -gt 0 ] || arches=(x86_64 ppc64le)
export BUILD_DIR=$BUILD_DIR/bisect
total=$(series_patches | wc -l)
bad=0
for k in $(seq "${BISECT_FROM:-1}" "$total"); do
	p=$(series_patches | sed -n "${k}p")
	for arch in "${arches[@]}"; do
		if SERIES_LIMIT=$k "$HARNESS/source.sh" >/dev/null &&
		   "$HARNESS/config.sh" "$arch" >/dev/null &&
		   "$HARNESS/build.sh" "$arch" >/dev/null; then
			echo "ok - $arch builds with patches 1..$k ($p)"
		else
			echo "not ok - $arch does not build with patches 1..$k ($p)"
			bad=1
		fi
	done
done
say "bisect check: $([ "$bad" = 0 ] && echo "every patch builds" || echo FAILED)"
[ "$bad" = 0 ]
