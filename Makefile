# SPDX-License-Identifier: GPL-2.0
# klp-late: the index of what can be done here. `make help` lists it.
#
#   ARCH=x86_64|ppc64le|s390x  narrow `make test` to one architecture; pick the
#                         architecture of `make run` (default x86_64); `make
#                         bisect` also takes s390x and the build-only ppc32
#   INJECT=warn           `make test` with a kernel WARNING injected (must fail)
#   DEBUG=1               `make test` (and run, bench) on the debug kernel: KASAN,
#                         kmemleak, lockdep, atomic-sleep, list, hung-task checks
#                         and fault injection; INJECT=kasan|kmemleak|lockdep|
#                         atomic-sleep|list|hung-task proves each (must fail)
#   TESTS=a.sh,b.sh       `make test` runs only these livepatch selftests
#   CYCLES=N              `make soak` cycles (10000 on x86_64, 1000 elsewhere)
#   STRESS_SECONDS=N      `make stress` length (600)
#   TEST_STRESS=N         `make test`'s short concurrency stress (60 s; 0: none)
#   N=, SEED=             `make fuzz`: mutants (5000) and their seed (1)
#   FROM=, TO=            `make fuzz`: try mutants FROM to TO of the N only
#                         (1, N), to split a long run in parts
#   TEST_FUZZ=N           `make test`'s fuzz sample (40 mutants of seed 1; 0: none)
#   MODE=shell|demo       what `make run` boots into (default: shell on a
#                         terminal, demo otherwise)
#   VERSION=N             `make series` writes [PATCH vN k/n] (default 1)

# The harness passes its own ARCH to the kernel's make: keep ours out of it.
unexport ARCH
MAKEOVERRIDES :=

.PHONY: help run test bench soak stress fuzz fresh check bisect tree export series host-test shellcheck clean

help:  ## list the commands
	@awk -F':.*## ' '/^[a-z-]+:.*## / { printf "  make %-11s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)

run:  ## build the patched kernel and boot it (shell on a terminal, else a demo)
	DEBUG=$(DEBUG) MODE=$(MODE) harness/run.sh $(or $(ARCH),x86_64)

test:  ## build, boot and run the livepatch kselftests on x86_64, ppc64le and s390x
	DEBUG=$(DEBUG) INJECT=$(INJECT) TESTS=$(TESTS) TEST_STRESS=$(TEST_STRESS) harness/test.sh $(ARCH)

bench:  ## benchmark: loads of targets and livepatches with N relocations (SIZES=100,1000 ROUNDS=)
	DEBUG=$(DEBUG) SIZES=$(SIZES) ROUNDS=$(ROUNDS) harness/bench.sh $(or $(ARCH),x86_64)

soak:  ## not CI: unload/load a livepatched target CYCLES times on the debug kernel
	DEBUG=$(or $(DEBUG),1) CYCLES=$(CYCLES) harness/soak.sh $(or $(ARCH),x86_64)

stress:  ## not CI: concurrent livepatch/target loops for STRESS_SECONDS on the debug kernel
	DEBUG=$(or $(DEBUG),1) STRESS_SECONDS=$(STRESS_SECONDS) harness/stress.sh $(or $(ARCH),x86_64)

fuzz:  ## not CI: load N mutants (SEED) of the livepatch test modules, one after another, on the debug kernel
	DEBUG=$(or $(DEBUG),1) N=$(N) SEED=$(SEED) FROM=$(FROM) TO=$(TO) harness/fuzz.sh $(or $(ARCH),x86_64)

fresh:  ## make run and make test on a fresh Debian 12 root (mmdebstrap; root)
	harness/dev/fresh.sh $(ARCH)

check:  ## the series applies, is checkpatch --strict clean, has no fix-up or duplicate subject; so is make series
	harness/dev/check.sh

bisect:  ## every patch of the series builds on its own (x86_64 and ppc64le; ARCH=s390x|ppc32 too)
	harness/dev/bisect.sh $(ARCH)

tree:  ## lay out work/linux: the base with the series applied as commits
	harness/dev/tree.sh

export:  ## write the commits of work/linux back into patches/
	harness/dev/export.sh

series:  ## build/outgoing/: the series to send, [PATCH vN k/n], cover letter, in your git identity
	VERSION=$(VERSION) harness/dev/series.sh

host-test:  ## only the host tests (harness judgement, series tools)
	harness/tests/run.sh build/host-counts

shellcheck:  ## shellcheck every script of the harness
	shellcheck -x harness/*.sh harness/dev/*.sh harness/tests/*.sh harness/guest/init harness/guest/*.sh .ci/run

clean:  ## remove build/ (the ccache stays)
	rm -rf build
