#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make bench`: build the patched kernel of one architecture, boot it and
# run the series' benchmark in the guest (load/unload times of a target
# module under a livepatch holding N relocations for it). Prints figures;
# fails only if the benchmark could not run.
# Usage: harness/bench.sh [ARCH]
set -euo pipefail
# shellcheck source=harness/lib.sh
. "$(dirname "$0")/lib.sh"
arch=${1:-x86_64}

"$HARNESS/prepare.sh" "$arch"
arch_setup "$arch"
"$HARNESS/boot.sh" "$arch" bench
log=$LOG_DIR/console-bench.log
grep -q '^klp-late: guest done' "$log" || die "the benchmark did not finish: see $log"
grep -q '^bench: ' "$log" || die "the benchmark printed no figures: see $log"
say "figures above: Linux $(kernel_version), $(base_version) + the series; log: $log"
