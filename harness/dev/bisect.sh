#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Check that every patch of the series builds on its own: apply the first
# 1, 2, ... N patches in turn and build the kernel and modules of each
# architecture, in build/bisect/ (incremental builds, ccache).
# Usage: harness/dev/bisect.sh [ARCH...]   (default: x86_64 ppc64le; also
# s390x and the build-only ppc32, which have no hooks to clear relocations)
# BISECT_FROM=K starts at patch K, for patches added after a full check;
# BISECT_TO=L stops after patch L, to split a long check in parts.
# BISECT_TESTS=1 also boots x86_64, ppc64le and s390x at each patch that
# adds or changes a livepatch selftest (test-*.sh) and runs those selftests
# with no expected failure (harness/expected-failures is not read): a test
# must not come before what makes it pass. It may skip there.
# BISECT_TEST_POINTS=1 (implies BISECT_TESTS) builds and tests only those
# patches, not the ones between: to check the test points again after a
# change to selftest scripts alone, which leaves the build results valid.
# BISECT_QUICK=1 (with BISECT_FROM) compiles, with W=1, only the objects
# that patches K.. touch and that the last full build of the series
# (build/<arch>) compiled, instead of building everything: on 2 cores a
# patch that changes a header included everywhere takes ~10 min to build.
set -euo pipefail
# shellcheck source=harness/lib.sh
. "$(dirname "$0")/../lib.sh"

arches=("$@")
[ ${#arches[@]} -gt 0 ] || arches=(x86_64 ppc64le)
for arch in "${arches[@]}"; do
	"$HARNESS/deps.sh" "$arch"
done
full_build=$BUILD_DIR
export BUILD_DIR=$BUILD_DIR/bisect
SRC_DIR=$BUILD_DIR/src	# as lib.sh sets it, for quick_build's arch_setup
total=$(series_patches | wc -l)
bad=0
from=${BISECT_FROM:-1}
to=${BISECT_TO:-$total}
[[ "$from" =~ ^[1-9][0-9]*$ && "$to" =~ ^[1-9][0-9]*$ && "$from" -le "$to" &&
   "$to" -le "$total" ]] ||
	die "BISECT_FROM=$from BISECT_TO=$to: patch numbers, 1 <= FROM <= TO <= $total"
[ -z "${BISECT_QUICK:-}" ] || [ "$from" -gt 1 ] || die "BISECT_QUICK needs BISECT_FROM"
[ -z "${BISECT_TEST_POINTS:-}" ] || BISECT_TESTS=1
[ -z "${BISECT_QUICK:-}" ] || [ -z "${BISECT_TESTS:-}" ] ||
	die "BISECT_TESTS needs full builds, not BISECT_QUICK"

# quick_build ARCH K: compile what patches $from..K touch, see above
quick_build() {
	local arch=$1 k=$2 f q touched files objs=() sorted

	touched=$(series_patches | sed -n "${from},${k}p")
	files="kernel/livepatch/core.c kernel/module/livepatch.c"
	for q in $touched; do
		files+=" $(sed -n 's|^+++ b/||p' "$PATCHES/$q")"
	done
	for f in $files; do
		case $f in
		scripts/livepatch/*.c) objs+=(scripts/livepatch/) ;;
		*.c) [ ! -e "$full_build/$arch/obj/${f%.c}.o" ] || objs+=("${f%.c}.o") ;;
		esac
	done
	sorted=$(printf '%s\n' "${objs[@]}" | sort -u)
	mapfile -t objs <<<"$sorted"
	"$HARNESS/config.sh" "$arch" &&
	( arch_setup "$arch" &&
	  "${KMAKE[@]}" W=1 "${objs[@]}" >"$LOG_DIR/bisect-quick.log" 2>&1 &&
	  if grep ': warning:' "$LOG_DIR/bisect-quick.log"; then false; fi )
}

# selftests_of K: the livepatch selftests that patch K adds or changes, as
#	a,b,... (nothing if none)
selftests_of() {
	local p tests

	p=$(series_patches | sed -n "${1}p")
	tests=$(sed -n 's|^+++ b/tools/testing/selftests/livepatch/\(test-[^/]*\.sh\)$|\1|p' \
		"$PATCHES/$p")
	[ -z "$tests" ] || printf '%s\n' "$tests" | paste -s -d, -
}

# test_point ARCH K: run the selftests of patch K on the kernel of 1..K
test_point() {
	local arch=$1 k=$2 tests log

	tests=$(selftests_of "$k")
	[ -n "$tests" ] || return 0
	log=$BUILD_DIR/bisect-test-$arch-$k.log
	# Any selftest may skip here: before a later patch gives an
	# architecture what a test needs (s390's clear hooks for the reload
	# test), the test says so and skips.
	echo "* * a point of the series" >"$BUILD_DIR/any-skip"
	if SERIES_LIMIT=$k TESTS=$tests EXPECTED_FAILURES=/dev/null \
	   EXPECTED_SKIPS=$BUILD_DIR/any-skip "$HARNESS/test.sh" "$arch" >"$log" 2>&1; then
		echo "ok - $arch passes $tests with patches 1..$k"
	else
		echo "not ok - $arch fails $tests with patches 1..$k (see $log)"
		bad=1
	fi
}

for k in $(seq "$from" "$to"); do
	p=$(series_patches | sed -n "${k}p")
	[ -z "${BISECT_TEST_POINTS:-}" ] || [ -n "$(selftests_of "$k")" ] || continue
	for arch in "${arches[@]}"; do
		[ -z "${BISECT_TEST_POINTS:-}" ] || [ "$arch" != ppc32 ] || continue
		if [ -n "${BISECT_QUICK:-}" ]; then
			if SERIES_LIMIT=$k "$HARNESS/source.sh" >/dev/null &&
			   quick_build "$arch" "$k" >/dev/null; then
				echo "ok - $arch compiles what patches $from..$k touch ($p)"
			else
				echo "not ok - $arch: patches $from..$k ($p) do not compile cleanly"
				bad=1
			fi
			continue
		fi
		if SERIES_LIMIT=$k "$HARNESS/source.sh" >/dev/null &&
		   "$HARNESS/config.sh" "$arch" >/dev/null &&
		   "$HARNESS/build.sh" "$arch" >/dev/null; then
			echo "ok - $arch builds with patches 1..$k ($p)"
			[ -z "${BISECT_TESTS:-}" ] || [ "$arch" = ppc32 ] ||
				test_point "$arch" "$k"
		else
			echo "not ok - $arch does not build with patches 1..$k ($p)"
			bad=1
		fi
	done
done
what="every patch builds"
[ -z "${BISECT_TEST_POINTS:-}" ] || what="every test point builds and passes"
say "bisect check: $([ "$bad" = 0 ] && echo "$what" || echo FAILED)"
[ "$bad" = 0 ]
