#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make stress`: boot the debug kernel (unless DEBUG=0) of one architecture
# on 2 vCPUs and run the concurrency stress (harness/guest/stress.sh) for
# STRESS_SECONDS: concurrent loops of target module loads and unloads,
# livepatch loads, disables, transition reversals, atomic replace and
# unloads, sysfs reads and static key and static call toggles; then check
# the state they converge to. Fails on an unexpected error or value, a
# wrong converged state, a loop that does not stop (a task hung in the
# kernel), a splat or a leak. Prints each loop's iterations.
# Usage: harness/stress.sh [ARCH]   Env: STRESS_SECONDS (600), DEBUG (1)
set -euo pipefail
export DEBUG=${DEBUG:-1}
# shellcheck source=harness/lib.sh
. "$(dirname "$0")/lib.sh"
arch=${1:-x86_64}
seconds=${STRESS_SECONDS:-600}
[[ "$seconds" =~ ^[1-9][0-9]*$ ]] || die "STRESS_SECONDS=$seconds: a number of seconds"

"$HARNESS/prepare.sh" "$arch"
arch_setup "$arch"
# boot, the checks after the loops and the final kmemleak scan: 10 min at
# most on the debug kernel under TCG, on top of the loops
BOOT_TIMEOUT=${BOOT_TIMEOUT:-$((600 + seconds))} "$HARNESS/boot.sh" "$arch" stress \
	klp_stress="$seconds" || true
log=$LOG_DIR/console-stress.log
# the figures again, after the kernel log
grep -a '^klp-late stress: \(loop \|UNEXPECTED\|transitions\)' "$log" || true
result=$(grep -a -m 1 '^klp-late: stress ' "$log" || true)
[ "$result" = "klp-late: stress ok" ] ||
	die "the stress failed or did not finish${result:+ ($result)}: see $log"
grep -q '^klp-late: guest done' "$log" || die "the guest did not finish after the stress: see $log"
judge_guest_log "$log" stress
say "stress ok: $seconds s, Linux $(kernel_version)$([ "$DEBUG" = 1 ] && echo ", debug kernel"); log: $log"
