#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Boot the built kernel and initramfs of one architecture in QEMU, bounded
# in time. MODE is what the guest's /init does (test, demo, shell, probe).
# The console goes to build/ARCH/logs/console-MODE.log and, without the
# kernel log dump at the end, to stdout.
# Usage: harness/boot.sh ARCH MODE [KERNEL-ARG...]
# Env: SMP (vCPUs, 2), MEM, BOOT_TIMEOUT (seconds), ACCEL (auto|tcg|kvm),
# QEMU_EXTRA (more QEMU arguments, e.g. "-gdb tcp::1234" to attach gdb to
# a guest that hangs: gdb OBJ/vmlinux -ex 'target remote :1234').
set -euo pipefail
# shellcheck source=harness/lib.sh
. "$(dirname "$0")/lib.sh"
arch_setup "${1:?usage: $0 ARCH MODE [KERNEL-ARG...]}"
need_guest
mode=${2:?usage: $0 ARCH MODE [KERNEL-ARG...]}
shift 2

SMP=${SMP:-2}
ACCEL=${ACCEL:-auto}
# The debug kernel (DEBUG=1) needs memory for KASAN's shadow and kmemleak,
# and runs several times slower
mem_x86=512M mem_ppc=1G mem_s390=1G run_timeout=1500
if [ "${DEBUG:-0}" = 1 ]; then
	mem_x86=1G mem_ppc=2G mem_s390=2G run_timeout=4500
fi
case "$mode" in
shell) BOOT_TIMEOUT=${BOOT_TIMEOUT:-14400} ;;
probe) BOOT_TIMEOUT=${BOOT_TIMEOUT:-40} ;;
*) BOOT_TIMEOUT=${BOOT_TIMEOUT:-$run_timeout} ;;
esac

kernel=$OBJ_DIR/$KIMAGE
[ -f "$kernel" ] || die "no kernel at $kernel (run harness/build.sh $KLP_ARCH)"
[ -f "$INITRAMFS" ] || die "no initramfs at $INITRAMFS (run harness/rootfs.sh $KLP_ARCH)"

# KVM here may be nested and hang guests: use it only after a short probe
# boot proved it works on this machine (the answer is kept until reboot).
kvm_works() {
	local answer
	answer=$BUILD_DIR/kvm-probe.$(cat /proc/sys/kernel/random/boot_id)
	if [ ! -f "$answer" ]; then
		if [ -w /dev/kvm ] &&
		   ACCEL=kvm BOOT_TIMEOUT=40 "$0" "$KLP_ARCH" probe >/dev/null 2>&1 &&
		   grep -q 'klp-late: probe ok' "$LOG_DIR/console-probe.log"; then
			echo yes >"$answer"
		else
			echo no >"$answer"
		fi
	fi
	[ "$(cat "$answer")" = yes ]
}

accel=tcg
if [ "$KLP_ARCH" = x86_64 ] && [ "$mode" != probe ]; then
	case "$ACCEL" in
	kvm) accel=kvm ;;
	auto) if kvm_works; then accel=kvm; fi ;;
	esac
elif [ "$mode" = probe ]; then
	accel=$ACCEL
fi

append=(console="$CONSOLE" quiet panic=-1 oops=panic printk.time=1 log_buf_len=4M
	klp_mode="$mode" "$@")
case "$KLP_ARCH" in
x86_64)
	# qboot lists every vCPU in its MP table (SeaBIOS without ACPI: one)
	qemu=("$QEMU" -M pc -cpu qemu64 -m "${MEM:-$mem_x86}"
	      -bios /usr/share/qemu/qboot.rom)
	if [ "$accel" = tcg ]; then
		qemu+=(-accel "tcg,tb-size=256")
	else
		qemu+=(-accel kvm)
	fi
	;;
ppc64le)
	# TCG lacks the Spectre mitigation capabilities; VOF boots faster than SLOF
	machine="pseries,cap-cfpc=broken,cap-sbbc=broken,cap-ibs=broken"
	machine+=",cap-ccf-assist=off,x-vof=on"
	qemu=("$QEMU" -M "$machine" -cpu power9 -m "${MEM:-$mem_ppc}"
	      -accel "tcg,tb-size=256")
	;;
s390x)
	# -serial is the SCLP VT220 console (ttysclp0)
	qemu=("$QEMU" -M s390-ccw-virtio -m "${MEM:-$mem_s390}"
	      -accel "tcg,tb-size=256")
	;;
esac
read -ra extra <<<"${QEMU_EXTRA:-}"
qemu+=("${extra[@]}" -smp "$SMP" -nodefaults -display none -vga none -no-reboot
       -kernel "$kernel" -initrd "$INITRAMFS" -append "${append[*]}")

log=$LOG_DIR/console-$mode.log
mkdir -p "$LOG_DIR"
say "booting Linux $(kernel_version) in QEMU ($accel, $SMP vCPUs, mode $mode, at most ${BOOT_TIMEOUT}s), console log: $log"

if [ "$mode" = shell ] && [ -t 0 ]; then
	say "QEMU: press Ctrl-A X to quit"
	timeout --foreground "$BOOT_TIMEOUT" "${qemu[@]}" -serial mon:stdio | tee "$log"
	exit "${PIPESTATUS[0]}"
fi

set +e
timeout --kill-after=10 "$BOOT_TIMEOUT" "${qemu[@]}" -serial stdio </dev/null 2>&1 |
	sed -u 's/\r$//' | tee "$log" |
	sed -u '/^klp-late: dmesg begin/,/^klp-late: dmesg end/d'
rc=${PIPESTATUS[0]}
set -e
case "$rc" in
124 | 137) say "QEMU timed out after ${BOOT_TIMEOUT}s" ;;
esac
# QEMU exits 0 on a SIGTERM that is not timeout's; it says so on stderr,
# which may end a console line
killed='qemu-system-[a-z0-9_]*: terminating on signal [0-9]*'
if [ "$rc" = 0 ] && grep -q "$killed" "$log"; then
	say "QEMU was killed ($(grep -o -m 1 "$killed" "$log"))"
	rc=143
fi
exit "$rc"
