#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The `make run` demonstration: apply the upstream sample livepatch, which
# replaces the function behind /proc/cmdline, show it, then take it away;
# then a livepatch applied to a module that loads after it, three times.
set -euo pipefail

say() {
	echo "klp-late demo: $*"
}

# shellcheck source=harness/guest/livepatch.sh
. "$(dirname "$0")/livepatch.sh"

say "/proc/cmdline reads: $(cat /proc/cmdline)"
say "loading the sample livepatch (samples/livepatch/livepatch-sample.c)"
modprobe livepatch-sample
wait_transition livepatch_sample
say "/sys/kernel/livepatch/livepatch_sample/enabled = $(cat /sys/kernel/livepatch/livepatch_sample/enabled)"
patched=$(cat /proc/cmdline)
say "/proc/cmdline now reads: $patched"
say "disabling the livepatch and unloading it"
disable_and_unload livepatch_sample
restored=$(cat /proc/cmdline)
say "/proc/cmdline reads again: $restored"
if [ "$patched" != "this has been live patched" ] || [ "$restored" = "$patched" ]; then
	echo "klp-late: demo FAILED"
	exit 0
fi

# Late module patching, when the series has its test modules: the livepatch
# comes first, the module it patches loads later, goes and comes again.
if modinfo test_klp_late_patch >/dev/null 2>&1; then
	status=/sys/module/test_klp_late_target/parameters/status
	obj=/sys/kernel/livepatch/test_klp_late_patch/test_klp_late_target
	other=/kselftest/livepatch/other-build/test_klp_late_target.ko
	say "late module patching: loading the livepatch test_klp_late_patch before its target"
	modprobe test_klp_late_patch
	wait_transition test_klp_late_patch
	ok=1
	for seed in 1 2 3; do
		modprobe test_klp_late_target seed="$seed"
		line=$(cat "$status")
		say "load $seed of test_klp_late_target: $line"
		case "$line" in
		*"patched, value $((2 * seed + 1)),"*"lookup ok") ;;
		*) ok=0 ;;
		esac
		if [ "$seed" = 1 ] && [ -f "$obj/build_id" ]; then
			say "$obj: build_id $(cat "$obj/build_id"), build_id_state $(cat "$obj/build_id_state")"
		fi
		rmmod test_klp_late_target
	done
	# A livepatch bound to the build of its target: another build is refused
	if [ -f "$obj/build_id" ] && [ -f "$other" ]; then
		ids=$(modinfo -F klp_build_id test_klp_late_patch | paste -sd ' ')
		say "modinfo -F klp_build_id test_klp_late_patch: $ids"
		say "loading another build of test_klp_late_target ($other)"
		if insmod "$other"; then
			say "another build of test_klp_late_target was not refused"
			ok=0
			rmmod test_klp_late_target
		fi
		msg=$(dmesg | grep 'the patch was made for build ID' | tail -n 1)
		say "kernel: $msg"
	fi
	disable_and_unload test_klp_late_patch
	[ "$ok" = 1 ] || { echo "klp-late: demo FAILED"; exit 0; }
fi
echo "klp-late: demo ok"
