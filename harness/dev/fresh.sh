#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make fresh`: the README's commands, exactly as written, on a fresh Debian
# 12 machine: a minimal root made by mmdebstrap, holding a copy of this
# clone (its tracked and untracked files, as they are now) and nothing else
# of the host but its ccache, bind-mounted at the same path so that the
# builds are not needlessly cold. A missing install step fails here even
# when this host happens to have the package.
# In the root: the README's first step for a fresh machine (make), then
# `make run` without a terminal (the demo), then `make test`. The last line
# is make test's "N passed, N failed, N skipped".
# Usage: harness/dev/fresh.sh [ARCH]   (make fresh [ARCH=...]; as root)
# Env: FRESH_SOURCE (the clone to copy, default this one; e.g. an older
#      commit's worktree, to show what a fresh machine made of it),
#      FRESH_DIR (where the root is made, default build/fresh),
#      FRESH_KEEP=1 (keep the root afterwards), DEBIAN_MIRROR,
#      DEBIAN_SECURITY_MIRROR.
set -euo pipefail
# shellcheck source=harness/lib.sh
. "$(dirname "$0")/../lib.sh"
arch=${1:-}
KLP_ARCH=fresh

[ "$(id -u)" = 0 ] || die "make fresh makes a chroot: run it as root"
"$HARNESS/deps.sh" fresh

fresh=${FRESH_DIR:-$BUILD_DIR/fresh}
root=$fresh/root
log=$BUILD_DIR/logs/fresh.log
ccache_dir=$(ccache --get-config cache_dir 2>/dev/null || echo "$HOME/.cache/ccache")
mkdir -p "$ccache_dir" "$(dirname "$log")" "$fresh"
# One run a root: the lock is held by every process of the run, down to
# QEMU in the root, so a root still in use is never removed under it.
exec 9>"$fresh/lock"
flock -n 9 || die "$fresh is in use by another make fresh"
# A root left by an earlier run: its mounts died with their namespace.
rm -rf "$root"

start=$SECONDS
say "making a minimal Debian 12 root in $root (mmdebstrap, log: $log)"
# The sources of a standard Debian 12 installation: the release, its
# updates and its security updates (the base package comes from the last).
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
security=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
run_logged "$log.mmdebstrap" mmdebstrap --mode=root --variant=minbase \
	bookworm "$root" "deb $mirror bookworm main" \
	"deb $mirror bookworm-updates main" "deb $security bookworm-security main"
say "root made in $((SECONDS - start)) s"

# The clone as it is now: tracked files, untracked ones git does not
# ignore, and .git; not build/ or work/.
src=${FRESH_SOURCE:-$TOP}
files=$(git -C "$src" ls-files -co --exclude-standard)
mkdir -p "$root/klp-late"
say "copying $src ($(git -C "$src" describe --always --dirty)) to the root"
(
	cd "$src"
	for f in $files; do
		[ ! -e "$f" ] || printf '%s\0' "$f"
	done
	printf '%s\0' .git
) | tar -C "$src" --null -T - -cf - | tar -C "$root/klp-late" -xf -

make_args=()
[ -z "$arch" ] || make_args+=(ARCH="$arch")
# What runs in the root: the README's words, nothing more.
cat >"$root/klp-late.fresh" <<EOF
set -euo pipefail
cd /klp-late
echo "[fresh] Debian \$(cat /etc/debian_version), \$(dpkg-query -W -f='\${binary:Package}\n' | wc -l) packages"
apt-get update -q >/dev/null
apt-get install -y -q make >/dev/null
rc=0
t=\$SECONDS
make run ${make_args[*]} </dev/null || rc=\$?
echo "[fresh] make run ${make_args[*]}: exit \$rc in \$((SECONDS - t)) s"
t=\$SECONDS
make test ${make_args[*]} </dev/null || rc=\$?
echo "[fresh] make test ${make_args[*]}: done in \$((SECONDS - t)) s"
exit \$rc
EOF

# Private mounts: they go with this namespace, whatever ends the run.
rc=0
# shellcheck disable=SC2016 # expanded by the inner shell
unshare --mount --propagation private sh -euc '
	root=$1 ccache=$2
	mount -t proc proc "$root/proc"
	mount -t sysfs sysfs "$root/sys"
	mount --rbind /dev "$root/dev"
	mkdir -p "$root$ccache"
	mount --bind "$ccache" "$root$ccache"
	cp /etc/resolv.conf "$root/etc/resolv.conf"
	exec chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb CI="${CI:-}" \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		bash /klp-late.fresh
' fresh "$root" "$ccache_dir" 2>&1 | tee "$log" || rc=$?

summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$log" | tail -n 1) ||
	summary="0 passed, 1 failed, 0 skipped"
[ -n "${FRESH_KEEP:-}" ] || rm -rf "$root"
if [ "$rc" = 0 ]; then
	say "the README's commands passed on a fresh Debian 12 root in $((SECONDS - start)) s"
else
	say "FAILED on a fresh Debian 12 root (exit $rc, log: $log)"
fi
echo "$summary"
exit "$rc"
