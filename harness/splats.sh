#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Print the kernel splats (WARNING, BUG, Oops, panic, lockdep, RCU stall,
# soft/hard lockup, hung task, UBSAN/KASAN, kmemleak, SLUB debug, list
# corruption, sleeping in atomic context) found in a console or dmesg log.
# Exit 1 if there is any, 0 if the log is clean.
# Usage: harness/splats.sh LOG
set -euo pipefail

log=${1:?usage: $0 LOG}
pattern='(-+\[ cut here \]-+|WARNING: CPU:|WARNING: .* at |BUG: |kernel BUG at|Oops|Kernel panic|general protection fault|Unable to handle kernel|INFO: task .* blocked|INFO: rcu_|rcu: INFO:|watchdog: BUG|possible recursive locking|possible circular locking|inconsistent lock state|suspicious RCU usage|UBSAN:|KASAN:|kmemleak: [0-9]+ new suspected memory leak|BUG [^ ]+ \((Not t|T)ainted|list_(add|del) corruption|Call Trace:)'
if grep -aEn "$pattern" "$log"; then
	exit 1
fi
exit 0
