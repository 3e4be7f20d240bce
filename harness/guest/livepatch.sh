# SPDX-License-Identifier: GPL-2.0
# Livepatch helpers of the guest scripts (demo.sh, soak.sh), which source
# this file after defining say().
# shellcheck shell=bash

# wait_transition PATCH: wait until the patch's transition has finished
wait_transition() {
	for _ in $(seq 100); do
		[ "$(cat "/sys/kernel/livepatch/$1/transition")" = 0 ] && return 0
		sleep 0.1
	done
	say "transition of $1 did not finish in 10 s"
	return 1
}

# disable_and_unload PATCH: disable the livepatch, wait until it is gone
# from sysfs, unload its module
disable_and_unload() {
	echo 0 >"/sys/kernel/livepatch/$1/enabled"
	for _ in $(seq 100); do
		[ -d "/sys/kernel/livepatch/$1" ] || break
		sleep 0.1
	done
	rmmod "$1"
}
