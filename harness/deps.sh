#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages the harness needs, if any is missing, then
# check that every host program the harness runs is there: a step must never
# find a program missing (or, worse, fail silently without it).
# Usage: harness/deps.sh [x86_64|ppc64le|s390x|ppc32|all|fresh]
set -euo pipefail
# shellcheck source=harness/lib.sh
. "$(dirname "$0")/lib.sh"

what=${1:-all}

# Each host program the harness runs, with the package that brings it.
cmds=(make:make gcc:gcc ld:binutils readelf:binutils objcopy:binutils
      bc:bc flex:flex bison:bison perl:perl python3:python3 ccache:ccache
      cpio:cpio gzip:gzip xz:xz-utils tar:tar patch:patch rsync:rsync
      git:git dpkg-deb:dpkg apt-get:apt depmod:kmod timeout:coreutils
      sha256sum:coreutils find:findutils awk:mawk sed:sed grep:grep
      shellcheck:shellcheck)
# Packages that bring files rather than programs.
pkgs=(linux-source-6.1 build-essential libelf-dev libssl-dev dpkg-dev
      debian-archive-keyring python3-ply)
case "$what" in
x86_64) cmds+=(qemu-system-x86_64:qemu-system-x86) ;;
ppc64le)
	cmds+=(qemu-system-ppc64:qemu-system-ppc
	       powerpc64le-linux-gnu-gcc:gcc-powerpc64le-linux-gnu)
	;;
s390x)
	cmds+=(qemu-system-s390x:qemu-system-misc
	       s390x-linux-gnu-gcc:gcc-s390x-linux-gnu)
	;;
ppc32) cmds+=(powerpc-linux-gnu-gcc:gcc-powerpc-linux-gnu) ;;
all)	# the architectures make test boots; the host tests use their compilers too
	cmds+=(qemu-system-x86_64:qemu-system-x86 qemu-system-ppc64:qemu-system-ppc
	       powerpc64le-linux-gnu-gcc:gcc-powerpc64le-linux-gnu
	       qemu-system-s390x:qemu-system-misc s390x-linux-gnu-gcc:gcc-s390x-linux-gnu)
	;;
fresh)	# harness/dev/fresh.sh, on the host
	cmds=(mmdebstrap:mmdebstrap git:git tar:tar chroot:coreutils
	      mount:mount unshare:util-linux flock:util-linux)
	pkgs=(debian-archive-keyring)
	;;
*) die "unknown argument '$what'" ;;
esac

for c in "${cmds[@]}"; do
	pkgs+=("${c#*:}")
done
missing=()
wanted=$(printf '%s\n' "${pkgs[@]}" | sort -u)
for p in $wanted; do
	status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$status" = installed ] || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
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
fi

for c in "${cmds[@]}"; do
	command -v "${c%%:*}" >/dev/null ||
		die "${c%%:*} not found although package ${c#*:} is installed"
done
