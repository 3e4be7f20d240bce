#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Judge one architecture's test boot from its console log: the kselftest
# TAP results (with the expected failures of harness/expected-failures and
# the skips harness/expected-skips allows), the
# short concurrency stress when the guest was asked for it, the guest's CPU
# count, whether the guest finished, and kernel splats.
# Prints a report and writes "passed failed skipped xfailed" to
# build/ARCH/counts. Exit 1 if anything failed.
# Usage: harness/results.sh ARCH
set -euo pipefail
# shellcheck source=harness/lib.sh
. "$(dirname "$0")/lib.sh"
arch_setup "${1:?usage: $0 ARCH}"

log=${CONSOLE_LOG:-$LOG_DIR/console-test.log}
SMP=${SMP:-2}
[ -f "$log" ] || die "no console log $log"

# listed FILE TEST: the reason FILE gives for TEST on this arch (lines
# "ARCH COLLECTION:TEST reason", ARCH or TEST may be *)
listed() {
	awk -v arch="$KLP_ARCH" -v t="$2" '
		/^[[:space:]]*(#|$)/ { next }
		($1 == arch || $1 == "*") && ($2 == t || $2 == "*") {
			$1 = ""; $2 = ""; sub(/^ +/, ""); print; exit
		}' "$1"
}

# expected_failure TEST: the reason TEST is expected to fail on this arch
expected_failure() {
	listed "${EXPECTED_FAILURES:-$HARNESS/expected-failures}" "$1"
}

# expected_skip TEST: the reason TEST may skip on this arch; any other skip
# fails, so that a test cannot stop testing without anyone noticing. The
# debug kernel has what every selftest needs: its list allows none.
expected_skip() {
	local list=$HARNESS/expected-skips
	[ "${DEBUG:-0}" != 1 ] || list=/dev/null
	listed "${EXPECTED_SKIPS:-$list}" "$1"
}

passed=0 failed=0 skipped=0 xfailed=0 seen=0
problems=()
console=$(tr -d '\r' <"$log")

while read -r line; do
	[[ "$line" =~ ^(not\ )?ok\ [0-9]+\ selftests:\ ([^ ]+):\ ([^ ]+)(\ #\ (.*))?$ ]] || continue
	seen=$((seen + 1))
	test=${BASH_REMATCH[2]}:${BASH_REMATCH[3]}
	directive=${BASH_REMATCH[5]}
	why=$(expected_failure "$test")
	if [ -n "${BASH_REMATCH[1]}" ]; then
		if [ -n "$why" ]; then
			xfailed=$((xfailed + 1))
			echo "XFAIL $test: $why"
		else
			failed=$((failed + 1))
			problems+=("FAIL $test ($directive)")
		fi
	elif [[ "$directive" == SKIP* ]]; then
		if [ -n "$(expected_skip "$test")" ]; then
			skipped=$((skipped + 1))
		else
			failed=$((failed + 1))
			problems+=("SKIP $test: skipped, which ${EXPECTED_SKIPS:-harness/expected-skips} does not allow (see the console log for why)")
		fi
	elif [ -n "$why" ]; then
		failed=$((failed + 1))
		problems+=("XPASS $test: passes, but is marked as an expected failure ($why)")
	else
		passed=$((passed + 1))
	fi
done <<<"$console"

planned=$(sed -n 's/^1\.\.\([0-9]\+\)$/\1/p' <<<"$console" | head -n 1)
fatal=$(sed -n 's/^klp-late: fatal: //p' <<<"$console")
if [ -n "$fatal" ]; then
	failed=$((failed + 1))
	problems+=("GUEST the guest's /init gave up: $fatal")
elif ! grep -q '^klp-late: guest done' <<<"$console"; then
	failed=$((failed + 1))
	problems+=("BOOT the guest did not finish (timeout, panic or hang): see $log")
elif [ -z "$planned" ] || [ "$planned" != "$seen" ]; then
	failed=$((failed + 1))
	problems+=("TAP planned ${planned:-no} tests, $seen reported")
fi
# The short concurrency stress after the selftests (make test's
# TEST_STRESS, klp_stress= on the kernel command line): one more test
stress=$(sed -n '/Kernel command line: /{s/.* klp_stress=\([0-9]*\).*/\1/p;q}' <<<"$console")
if [ -n "$stress" ] && [ "$stress" != 0 ]; then
	verdict=$(sed -n '/^klp-late: stress /{s/^klp-late: stress //p;q}' <<<"$console")
	if [ "$verdict" = ok ]; then
		passed=$((passed + 1))
		echo "ok: concurrency stress ($stress s)"
	else
		failed=$((failed + 1))
		problems+=("STRESS the concurrency stress (${stress} s) ${verdict:-did not finish}")
		while read -r s; do
			[ -z "$s" ] || problems+=("  $s")
		done <<<"$(awk '/^klp-late stress: UNEXPECTED/ && n++ < 10' <<<"$console")"
	fi
fi
# The fuzz sample after it (make test's TEST_FUZZ, klp_fuzz=1): one more
# test, unless the initramfs has no mutants (a series without the fuzzer)
if grep -q 'Kernel command line: .* klp_fuzz=1' <<<"$console" &&
   ! grep -q '^klp-late: fuzz: no mutants' <<<"$console"; then
	verdict=$(sed -n '/^klp-late: fuzz /{s/^klp-late: fuzz //p;q}' <<<"$console")
	# one line a mutant, "fuzz: <n> <outcome>: <module>: ..."; not the
	# counts, "fuzz: <count> <outcome>"
	mutants=$(grep -c '^fuzz: [1-9][0-9]* [^:]*: ' <<<"$console" || true)
	if [ "$verdict" = ok ]; then
		passed=$((passed + 1))
		echo "ok: fuzz sample ($mutants mutants)"
	else
		failed=$((failed + 1))
		problems+=("FUZZ the fuzz sample ${verdict:-did not finish}")
		while read -r s; do
			[ -z "$s" ] || problems+=("  $s")
		done <<<"$(awk '/^fuzz: [0-9]+ (refused without|loaded, (wrong|not)|.*left)/ && n++ < 10' <<<"$console")"
	fi
fi
cpus=$(sed -n 's/^klp-late: guest up: .*, \([0-9]\+\) CPUs online.*/\1/p' "$log")
if [ -n "$cpus" ] && [ "$cpus" != "$SMP" ]; then
	failed=$((failed + 1))
	problems+=("SMP the guest runs on $cpus CPUs, $SMP were asked for")
fi
if splats=$("$HARNESS/splats.sh" "$log"); then
	:
else
	failed=$((failed + 1))
	problems+=("SPLAT the kernel logged a splat:")
	while read -r s; do
		problems+=("  $s")
	done <<<"$(head -n 20 <<<"$splats")"
fi

for p in "${problems[@]}"; do
	echo "$p"
done
echo "$passed $failed $skipped $xfailed" >"$ARCH_DIR/counts"
say "$passed passed, $failed failed, $skipped skipped, $xfailed expected failures (Linux $(kernel_version), $(base_version))"
[ "$failed" = 0 ]
