#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Everything before a boot, for one architecture: the packages, the patched
# source, the config, the kernel and modules, the initramfs.
# Usage: harness/prepare.sh ARCH
set -euo pipefail
# shellcheck source=harness/lib.sh
. "$(dirname "$0")/lib.sh"
arch=${1:?usage: $0 ARCH}
arch_setup "$arch"
need_guest

"$HARNESS/deps.sh" "$arch"
"$HARNESS/source.sh"
"$HARNESS/config.sh" "$arch"
"$HARNESS/build.sh" "$arch"
"$HARNESS/rootfs.sh" "$arch"
