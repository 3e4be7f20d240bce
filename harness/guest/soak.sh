#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The soak of `make soak`: with the livepatches enabled, unload and load
# their target again and again, checking after every load the values the
# target reads through the livepatch's relocations; every SAMPLE-th cycle
# also the .klp.arch target, with its static key and static call toggled.
# Prints cycles/s and the slab and vmalloc usage after the first and the
# last cycle; the kmemleak scan after it is /init's.
# Usage: soak.sh CYCLES [SAMPLE]
set -euo pipefail

cycles=${1:?usage: $0 CYCLES [SAMPLE]}
sample=${2:-10}
status=/sys/module/test_klp_late_target/parameters/status
arch_params=/sys/module/test_klp_late_arch_target/parameters

say() {
	echo "klp-late soak: $*"
}

fail() {
	say "FAILED at cycle $cycle: $*"
	exit 1
}

# shellcheck source=harness/guest/livepatch.sh
. "$(dirname "$0")/livepatch.sh"

# meminfo FIELD: that line of /proc/meminfo, in kB
meminfo() {
	awk -v f="$1:" '$1 == f { print $2 }' /proc/meminfo
}

# arch_state PARAM VALUE EXPECTED: set the target's parameter, check its state
arch_state() {
	local state
	echo "$2" >"$arch_params/$1"
	state=$(cat "$arch_params/state")
	[ "$state" = "test_klp_late_arch_patch: patched $3" ] ||
		fail "test_klp_late_arch_target says '$state' after $1=$2, expected patched $3"
}

cycle=0
for patch in test_klp_late_patch test_klp_late_arch_patch; do
	modprobe "$patch"
	wait_transition "$patch"
done
# The target by its file: a cycle starts two programs (insmod, rmmod) and
# no other, as each costs tens of milliseconds on the debug kernel under
# TCG; modprobe would also read the module indexes on every load.
target=$(modinfo -n test_klp_late_target)

start=$(date +%s%N)
for ((cycle = 1; cycle <= cycles; cycle++)); do
	insmod "$target" seed="$cycle"
	read -r line <"$status"
	case "$line" in
	"test_klp_late_patch: patched, value $((2 * cycle + 1)),"*"lookup ok") ;;
	*) fail "test_klp_late_target says '$line'" ;;
	esac
	rmmod test_klp_late_target
	if [ $((cycle % sample)) = 0 ]; then
		modprobe test_klp_late_arch_target
		arch_state key 1 "key=on call=a"
		arch_state call b "key=on call=b"
		arch_state key 0 "key=off call=b"
		rmmod test_klp_late_arch_target
	fi
	# progress, ten times a run
	[ $((cycle % ((cycles + 9) / 10))) != 0 ] || say "cycle $cycle"
	if [ "$cycle" = 1 ]; then
		slab_first=$(meminfo Slab) vmalloc_first=$(meminfo VmallocUsed)
	fi
done
end=$(date +%s%N)
slab_last=$(meminfo Slab) vmalloc_last=$(meminfo VmallocUsed)

for patch in test_klp_late_arch_patch test_klp_late_patch; do
	disable_and_unload "$patch"
done

ms=$(((end - start) / 1000000))
rate=$(awk -v c="$cycles" -v ms="$ms" 'BEGIN { printf "%.1f", c * 1000 / (ms > 0 ? ms : 1) }')
say "$cycles cycles (.klp.arch target every $sample) in $ms ms: $rate cycles/s"
say "Slab: ${slab_first} kB after cycle 1, ${slab_last} kB after cycle $cycles"
say "VmallocUsed: ${vmalloc_first} kB after cycle 1, ${vmalloc_last} kB after cycle $cycles"
echo "klp-late: soak ok"
