#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build the kernel image and modules of one architecture (ccache, O= tree).
# Usage: harness/build.sh ARCH
set -euo pipefail
# shellcheck source=harness/lib.sh
. "$(dirname "$0")/lib.sh"
arch_setup "${1:?usage: $0 ARCH}"

log=$LOG_DIR/build.log
say "building Linux $(kernel_version) (${KTARGETS[*]}), log: $log"
start=$SECONDS
run_logged "$log" "${KMAKE[@]}" "${KTARGETS[@]}"
say "built in $((SECONDS - start)) s: $OBJ_DIR/$KIMAGE"
