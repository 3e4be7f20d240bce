#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make test`: the host tests, then for each architecture build the patched
# kernel, boot it in QEMU and run the livepatch kselftests. Ends with one
# line "N passed, N failed, N skipped"; exits non-zero on any failure.
# Usage: harness/test.sh [ARCH...]   (default: x86_64 ppc64le s390x; with
# DEBUG=1: x86_64 ppc64le, the architectures with a debug kernel)
# Env: INJECT=warn makes the guest trigger a kernel WARNING (a run that must fail);
# DEBUG=1 tests the debug kernel (KASAN, kmemleak, lockdep, ...: kconfig/debug.config),
# whose detectors INJECT=kasan|kmemleak|lockdep|atomic-sleep|list|hung-task prove.
# TESTS=a.sh,b.sh runs only these livepatch selftests (while working on them).
# TEST_STRESS=SECONDS: the concurrency stress after the selftests (60; 0: none;
# with TESTS=, none unless TEST_STRESS is given).
# TEST_FUZZ=N: that many mutants of the livepatch test modules loaded after
# it (make fuzz's, seed 1; 40; 0: none; with TESTS=, none unless given).
set -euo pipefail
# shellcheck source=harness/lib.sh
. "$(dirname "$0")/lib.sh"

arches=("$@")
if [ ${#arches[@]} -eq 0 ]; then
	arches=(x86_64 ppc64le s390x)
	[ "${DEBUG:-0}" != 1 ] || arches=(x86_64 ppc64le)
fi
kargs=()
[ -z "${INJECT:-}" ] || kargs+=(klp_inject="$INJECT")
[ -z "${TESTS:-}" ] || kargs+=(klp_tests="$TESTS")
# The short concurrency stress (harness/guest/stress.sh) after the
# selftests, one more test: TEST_STRESS seconds (0: none); by default 60,
# none when TESTS= narrows the run to some selftests
stress=${TEST_STRESS:-}
if [ -z "$stress" ]; then
	stress=60
	[ -z "${TESTS:-}" ] || stress=0
fi
[[ "$stress" =~ ^[0-9]+$ ]] || die "TEST_STRESS=$stress: a number of seconds (0: no stress)"
[ "$stress" = 0 ] || kargs+=(klp_stress="$stress")
# The fuzz sample (make fuzz's first mutants), one more test
fuzz=${TEST_FUZZ:-}
if [ -z "$fuzz" ]; then
	fuzz=40
	[ -z "${TESTS:-}" ] || fuzz=0
fi
[[ "$fuzz" =~ ^[0-9]+$ ]] || die "TEST_FUZZ=$fuzz: a number of mutants (0: none)"
export KLP_FUZZ_N=$fuzz KLP_FUZZ_SEED=1
[ "$fuzz" = 0 ] || kargs+=(klp_fuzz=1)
flavour=
if [ "${DEBUG:-0}" = 1 ]; then
	kargs+=(klp_debug=1)
	flavour=" (debug kernel)"
fi

# A build-only architecture (ppc32) has no guest: refuse it now.
for arch in "${arches[@]}"; do
	(arch_setup "$arch" && need_guest)
done
if [ ${#arches[@]} = 1 ]; then
	"$HARNESS/deps.sh" "${arches[0]}"
else
	"$HARNESS/deps.sh" all
fi
"$HARNESS/source.sh"
say "testing $(base_version) (Linux $(kernel_version)) + the series of patches/ on: ${arches[*]}$flavour"

passed=0 failed=0 skipped=0 xfailed=0
add_counts() {
	local p f s x
	read -r p f s x <"$1"
	passed=$((passed + p)) failed=$((failed + f))
	skipped=$((skipped + s)) xfailed=$((xfailed + x))
}

mkdir -p "$BUILD_DIR"
if ! "$HARNESS/tests/run.sh" "$BUILD_DIR/host-counts"; then
	say "host tests failed"
fi
add_counts "$BUILD_DIR/host-counts"

for arch in "${arches[@]}"; do
	start=$SECONDS
	arch_setup "$arch"
	rm -f "$ARCH_DIR/counts"
	args=("${kargs[@]}")
	if "$HARNESS/prepare.sh" "$arch"; then
		"$HARNESS/boot.sh" "$arch" test "${args[@]}" || true
		"$HARNESS/results.sh" "$arch" || true
	fi
	if [ -f "$ARCH_DIR/counts" ]; then
		add_counts "$ARCH_DIR/counts"
	else
		say "FAIL: could not build or boot the $arch kernel"
		failed=$((failed + 1))
	fi
	say "done in $((SECONDS - start)) s"
done
unset KLP_ARCH

[ "$xfailed" = 0 ] || say "$xfailed expected failures (XFAIL above), not counted below"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
