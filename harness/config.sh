#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Configure the test kernel of one architecture: allnoconfig, then the
# fragments of harness/kconfig/ merged on top, then olddefconfig. Every
# option of the fragments must survive olddefconfig, or this fails.
# Usage: harness/config.sh ARCH
set -euo pipefail
# shellcheck source=harness/lib.sh
. "$(dirname "$0")/lib.sh"
arch_setup "${1:?usage: $0 ARCH}"

fragments=("$HARNESS/kconfig/common.config" "$HARNESS/kconfig/$KLP_ARCH.config")
if [ "${DEBUG:-0}" = 1 ]; then
	fragments+=("$HARNESS/kconfig/debug.config")
	[ ! -f "$HARNESS/kconfig/$KLP_ARCH-debug.config" ] ||
		fragments+=("$HARNESS/kconfig/$KLP_ARCH-debug.config")
fi
fragment=$ARCH_DIR/fragment.config
mkdir -p "$OBJ_DIR"
cat "${fragments[@]}" >"$fragment.new"

# Reconfigure only when the fragments changed: a new .config rebuilds all.
if [ -f "$OBJ_DIR/.config" ] && cmp -s "$fragment.new" "$fragment"; then
	rm -f "$fragment.new"
	exit 0
fi
mv "$fragment.new" "$fragment"

say "configuring: allnoconfig + ${fragments[*]#"$TOP"/}"
log=$LOG_DIR/config.log
run_logged "$log" "${KMAKE[@]}" allnoconfig
run_logged "$log.merge" "$SRC_DIR/scripts/kconfig/merge_config.sh" -m \
	-O "$OBJ_DIR" "$OBJ_DIR/.config" "$fragment"
run_logged "$log.olddefconfig" "${KMAKE[@]}" olddefconfig

bad=0
while read -r line; do
	case "$line" in
	CONFIG_*)
		grep -qxF "$line" "$OBJ_DIR/.config" || {
			echo "config: $line did not survive olddefconfig" >&2
			bad=1
		}
		;;
	"# CONFIG_"*" is not set")
		opt=${line#\# }
		opt=${opt%% *}
		! grep -q "^$opt=" "$OBJ_DIR/.config" || {
			echo "config: $opt is set, the fragment says it must not be" >&2
			bad=1
		}
		;;
	esac
done <"$fragment"
if [ "$bad" != 0 ]; then
	rm -f "$fragment"	# so the next run reconfigures
	die "kernel config does not satisfy $fragment"
fi
