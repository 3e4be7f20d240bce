#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make fuzz`: boot the debug kernel (unless DEBUG=0) of one architecture
# once and load N mutants of the livepatch test modules one after another
# (gen-bad-modules.sh --fuzz SEED N on the host, fuzz-livepatch.sh in the
# guest). Each must be refused with a kernel message, or load and behave
# as the module it was made from. Fails on a mutant that does neither, a
# splat, a leak, or a guest that does not finish (the last mutant tried is
# then the last "fuzz: mutant" line of the log). Prints the count of each
# outcome.
# Usage: harness/fuzz.sh [ARCH]   Env: N (5000), SEED (1), DEBUG (1),
# FROM, TO (1, N: with FROM=K TO=L, mutants K to L only, to split a long
# run in parts)
set -euo pipefail
export DEBUG=${DEBUG:-1}
# shellcheck source=harness/lib.sh
. "$(dirname "$0")/lib.sh"
arch=${1:-x86_64}
export KLP_FUZZ_N=${N:-5000} KLP_FUZZ_SEED=${SEED:-1}
[[ "$KLP_FUZZ_N" =~ ^[1-9][0-9]*$ ]] || die "N=$KLP_FUZZ_N: a number of mutants"
[[ "$KLP_FUZZ_SEED" =~ ^[0-9]+$ ]] || die "SEED=$KLP_FUZZ_SEED: a number"
from=${FROM:-1} to=${TO:-$KLP_FUZZ_N}
[[ "$from" =~ ^[1-9][0-9]*$ && "$to" =~ ^[1-9][0-9]*$ &&
   "$from" -le "$to" && "$to" -le "$KLP_FUZZ_N" ]] ||
	die "FROM=$from TO=$to: mutant numbers, 1 <= FROM <= TO <= N=$KLP_FUZZ_N"

"$HARNESS/prepare.sh" "$arch"
arch_setup "$arch"
[ -f "$ROOTFS_DIR/kselftest/livepatch/fuzz/mutations" ] ||
	die "no mutants for $arch (see $LOG_DIR/gen-fuzz.log)"
# a mutant takes a few seconds at most on the debug kernel under TCG
start=$SECONDS
BOOT_TIMEOUT=${BOOT_TIMEOUT:-$((600 + 5 * (to - from + 1)))} \
	"$HARNESS/boot.sh" "$arch" fuzz klp_fuzz_from="$from" klp_fuzz_to="$to" || true
log=$LOG_DIR/console-fuzz.log
# the failures and the counts again, after the kernel log
grep -a '^fuzz: [0-9]* \(refused without\|loaded, \(wrong\|not\)\|.*left\)' "$log" | head -n 50 || true
grep -a '^fuzz: [0-9]* [a-z]' "$log" | grep -av '^fuzz: [0-9]* \(refused\|loaded\)' || true
result=$(grep -a -m 1 '^klp-late: fuzz ' "$log" || true)
[ "$result" = "klp-late: fuzz ok" ] ||
	die "the fuzzing failed or did not finish${result:+ ($result)}; last: $(grep -a 'fuzz: mutant' "$log" | tail -n 1); see $log"
grep -q '^klp-late: guest done' "$log" || die "the guest did not finish after the fuzzing: see $log"
judge_guest_log "$log" fuzzing
say "fuzz ok: mutants $from to $to of $KLP_FUZZ_N (seed $KLP_FUZZ_SEED) in $((SECONDS - start)) s, Linux $(kernel_version)$([ "$DEBUG" = 1 ] && echo ", debug kernel"); log: $log"
