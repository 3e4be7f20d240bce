# SPDX-License-Identifier: GPL-2.0
# Common settings and helpers of the klp-late harness. Sourced by the step
# scripts; each step script can also be run on its own.

# shellcheck shell=bash
# The variables set here are used by the scripts that source this file.
# shellcheck disable=SC2034

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HARNESS=$TOP/harness
PATCHES=$TOP/patches
BUILD_DIR=${BUILD_DIR:-$TOP/build}
BASE_TARBALL=${BASE_TARBALL:-/usr/src/linux-source-6.1.tar.xz}
JOBS=${JOBS:-$(nproc)}
# The patched source tree, shared by both architectures (objects go to O=).
SRC_DIR=$BUILD_DIR/src

# Reproducible builds: the same inputs give the same objects, and ccache
# hits do not depend on where the clone lives.
export KBUILD_BUILD_TIMESTAMP=${KBUILD_BUILD_TIMESTAMP:-2024-01-01}
export KBUILD_BUILD_USER=klp-late KBUILD_BUILD_HOST=klp-late
export CCACHE_BASEDIR=$BUILD_DIR
export CCACHE_NOHASHDIR=1
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-5G}

say() {
	printf '[%s] %s\n' "${KLP_ARCH:-klp-late}" "$*"
}

die() {
	printf '[%s] error: %s\n' "${KLP_ARCH:-klp-late}" "$*" >&2
	exit 1
}

# run_logged LOG CMD...: run CMD with its output in LOG; on failure show the
# end of LOG and where it is.
run_logged() {
	local log=$1
	shift
	mkdir -p "$(dirname "$log")"
	if ! "$@" >"$log" 2>&1; then
		tail -n 40 "$log" >&2
		die "failed: $* (full log: $log)"
	fi
}

# arch_setup ARCH: the facts of one target architecture.
arch_setup() {
	KLP_ARCH=$1
	case "$KLP_ARCH" in
	x86_64)
		KARCH=x86
		CROSS=
		DEBARCH=amd64
		KIMAGE=arch/x86/boot/bzImage
		KTARGETS=(bzImage modules)
		QEMU=qemu-system-x86_64
		CONSOLE=ttyS0
		;;
	ppc64le)
		KARCH=powerpc
		CROSS=powerpc64le-linux-gnu-
		DEBARCH=ppc64el
		KIMAGE=vmlinux
		KTARGETS=(vmlinux modules)
		QEMU=qemu-system-ppc64
		CONSOLE=hvc0
		;;
	# Livepatch there has no hooks to clear a module object's relocations:
	# the series falls back to patching a module's first load only.
	s390x)
		KARCH=s390
		CROSS=s390x-linux-gnu-
		DEBARCH=s390x
		KIMAGE=arch/s390/boot/bzImage
		KTARGETS=(bzImage modules)
		QEMU=qemu-system-s390x
		CONSOLE=ttysclp0
		;;
	# Build-only: no guest. Livepatch there has no hooks to clear a
	# module object's relocations, and this build shows that the series
	# compiles (and klp-convert runs) where it has to fall back.
	ppc32)
		KARCH=powerpc
		CROSS=powerpc-linux-gnu-
		DEBARCH=powerpc
		KIMAGE=vmlinux
		KTARGETS=(vmlinux modules)
		QEMU=
		CONSOLE=
		;;
	*)
		die "unknown ARCH '$KLP_ARCH' (x86_64, ppc64le or s390x; ppc32 to build only)"
		;;
	esac
	# DEBUG=1 (make test DEBUG=1): the debug kernel, built and booted
	# apart from the test kernel so that neither rebuilds the other
	case "${DEBUG:-0}" in
	0 | "") ARCH_DIR=$BUILD_DIR/$KLP_ARCH ;;
	1) ARCH_DIR=$BUILD_DIR/$KLP_ARCH-debug ;;
	*) die "DEBUG=$DEBUG: 1 for the debug kernel, or unset" ;;
	esac
	OBJ_DIR=$ARCH_DIR/obj
	ROOTFS_DIR=$ARCH_DIR/rootfs
	INITRAMFS=$ARCH_DIR/initramfs.cpio.gz
	LOG_DIR=$ARCH_DIR/logs
	KMAKE=(make -C "$SRC_DIR" O="$OBJ_DIR" ARCH="$KARCH"
	       CROSS_COMPILE="$CROSS" CC="ccache ${CROSS}gcc" HOSTCC="ccache gcc"
	       -j"$JOBS")
}

# judge_guest_log LOG WHAT: die if the kernel of a soak or stress run (WHAT)
# logged a splat or, on the debug kernel, kmemleak found leaks
judge_guest_log() {
	grep -q '^klp-late: kmemleak: no leak' "$1" || [ "${DEBUG:-0}" != 1 ] ||
		die "kmemleak found leaks, or did not scan: see $1"
	"$HARNESS/splats.sh" "$1" || die "the kernel logged a splat during the $2: see $1"
}

# need_guest: die unless the architecture of arch_setup can be booted.
need_guest() {
	[ -n "$QEMU" ] ||
		die "$KLP_ARCH is build-only: no guest to boot (harness/build.sh $KLP_ARCH, make bisect ARCH=$KLP_ARCH)"
}

# The base version, as every run reports it.
base_version() {
	local pkg
	pkg=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null || echo unknown)
	printf 'linux-source-6.1 %s' "$pkg"
}

kernel_version() {
	local mk=$SRC_DIR/Makefile
	[ -f "$mk" ] || { echo unknown; return; }
	awk '/^VERSION =/ {v=$3} /^PATCHLEVEL =/ {p=$3} /^SUBLEVEL =/ {s=$3}
	     END {printf "%s.%s.%s", v, p, s}' "$mk"
}

# The patch files of the series, in order.
series_patches() {
	grep -vE '^[[:space:]]*(#|$)' "$PATCHES/series" || [ $? = 1 ]
}

# patch_subject FILE: the subject of a git format-patch file, unfolded and
# without its "[PATCH ...]" prefix. Only the mail headers are read, so a
# "Subject:" line in a message or a diff is not taken for it.
patch_subject() {
	awk 'NR > 1 && /^$/ { exit }
	     f && /^[ \t]/ { s = s $0; next }
	     { f = 0 }
	     /^Subject:/ { s = $0; sub(/^Subject:[ \t]*/, "", s); f = 1 }
	     END { sub(/^\[[^]]*\][ \t]*/, "", s); print s }' "$1"
}

# patch_notes FILE: the git note that git format-patch --notes wrote below
#	the "---" line of FILE ("Notes:", then its lines indented by four
#	spaces), without the indent; nothing if it has none.
patch_notes() {
	awk 'state == 0 && /^---$/ { state = 1; next }
	     state == 1 && /^$/ { next }
	     state == 1 { if ($0 != "Notes:") exit; state = 2; next }
	     state == 2 && (/^    / || /^ *$/) { sub(/^    /, ""); line[++n] = $0; next }
	     state == 2 { exit }
	     END { while (n > 0 && line[n] == "") n--
		   for (i = 1; i <= n; i++) print line[i] }' "$1"
}

# patch_fixes FILE: the subjects that the Fixes: tags of FILE's message
# quote (Fixes: <hash> ("<subject>")), one a line.
patch_fixes() {
	awk 'body && /^---$/ { exit }
	     !body && /^$/ { body = 1; next }
	     body && /^Fixes:/ {
		i = index($0, "(\"")
		j = 0
		for (k = length($0) - 1; k > i; k--)
			if (substr($0, k, 2) == "\")") { j = k; break }
		if (i && j) print substr($0, i + 2, j - i - 2)
	     }' "$1"
}

# checkpatch TREE PATCH: the reports of TREE's checkpatch.pl --strict on
# PATCH that are ours to fix (none: clean). Left out, not ours to fix:
# - FILE_PATH_CHANGES: checkpatch asks, of each patch that adds a file,
#   whether MAINTAINERS needs an update; the series adds its MAINTAINERS
#   entries in the patch that creates the folder.
# - UNKNOWN_COMMIT_ID of the mainline commits that messages cite: the base
#   is a Debian source tarball, with no history to find them in.
# - CAMELCASE of libelf's own type names (Elf, Elf_Scn, GElf_Sym, ...), which
#   the host tools must use as libelf spells them (objtool does the same).
checkpatch() {
	local out
	# checkpatch exits non-zero on any report: its output is the verdict.
	# It sees no git repository, as in build/src, whatever TREE is: its
	# git checks would look up commit ids in a base that has none of
	# mainline's history, and run spdxcheck.py only in some trees.
	out=$(cd "$1" && GIT_DIR=/nonexistent scripts/checkpatch.pl --strict --terse --no-summary \
		--show-types --ignore FILE_PATH_CHANGES,UNKNOWN_COMMIT_ID "$2" 2>&1) || true
	printf '%s\n' "$out" |
		grep -vE 'CHECK:CAMELCASE: Avoid CamelCase: <G?Elf(32|64)?(_[A-Za-z]+)?>$|^$' ||
		[ $? = 1 ]
}

# checkpatch_each TREE LABEL PATCH...: checkpatch() every PATCH, a TAP line
# each ("ok N - LABEL file"), its reports below; fails if any has one.
checkpatch_each() {
	local tree=$1 label=$2 n=0 bad=0 f rep
	shift 2
	for f in "$@"; do
		n=$((n + 1))
		rep=$(checkpatch "$tree" "$f")
		if [ -z "$rep" ]; then
			echo "ok $n - $label ${f##*/}"
		else
			echo "not ok $n - $label ${f##*/}"
			printf '%s\n' "$rep" | sed 's/^/# /'
			bad=1
		fi
	done
	[ "$bad" = 0 ]
}
