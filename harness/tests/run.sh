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
# As on a fresh machine: no git identity or other settings of this host's
# user, which a test could come to depend on without anyone noticing
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1

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

# guest_log [ok|skip|fail] [CPUS] [finished|hung] [splat] [STRESS] [FUZZ]: a
# console log as a test boot writes it; STRESS: the short concurrency stress
# was asked for and passed (ok), failed (fail) or said nothing (silent);
# FUZZ: likewise the fuzz sample, or none (no mutants in the initramfs)
guest_log() {
	local result=${1:-ok} cpus=${2:-2} end=${3:-finished} splat=${4:-} stress=${5:-}
	local fuzz=${6:-}
	echo "klp-late: guest up: Linux 6.1.192 x86_64, $cpus CPUs online, mode test"
	echo "TAP version 13"
	echo "1..2"
	echo "# selftests: livepatch: test-livepatch.sh"
	echo "ok 1 selftests: livepatch: test-livepatch.sh"
	echo "# selftests: livepatch: test-late.sh"
	if [ "$result" = ok ]; then
		echo "ok 2 selftests: livepatch: test-late.sh"
	elif [ "$result" = skip ]; then
		echo "ok 2 selftests: livepatch: test-late.sh # SKIP"
	else
		echo "not ok 2 selftests: livepatch: test-late.sh # exit=1"
	fi
	case "$stress" in
	ok) printf '%s\n' "klp-late stress: loop target: 97 iterations, 0 tolerated errors, 0 unexpected" \
		"klp-late: stress ok" ;;
	fail) printf '%s\n' "klp-late stress: UNEXPECTED in loop target (iteration 3): test_klp_late_target says 'x'" \
		"klp-late: stress FAILED: 1 unexpected errors or values in the loops" \
		"klp-late: stress FAILED" ;;
	esac
	case "$fuzz" in
	ok) printf '%s\n' "fuzz: 1 refused: test_klp_late_patch: sh_type = 0x1 -- livepatch: ..." \
		"fuzz: 2 loaded, ok: test_klp_late_patch: st_info = 0x12 -- livepatch: ..." \
		"fuzz: 1 refused" "fuzz: 1 loaded, ok" "fuzz: ok" "klp-late: fuzz ok" ;;
	fail) printf '%s\n' "fuzz: 1 refused without a message: test_klp_late_patch: sh_type = 0x1" \
		"fuzz: 1 mutants FAILED" "klp-late: fuzz FAILED" ;;
	none) echo "klp-late: fuzz: no mutants in this initramfs" ;;
	esac
	echo "klp-late: dmesg begin"
	echo "[    0.000000] Kernel command line: console=ttyS0 quiet klp_mode=test${stress:+ klp_stress=60}${fuzz:+ klp_fuzz=1}"
	echo "[    1.000000] livepatch: enabling patch 'test_klp_livepatch'"
	[ -z "$splat" ] || printf '%s\n' "[    2.000000] ------------[ cut here ]------------" \
		"[    2.000001] WARNING: CPU: 1 PID: 70 at drivers/misc/lkdtm/bugs.c:83 lkdtm_WARNING+0x1/0x2"
	echo "klp-late: dmesg end"
	[ "$end" != finished ] || echo "klp-late: guest done"
}

# fake_series DIR SUBJECT[|FIXES-SUBJECT]...: a series folder of made-up
# format-patch files, one per argument; a long subject is folded as git
# folds it, and a second field becomes a Fixes: tag quoting it
fake_series() {
	local dir=$1 k=0 arg subject fixes
	shift
	mkdir -p "$dir"
	echo "# made up" >"$dir/series"
	for arg in "$@"; do
		k=$((k + 1))
		subject=${arg%%|*} fixes=
		[ "$subject" = "$arg" ] || fixes=${arg#*|}
		{
			echo "From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001"
			echo "From: A Developer <dev@example.org>"
			echo "Date: Mon, 23 Nov 2026 12:37:30 +0000"
			if [ ${#subject} -gt 40 ]; then
				printf 'Subject: [PATCH] %s\n %s\n' "${subject% *}" "${subject##* }"
			else
				echo "Subject: [PATCH] $subject"
			fi
			echo
			echo "Why and what."
			echo
			[ -z "$fixes" ] || echo "Fixes: 0123456789ab (\"$fixes\")"
			echo "Signed-off-by: A Developer <dev@example.org>"
			echo "---"
			echo "Fixes: 0123456789ab (\"below the line: not a tag\")"
		} >"$dir/000$k-p.patch"
		echo "000$k-p.patch" >>"$dir/series"
	done
}

lint() {	# lint DIR: run series-lint.sh on the series in DIR
	"$HARNESS/dev/series-lint.sh" "$1"
}

# lint_refuses DIR TEXT: series-lint.sh fails on DIR, and for the reason
# TEXT says (a script that breaks for another reason does not pass)
lint_refuses() {
	local out
	! out=$(lint "$1" 2>&1) || return 1
	printf '%s\n' "$out"
	grep -qF -- "$2" <<<"$out"
}

judge() {	# judge LOG [EXPECTED-FAILURES] [EXPECTED-SKIPS]: run results.sh on LOG
	DEBUG=0 BUILD_DIR=$tmp/build CONSOLE_LOG=$1 EXPECTED_FAILURES=${2:-/dev/null} \
		EXPECTED_SKIPS=${3:-/dev/null} "$HARNESS/results.sh" x86_64
}

judge_says() {	# judge_says LOG TEXT: results.sh's output on LOG has TEXT
	local out
	out=$(judge "$1" 2>&1) || true
	grep -qF -- "$2" <<<"$out"
}

mkdir -p "$tmp/build/x86_64"
guest_log >"$tmp/pass.log"
guest_log fail >"$tmp/fail.log"
guest_log skip >"$tmp/skip.log"
guest_log ok 1 >"$tmp/one-cpu.log"
guest_log ok 2 hung >"$tmp/hang.log"
guest_log ok 2 finished splat >"$tmp/splat.log"
printf '%s\n' "klp-late: fatal: cannot mount /proc" >"$tmp/no-proc.log"
guest_log ok 2 finished "" ok >"$tmp/stress-ok.log"
guest_log ok 2 finished "" fail >"$tmp/stress-fail.log"
guest_log ok 2 finished "" silent >"$tmp/stress-silent.log"
guest_log ok 2 finished "" "" ok >"$tmp/fuzz-ok.log"
guest_log ok 2 finished "" "" fail >"$tmp/fuzz-fail.log"
guest_log ok 2 finished "" "" silent >"$tmp/fuzz-silent.log"
guest_log ok 2 finished "" "" none >"$tmp/fuzz-none.log"
echo "x86_64 livepatch:test-late.sh reason" >"$tmp/xfail"
echo "ppc64le livepatch:test-late.sh reason" >"$tmp/xfail-other-arch"
echo "* livepatch:test-late.sh reason" >"$tmp/skips"

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
# counted COUNTS LOG: results.sh passes LOG and counts "passed failed skipped
# xfailed" as COUNTS
counted() {
	judge "$2" "${3:-}" "${4:-}" && [ "$(cat "$tmp/build/x86_64/counts")" = "$1" ]
}
# judge_listed DEBUG LOG: results.sh on LOG with the repository's list of
# expected skips, for the test kernel (DEBUG=0) or the debug kernel (1)
judge_listed() {
	env -u EXPECTED_SKIPS DEBUG="$1" BUILD_DIR="$tmp/build" CONSOLE_LOG="$2" \
		EXPECTED_FAILURES=/dev/null "$HARNESS/results.sh" x86_64
}
sed 's/test-late\.sh/test-late-faults.sh/' "$tmp/skip.log" >"$tmp/skip-faults.log"
check "results: a skip that harness/expected-skips does not allow fails" \
	fails judge "$tmp/skip.log"
check "results: a skip it allows is counted as a skip" \
	counted "1 0 1 0" "$tmp/skip.log" /dev/null "$tmp/skips"
check "results: test-late-faults may skip on the test kernel" \
	judge_listed 0 "$tmp/skip-faults.log"
check "results: ... but not on the debug kernel, which has fault injection" \
	fails judge_listed 1 "$tmp/skip-faults.log"
check "results: a passing concurrency stress is one more test passed" \
	counted "3 0 0 0" "$tmp/stress-ok.log"
check "results: a failed concurrency stress fails" fails judge "$tmp/stress-fail.log"
check "results: a concurrency stress that said nothing fails" fails judge "$tmp/stress-silent.log"
check "results: no stress asked for, none counted" counted "2 0 0 0" "$tmp/pass.log"
check "results: a passing fuzz sample is one more test passed" \
	counted "3 0 0 0" "$tmp/fuzz-ok.log"
check "results: the fuzz sample's mutants are counted, not its count lines" \
	judge_says "$tmp/fuzz-ok.log" "ok: fuzz sample (2 mutants)"
check "results: a failed fuzz sample fails" fails judge "$tmp/fuzz-fail.log"
check "results: a fuzz sample that said nothing fails" fails judge "$tmp/fuzz-silent.log"
check "results: no mutants in the initramfs, none counted" \
	counted "2 0 0 0" "$tmp/fuzz-none.log"
good_subjects=("module: add a hook" "x86/module: use the hook to clear what the loader wrote")
fake_series "$tmp/s-good" "${good_subjects[@]}" \
	"livepatch: fix an old bug|livepatch: a commit of mainline, not of the series"
fake_series "$tmp/s-dup" "${good_subjects[@]}" "module: add a hook"
fake_series "$tmp/s-dup-folded" "${good_subjects[@]}" \
	"x86/module: use the  hook to clear what the loader WROTE"
fake_series "$tmp/s-fixup" "${good_subjects[@]}" "fixup! module: add a hook"
fake_series "$tmp/s-squash" "${good_subjects[@]}" "squash! module: add a hook"
fake_series "$tmp/s-fixes" "${good_subjects[@]}" \
	"module: check the hook's result|x86/module: use the hook to clear what the loader wrote"
fake_series "$tmp/s-fixes-later" "livepatch: fix the hook's caller|module: add a hook" \
	"${good_subjects[@]}"
check "series-lint: distinct subjects, a Fixes: tag for mainline pass" lint "$tmp/s-good"
check "series-lint: a duplicate subject fails" lint_refuses "$tmp/s-dup" "0003-p.patch: same subject as 0001-p.patch"
check "series-lint: a duplicate subject folded, in other case and spacing fails" \
	lint_refuses "$tmp/s-dup-folded" "0003-p.patch: same subject as 0002-p.patch"
check "series-lint: a fixup! patch fails" lint_refuses "$tmp/s-fixup" "0003-p.patch: \"fixup! module: add a hook\" is a fix-up"
check "series-lint: a squash! patch fails" lint_refuses "$tmp/s-squash" "0003-p.patch: \"squash! module: add a hook\" is a fix-up"
check "series-lint: a Fixes: tag naming an earlier patch of the series fails" \
	lint_refuses "$tmp/s-fixes" "0003-p.patch: its Fixes: tag names 0002-p.patch"
check "series-lint: a Fixes: tag naming a later patch of the series fails" \
	lint_refuses "$tmp/s-fixes-later" "0001-p.patch: its Fixes: tag names 0002-p.patch"
# letter DIR LINE...: DIR's cover letter, with LINE... as its patch list
letter() {
	local dir=$1
	shift
	printf '%s\n' "subject" "" "Text." "" "Patches" "=======" "" "Group:" "$@" \
		>"$dir/cover-letter.txt"
}
long="x86/module: use the hook to clear what the loader wrote"
cp -r "$tmp/s-good" "$tmp/s-letter"
letter "$tmp/s-letter" "  01 ${good_subjects[0]}" "  02 ${long% loader wrote}" \
	"     loader wrote" "  03 livepatch: fix an old bug"
cp -r "$tmp/s-good" "$tmp/s-letter-order"
letter "$tmp/s-letter-order" "  01 ${good_subjects[1]}" "  02 ${good_subjects[0]}" \
	"  03 livepatch: fix an old bug"
cp -r "$tmp/s-good" "$tmp/s-letter-short"
letter "$tmp/s-letter-short" "  01 ${good_subjects[0]}" "  02 ${good_subjects[1]}"
check "series-lint: a cover letter listing the series, a subject wrapped, passes" \
	lint "$tmp/s-letter"
check "series-lint: a cover letter listing the patches out of order fails" \
	lint_refuses "$tmp/s-letter-order" "cover-letter.txt: its list of patches is not the series"
check "series-lint: a cover letter missing a patch fails" \
	lint_refuses "$tmp/s-letter-short" "#   -3 livepatch: fix an old bug"
check "series-lint: the series in patches/ passes" lint "$PATCHES"

# notes_roundtrip: a commit's git note, below "---" in git format-patch
# --notes as make export writes it, comes back whole from patch_notes (lines
# that start with # and blank lines included, as make tree restores it);
# a commit without a note gives nothing
notes_roundtrip() {
	local repo=$tmp/notes-repo note got
	note=$(printf '%s\n' "Tested: make test ARCH=x86_64" "" "# TEST: a selftest ... ok" \
		"  two spaces kept")
	rm -rf "$repo"
	git init -q "$repo"
	git -C "$repo" -c user.name=t -c user.email=t@t commit -q --allow-empty -m base
	echo a >"$repo/a"
	git -C "$repo" add a
	git -C "$repo" -c user.name=t -c user.email=t@t commit -q -m "with a note"
	git -C "$repo" -c user.name=t -c user.email=t@t notes --ref=commits add \
		-C "$(printf '%s\n' "$note" | git -C "$repo" hash-object -w --stdin)" HEAD
	echo b >"$repo/b"
	git -C "$repo" add b
	git -C "$repo" -c user.name=t -c user.email=t@t commit -q -m "without"
	git -C "$repo" format-patch -q --notes=refs/notes/commits -o "$repo/out" HEAD~2..HEAD
	got=$(patch_notes "$repo/out/0001-with-a-note.patch")
	[ "$got" = "$note" ] || { printf 'got:\n%s\n' "$got"; return 1; }
	got=$(patch_notes "$repo/out/0002-without.patch")
	[ -z "$got" ] || { printf 'got from a patch without a note:\n%s\n' "$got"; return 1; }
}
check "make export and make tree: a commit's note comes back from its patch whole" \
	notes_roundtrip

# series_as NAME EMAIL: make series in that git identity (the environment
# overrides every git config file), into a scratch folder
series_as() {
	GIT_CONFIG_COUNT=2 GIT_CONFIG_KEY_0=user.name GIT_CONFIG_VALUE_0="$1" \
		GIT_CONFIG_KEY_1=user.email GIT_CONFIG_VALUE_1="$2" \
		"$HARNESS/dev/series.sh" "$tmp/outgoing"
}

# refuses TEXT CMD...: CMD fails, saying TEXT
refuses() {
	local text=$1 out
	shift
	! out=$("$@" 2>&1) || return 1
	printf '%s\n' "$out"
	grep -qF -- "$text" <<<"$out"
}
check "series.sh: the project's identity can not send the series" \
	refuses "is a placeholder of the project" \
	series_as "Seed 07be2482 maintainers" maintainers@users.noreply.h-seed-07be2482.example
check "series.sh: neither can make tree's placeholder" \
	refuses "is a placeholder of the project" series_as "klp-late developer" klp-late@localhost
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
