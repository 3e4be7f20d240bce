#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The `make run` demonstration: apply the upstream sample livepatch, which
# replaces the function behind /proc/cmdline, show it, then take it away.
set -euo pipefail

say() {
	echo "klp-late demo: $*"
}

# wait_transition PATCH: wait until the patch's transition has finished
wait_transition() {
	for _ in $(seq 100); do
		[ "$(cat "/sys/kernel/livepatch/$1/transition")" = 0 ] && return 0
		sleep 0.1
	done
	say "transition of $1 did not finish in 10 s"
	return 1
}

say "/proc/cmdline reads: $(cat /proc/cmdline)"
say "loading the sample livepatch (samples/livepatch/livepatch-sample.c)"
modprobe livepatch-sample
wait_transition livepatch_sample
say "/sys/kernel/livepatch/livepatch_sample/enabled = $(cat /sys/kernel/livepatch/livepatch_sample/enabled)"
patched=$(cat /proc/cmdline)
say "/proc/cmdline now reads: $patched"
say "disabling the livepatch and unloading it"
echo 0 >/sys/kernel/livepatch/livepatch_sample/enabled
for _ in $(seq 100); do
	[ -d /sys/kernel/livepatch/livepatch_sample ] || break
	sleep 0.1
done
rmmod livepatch_sample
restored=$(cat /proc/cmdline)
say "/proc/cmdline reads again: $restored"
if [ "$patched" = "this has been live patched" ] && [ "$restored" != "$patched" ]; then
	echo "klp-late: demo ok"
else
	echo "klp-late: demo FAILED"
fi
