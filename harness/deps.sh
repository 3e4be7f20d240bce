#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages the harness needs, if any is missing.
# Usage: harness/deps.sh [x86_64|ppc64le|all]
set -euo pipefail
# shellcheck source=harness/lib.sh
. "$(dirname "$0")/lib.sh"

what=${1:-all}

pkgs=(linux-source-6.1 build-essential bc flex bison libelf-dev libssl-dev
      cpio gzip xz-utils ccache kmod rsync git dpkg-dev
      debian-archive-keyring shellcheck python3-ply)
case "$what" in
x86_64) pkgs+=(qemu-system-x86) ;;
ppc64le) pkgs+=(qemu-system-ppc gcc-powerpc64le-linux-gnu) ;;
all) pkgs+=(qemu-system-x86 qemu-system-ppc gcc-powerpc64le-linux-gnu) ;;
*) die "unknown argument '$what'" ;;
esac

missing=()
for p in "${pkgs[@]}"; do
	status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$status" = installed ] || missing+=("$p")
done
[ ${#missing[@]} -gt 0 ] || exit 0

install=(apt-get install -y -q --no-install-recommends "${missing[@]}")
if [ "$(id -u)" != 0 ]; then
	printf 'Missing packages. As root, run:\n  apt-get update && %s\n' \
		"${install[*]}" >&2
	exit 1
fi
say "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
run_logged "$BUILD_DIR/logs/apt-get-update.log" apt-get update -q
run_logged "$BUILD_DIR/logs/apt-get-install.log" "${install[@]}"
