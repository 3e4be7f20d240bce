#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make run`: build the patched kernel of one architecture and boot it.
# On a terminal: a shell with the livepatch test and sample modules ready.
# Otherwise (or with MODE=demo): a short demonstration of a livepatch being
# applied and removed, then power off.
# Usage: harness/run.sh [ARCH]   Env: MODE=shell|demo
set -euo pipefail
# shellcheck source=harness/lib.sh
. "$(dirname "$0")/lib.sh"
arch=${1:-x86_64}

if [ -t 0 ] && [ -t 1 ]; then
	mode=${MODE:-shell}
else
	mode=${MODE:-demo}
fi

"$HARNESS/prepare.sh" "$arch"
arch_setup "$arch"
rc=0
"$HARNESS/boot.sh" "$arch" "$mode" || rc=$?
[ "$mode" = demo ] || exit "$rc"

log=$LOG_DIR/console-demo.log
if ! grep -q '^klp-late: demo ok' "$log"; then
	die "the demonstration failed (QEMU exit $rc): see $log"
fi
if ! "$HARNESS/splats.sh" "$log" >/dev/null; then
	die "the kernel logged a splat during the demonstration: see $log"
fi
say "demonstration ok on $arch"
