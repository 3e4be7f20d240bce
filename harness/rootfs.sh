#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Make the initramfs of one architecture: Debian user space of that
# architecture (fetched through a private apt configuration, so the host's
# dpkg architectures are left alone), the kernel's modules, the livepatch
# kselftests and the guest scripts of harness/guest/.
# Usage: harness/rootfs.sh ARCH
set -euo pipefail
# shellcheck source=harness/lib.sh
. "$(dirname "$0")/lib.sh"
arch_setup "${1:?usage: $0 ARCH}"
need_guest

# What the upstream selftests need beyond busybox: GNU coreutils (comm,
# stat --format), procps (sysctl --values), kmod (modprobe --dry-run and its
# wording), diffutils, bash; and the libraries those link against.
PACKAGES=(busybox-static bash-static coreutils procps kmod diffutils
	  libc6 libacl1 libattr1 libgmp10 libselinux1 libpcre2-8-0 libssl3
	  libproc2-0 libsystemd0 libcap2 libgcrypt20 libgpg-error0 liblz4-1
	  liblzma5 libzstd1 libkmod2 libtinfo6 libncursesw6 libgcc-s1 zlib1g
	  libcrypt1)
SUITES=(bookworm bookworm-updates)
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

fetch_debs() {
	local debs=$BUILD_DIR/debs/$DEBARCH apt=$BUILD_DIR/apt/$DEBARCH
	local want="${PACKAGES[*]} ${SUITES[*]} $MIRROR"

	[ "$(cat "$debs/.id" 2>/dev/null)" != "$want" ] || return 0
	say "fetching ${#PACKAGES[@]} $DEBARCH packages from $MIRROR"
	rm -rf "$debs" "$apt"
	mkdir -p "$debs" "$apt"/{state/lists/partial,cache/archives/partial}
	mkdir -p "$apt"/etc/{apt.conf.d,preferences.d,sources.list.d,trusted.gpg.d}
	touch "$apt/state/status"
	local suite
	for suite in "${SUITES[@]}"; do
		echo "deb [arch=$DEBARCH signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $MIRROR $suite main"
	done >"$apt/etc/sources.list"
	cat >"$apt/apt.conf" <<-EOF
	APT::Architecture "$DEBARCH";
	APT::Architectures { "$DEBARCH"; };
	Dir::State "$apt/state";
	Dir::State::status "$apt/state/status";
	Dir::Cache "$apt/cache";
	Dir::Etc "$apt/etc";
	Acquire::Languages "none";
	EOF
	export APT_CONFIG=$apt/apt.conf
	run_logged "$LOG_DIR/apt-update.log" apt-get -q update
	(cd "$debs" && run_logged "$LOG_DIR/apt-download.log" \
		apt-get -q download "${PACKAGES[@]}")
	unset APT_CONFIG
	echo "$want" >"$debs/.id"
}

# A usr-merged root: /bin, /sbin, /lib, /lib64 are links into /usr.
unpack_userspace() {
	local pkgroot=$ARCH_DIR/pkgroot d deb
	rm -rf "$pkgroot" "$ROOTFS_DIR"
	mkdir -p "$pkgroot" "$ROOTFS_DIR"/usr/{bin,sbin,lib,lib64}
	for deb in "$BUILD_DIR/debs/$DEBARCH"/*.deb; do
		dpkg-deb -x "$deb" "$pkgroot"
	done
	for d in bin sbin lib lib64; do
		if [ -d "$pkgroot/$d" ]; then
			cp -a "$pkgroot/$d/." "$ROOTFS_DIR/usr/$d/"
		fi
		ln -s "usr/$d" "$ROOTFS_DIR/$d"
	done
	cp -a "$pkgroot/usr/." "$ROOTFS_DIR/usr/"
	cp -a "$pkgroot/etc" "$ROOTFS_DIR/etc"
	rm -rf "$pkgroot" "${ROOTFS_DIR:?}"/usr/share "${ROOTFS_DIR:?}"/usr/libexec
	ln -sf bash-static "$ROOTFS_DIR/usr/bin/bash"
	# /init links busybox's other applets at boot (busybox --install -s):
	# the guest's busybox is of the guest's architecture, so the host cannot
	# ask it for its list of applets.
	[ -x "$ROOTFS_DIR/usr/bin/busybox" ] || die "busybox-static gave no /usr/bin/busybox"
	ln -sf busybox "$ROOTFS_DIR/usr/bin/sh"
	mkdir -p "$ROOTFS_DIR"/{proc,sys,dev,tmp,run,root}
	echo "root:x:0:0:root:/root:/bin/bash" >"$ROOTFS_DIR/etc/passwd"
	echo "root:x:0:" >"$ROOTFS_DIR/etc/group"
}

# Every shared library a binary of the root needs must be in the root.
check_libraries() {
	local f lib missing=0 bins
	bins=$(find "$ROOTFS_DIR/usr/bin" "$ROOTFS_DIR/usr/sbin" -type f)
	while read -r f; do
		for lib in $(readelf -d "$f" 2>/dev/null |
			     sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
			if ! find "$ROOTFS_DIR/usr/lib" -name "$lib" | grep -q .; then
				echo "rootfs: ${f#"$ROOTFS_DIR"} needs $lib, not in the root" >&2
				missing=1
			fi
		done
	done <<<"$bins"
	[ "$missing" = 0 ] || die "add the missing libraries' packages to PACKAGES"
}

install_kernel_parts() {
	local rel
	rel=$("${KMAKE[@]}" -s kernelrelease)
	run_logged "$LOG_DIR/modules_install.log" "${KMAKE[@]}" \
		INSTALL_MOD_PATH="$ROOTFS_DIR" INSTALL_MOD_STRIP=1 modules_install
	rm -f "$ROOTFS_DIR/lib/modules/$rel/build" "$ROOTFS_DIR/lib/modules/$rel/source"
	ls "$ROOTFS_DIR/lib/modules/$rel/kernel/lib/livepatch/"test_klp_*.ko >/dev/null ||
		die "no livepatch test modules were built"
	local ksft=$ARCH_DIR/kselftest
	rm -rf "$ksft"
	run_logged "$LOG_DIR/kselftest_install.log" make -C "$SRC_DIR/tools/testing/selftests" \
		TARGETS=livepatch INSTALL_PATH="$ksft" install
	cp -a "$ksft" "$ROOTFS_DIR/kselftest"
	# Livepatch modules made malformed on purpose, for the tests that check
	# that the module loader refuses them: made on the host by the series'
	# generator, when it has one, from the modules just built.
	local gen=$SRC_DIR/tools/testing/selftests/livepatch/gen-bad-modules.sh
	if [ -x "$gen" ]; then
		run_logged "$LOG_DIR/gen-bad-modules.log" env CROSS_COMPILE="$CROSS" \
			"$gen" "$OBJ_DIR/lib/livepatch" "$ROOTFS_DIR/kselftest/livepatch/bad-modules"
	fi
	# Where the livepatch test modules' text is rewritten as their targets
	# come and go, for the test that kprobes there are refused.
	gen=$SRC_DIR/tools/testing/selftests/livepatch/gen-kprobe-sites.sh
	if [ -x "$gen" ]; then
		run_logged "$LOG_DIR/gen-kprobe-sites.log" env CROSS_COMPILE="$CROSS" \
			"$gen" "$OBJ_DIR/lib/livepatch" "$ROOTFS_DIR/kselftest/livepatch/kprobe-sites"
	fi
	# Another build of a target module, for the test that a livepatch is
	# applied to the build it was made for only.
	gen=$SRC_DIR/tools/testing/selftests/livepatch/gen-other-build.sh
	if [ -x "$gen" ]; then
		run_logged "$LOG_DIR/gen-other-build.log" "$gen" \
			"$ROOTFS_DIR/kselftest/livepatch/other-build" "${KMAKE[@]}"
	fi
	# The benchmark's livepatches shaped like real ones: make bench only,
	# their thousands of generated functions take minutes to compile.
	gen=$SRC_DIR/tools/testing/selftests/livepatch/gen-bench-modules.sh
	if [ "${KLP_BENCH:-0}" = 1 ] && [ -x "$gen" ]; then
		run_logged "$LOG_DIR/gen-bench-modules.log" "$gen" \
			"$ROOTFS_DIR/kselftest/livepatch/bench-modules" \
			"$OBJ_DIR/System.map" "${KMAKE[@]}"
	fi
	# Mutants of the livepatch test modules, for make fuzz and make test's
	# fuzz sample: KLP_FUZZ_N of them, seeded with KLP_FUZZ_SEED.
	gen=$SRC_DIR/tools/testing/selftests/livepatch/gen-bad-modules.sh
	if [ "${KLP_FUZZ_N:-0}" != 0 ] && [ -x "$gen" ] &&
	     [ -x "$SRC_DIR/tools/testing/selftests/livepatch/fuzz-livepatch.sh" ]; then
		run_logged "$LOG_DIR/gen-fuzz.log" env CROSS_COMPILE="$CROSS" \
			"$gen" --fuzz "${KLP_FUZZ_SEED:-1}" "$KLP_FUZZ_N" \
			"$OBJ_DIR/lib/livepatch" "$ROOTFS_DIR/kselftest/livepatch/fuzz"
	fi
	# The debug kernel's bugs made on purpose (INJECT=lockdep|atomic-sleep),
	# built out of the clone so that it stays clean
	if [ "${DEBUG:-0}" = 1 ]; then
		rm -rf "$ARCH_DIR/inject"
		cp -r "$HARNESS/guest/inject" "$ARCH_DIR/inject"
		run_logged "$LOG_DIR/inject.log" "${KMAKE[@]}" M="$ARCH_DIR/inject" modules
		install -D -m 0644 "$ARCH_DIR/inject/klp_inject.ko" "$ROOTFS_DIR/klp-late/klp_inject.ko"
	fi
	install -D -m 0755 "$HARNESS/guest/init" "$ROOTFS_DIR/init"
	install -D -m 0755 "$HARNESS/guest/demo.sh" "$ROOTFS_DIR/klp-late/demo.sh"
	install -D -m 0755 "$HARNESS/guest/soak.sh" "$ROOTFS_DIR/klp-late/soak.sh"
	install -D -m 0755 "$HARNESS/guest/stress.sh" "$ROOTFS_DIR/klp-late/stress.sh"
	install -D -m 0644 "$HARNESS/guest/livepatch.sh" "$ROOTFS_DIR/klp-late/livepatch.sh"
}

fetch_debs
unpack_userspace
check_libraries
install_kernel_parts
(cd "$ROOTFS_DIR" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc --quiet -R 0:0) | gzip -1 >"$INITRAMFS"
say "initramfs: $INITRAMFS ($(du -h "$INITRAMFS" | cut -f1))"
