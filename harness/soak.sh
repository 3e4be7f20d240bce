#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make soak`: boot the debug kernel (unless DEBUG=0) of one architecture
# and unload/load a livepatched target CYCLES times (harness/guest/soak.sh),
# then scan for leaks. Fails on a wrong value, a splat or a leak; prints
# cycles/s and the memory usage of the first and last cycle.
# Usage: harness/soak.sh [ARCH]   Env: CYCLES (10000 on x86_64, 1000 on
# ppc64le and s390x), DEBUG (1; s390x has no debug kernel: DEBUG=0)
set -euo pipefail
export DEBUG=${DEBUG:-1}
# shellcheck source=harness/lib.sh
. "$(dirname "$0")/lib.sh"
arch=${1:-x86_64}
case "$arch" in
ppc64le | s390x) cycles=${CYCLES:-1000} ;;
*) cycles=${CYCLES:-10000} ;;
esac
[[ "$cycles" =~ ^[1-9][0-9]*$ ]] || die "CYCLES=$cycles: a number of cycles"

"$HARNESS/prepare.sh" "$arch"
arch_setup "$arch"
# a cycle takes about 0.8 s (x86_64, on an idle host) to 2.6 s (ppc64le,
# on a host busy with other guests) on the debug kernel under TCG
BOOT_TIMEOUT=${BOOT_TIMEOUT:-$((600 + 5 * cycles))} "$HARNESS/boot.sh" "$arch" soak \
	klp_cycles="$cycles" || true
log=$LOG_DIR/console-soak.log
grep -a '^klp-late soak: ' "$log" || true
grep -q '^klp-late: soak ok' "$log" || die "the soak failed or did not finish: see $log"
judge_guest_log "$log" soak
say "soak ok: $cycles cycles, Linux $(kernel_version)$([ "$DEBUG" = 1 ] && echo ", debug kernel"); log: $log"
