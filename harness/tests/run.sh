#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Host tests of the harness's own judgement (harness/results.sh and
# harness/splats.sh) on made-up console logs, and of the series' host tools
# when the source has them. TAP output; writes
# "passed failed skipped xfailed" to COUNTS.
# Usage: harness/tests/run.sh COUNTS
set -euo pipefail
# shellcheck source=harness/lib.sh
. "$(dirname "$0")/../lib.sh"
counts=${1:?usage: $0 COUNTS}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 passed=0 failed=0 skipped=0

check() {	# check DESCRIPTION CMD...: CMD must succeed
	local what=$1
	shift
	n=$((n + 1))
	if "$@" >"$tmp/out" 2>&1; then
		passed=$((passed + 1))
		echo "ok $n - $what"
	else
		failed=$((failed + 1))
		echo "not ok $n - $what"
		sed 's/^/# /' "$tmp/out"
	fi
}

fails() {	# fails CMD...: CMD must fail
	! "$@"
}

# guest_log [ok|fail] [CPUS] [finished|hung] [splat]: a console log as a test
# boot writes it
guest_log() {
	local result=${1:-ok} cpus=${2:-2} end=${3:-finished} splat=${4:-}
	echo "klp-late: guest up: Linux 6.1.192 x86_64, $cpus CPUs online, mode test"
	echo "TAP version 13"
	echo "1..2"
	echo "# selftests: livepatch: test-livepatch.sh"
	echo "ok 1 selftests: livepatch: test-livepatch.sh"
	echo "# selftests: livepatch: test-late.sh"
	if [ "$result" = ok ]; then
		echo "ok 2 selftests: livepatch: test-late.sh"
	else
		echo "not ok 2 selftests: livepatch: test-late.sh # exit=1"
	fi
	echo "klp-late: dmesg begin"
	echo "[    1.000000] livepatch: enabling patch 'test_klp_livepatch'"
	[ -z "$splat" ] || printf '%s\n' "[    2.000000] ------------[ cut here ]------------" \
		"[    2.000001] WARNING: CPU: 1 PID: 70 at drivers/misc/lkdtm/bugs.c:83 lkdtm_WARNING+0x1/0x2"
	echo "klp-late: dmesg end"
	[ "$end" != finished ] || echo "klp-late: guest done"
}

judge() {	# judge LOG [EXPECTED-FAILURES]: run results.sh on LOG
	DEBUG=0 BUILD_DIR=$tmp/build CONSOLE_LOG=$1 EXPECTED_FAILURES=${2:-/dev/null} \
		"$HARNESS/results.sh" x86_64
}

mkdir -p "$tmp/build/x86_64"
guest_log >"$tmp/pass.log"
guest_log fail >"$tmp/fail.log"
guest_log ok 1 >"$tmp/one-cpu.log"
guest_log ok 2 hung >"$tmp/hang.log"
guest_log ok 2 finished splat >"$tmp/splat.log"
printf '%s\n' "klp-late: fatal: cannot mount /proc" >"$tmp/no-proc.log"
echo "x86_64 livepatch:test-late.sh reason" >"$tmp/xfail"
echo "ppc64le livepatch:test-late.sh reason" >"$tmp/xfail-other-arch"

echo "TAP version 13"
check "splats.sh: a clean log has no splat" "$HARNESS/splats.sh" "$tmp/pass.log"
check "splats.sh: a WARNING is a splat" fails "$HARNESS/splats.sh" "$tmp/splat.log"
# What the debug kernel's detectors print (their wording in 6.1), each a
# splat; and what they print at boot, none
while IFS='|' read -r what line; do
	printf '[    3.000000] %s\n' "$line" >"$tmp/detector.log"
	check "splats.sh: $what" fails "$HARNESS/splats.sh" "$tmp/detector.log"
done <<'EOF_REPORTS'
KASAN|BUG: KASAN: use-after-free in lkdtm_READ_AFTER_FREE+0x1a8/0x2e0 [lkdtm]
kmemleak|kmemleak: 3 new suspected memory leaks (see /sys/kernel/debug/kmemleak)
hung task|INFO: task bash:93 blocked for more than 30 seconds.
lockdep|WARNING: possible circular locking dependency detected
sleeping in atomic context|BUG: sleeping function called from invalid context at kernel/time/timer.c:2071
list corruption|list_add corruption. next->prev should be prev (ffff8880, but was 00000000. (next=ffff8881).
SLUB debug|BUG kmalloc-1k (Not tainted): Poison overwritten
EOF_REPORTS
printf '%s\n' "[    0.100000] kasan: KernelAddressSanitizer initialized" \
	"[    0.200000] kmemleak: Kernel memory leak detector initialized (mem pool available: 15781)" \
	"[    0.300000] kmemleak: Automatic memory scanning thread started" >"$tmp/debug-boot.log"
check "splats.sh: the debug kernel's boot messages are not splats" "$HARNESS/splats.sh" "$tmp/debug-boot.log"
check "results: all tests passing is a pass" judge "$tmp/pass.log"
check "results: a failing test fails" fails judge "$tmp/fail.log"
check "results: an expected failure that fails is a pass" judge "$tmp/fail.log" "$tmp/xfail"
check "results: an expected failure of another arch still fails" \
	fails judge "$tmp/fail.log" "$tmp/xfail-other-arch"
check "results: an expected failure that passes fails" fails judge "$tmp/pass.log" "$tmp/xfail"
check "results: a guest that did not finish fails" fails judge "$tmp/hang.log"
check "results: a guest on fewer CPUs than asked fails" fails judge "$tmp/one-cpu.log"
check "results: a kernel splat fails" fails judge "$tmp/splat.log"
check "results: a guest whose /init gave up fails" fails judge "$tmp/no-proc.log"
echo "1..$n"
echo "# harness: $passed passed, $failed failed, $skipped skipped"

# The host tests of the series' tools, when the series has them.
tool_tests=$SRC_DIR/scripts/livepatch/tests/run.sh
if [ -x "$tool_tests" ]; then
	rc=0
	"$tool_tests" | tee "$tmp/tool.tap" || rc=$?
	p=0 f=0 s=0
	summary=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed, \([0-9]*\) skipped$/\1 \2 \3/p' \
		"$tmp/tool.tap" | tail -n 1)
	read -r p f s <<<"$summary" || true
	# a tool test run that failed without saying so still fails
	[ "$rc" = 0 ] || [ "$f" != 0 ] || f=1
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
fi

echo "$passed $failed $skipped 0" >"$counts"
[ "$failed" = 0 ]
