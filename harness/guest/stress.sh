#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The concurrency stress of `make stress` (and the short one of `make
# test`): for SECONDS, concurrent loops load and unload the late-patching
# targets, toggle the .klp.arch target's static key and static call, load
# and unload the livepatch modules (test_klp_late_patch2 atomically
# replaces the others), disable them and reverse their transitions, and
# read their sysfs files. A loop tolerates what the kernel must refuse in
# such a race (a livepatch enabled or disabled while another transition is
# in progress, a livepatch module still in use, a sysfs file gone) and
# counts anything else as a failure, as it does a wrong value read from a
# target. Then the loops stop, the transitions settle and the state must be
# one the livepatch core promises: every livepatch left is enabled and
# applied to every loaded target, the others are gone, and every loaded
# target behaves as its patch state says. Last, the whole life cycle runs
# once more, in order, and must still work.
# Prints the iterations and the tolerated errors of each loop; ends with
# "klp-late: stress ok" or "klp-late: stress FAILED: why".
# Usage: stress.sh SECONDS
set -euo pipefail

seconds=${1:-}
LP=/sys/kernel/livepatch
TARGET=test_klp_late_target
ARCH_TARGET=test_klp_late_arch_target
PATCH=test_klp_late_patch
PATCH2=test_klp_late_patch2
ARCH_PATCH=test_klp_late_arch_patch
LIVEPATCHES=("$PATCH" "$PATCH2" "$ARCH_PATCH")
STATUS=/sys/module/$TARGET/parameters/status
ARCH_PARAMS=/sys/module/$ARCH_TARGET/parameters
# how long the loops may take to stop after the deadline, and the
# transitions to settle after that
GRACE=${STRESS_GRACE:-90}
work=/tmp/klp-stress

say() {
	echo "klp-late stress: $*"
}

fail() {
	echo "klp-late: stress FAILED: $*"
	exit 1
}

[[ "$seconds" =~ ^[1-9][0-9]*$ ]] || fail "usage: $0 SECONDS (got '$seconds')"

now() {
	printf '%(%s)T' -1
}

# loaded MODULE: MODULE is loaded and live
loaded() {
	[ "$(cat "/sys/module/$1/initstate" 2>/dev/null)" = live ]
}

# --- what the loops share ---------------------------------------------------

# The errors a loop tolerates: the kernel refusing what it must refuse
E_BUSY='Device or resource busy'	# another transition is in progress
E_INVAL='Invalid argument'		# already in that state; no re-enable
E_GONE='No such file or directory|No such device'	# its sysfs file went
E_INUSE='is in use'			# a livepatch module not released yet

# A loop's figures, in its own subshell
loop='' iter=0 tolerated=0 unexpected=0

# unexpected WHAT: a failure of the stress, said at once (the first 20 of a
# loop) and counted
unexpected() {
	unexpected=$((unexpected + 1))
	[ "$unexpected" -gt 20 ] || say "UNEXPECTED in loop $loop (iteration $iter): $*"
}

# try OK-REGEX CMD...: run CMD; a failure whose message matches OK-REGEX is
# tolerated (and counted by its last words), any other is unexpected.
# Returns CMD's success.
try() {
	local ok=$1 out
	shift
	if out=$("$@" 2>&1); then
		return 0
	fi
	out=${out//$'\n'/ }
	if [ -n "$ok" ] && [[ "$out" =~ $ok ]]; then
		tolerated=$((tolerated + 1))
		echo "$loop: ${1##*/} ${BASH_REMATCH[0]}" >>"$work/tolerated.$loop"
	else
		unexpected "$*: ${out:-failed without a message}"
	fi
	return 1
}

# put VALUE FILE: write VALUE to a sysfs file (a command for try)
put() {
	echo "$1" >"$2"
}

# get FILE: a sysfs file's content, or nothing with the error on stderr
get() {
	cat "$1"
}

# nap: sleep up to 0.4 s
nap() {
	sleep "0.$((RANDOM % 5))"
}

# What the target's status says, for each patch state
threads_max=$(cat /proc/sys/kernel/threads-max)
status_patched() {	# status_patched VALUE
	echo "^$PATCH: patched, value $1, reads [0-9]+, threads-max $threads_max, lookup ok\$"
}
status_replaced() {
	echo "^$PATCH2: replaced, value $1, reads [0-9]+\$"
}
status_original() {
	echo "^$TARGET: original, value $1, reads [0-9]+\$"
}
# Any of them: what a transition in progress may show
status_any() {
	echo "$(status_patched "$1")|$(status_replaced "$1")|$(status_original "$1")"
}
# The .klp.arch target's state: the livepatch's replacement or the
# original, and the key and call that both see; "mixed" (the two branches
# of one key disagree) or "unknown" (the call went nowhere known) never
ARCH_STATE="^($ARCH_PATCH: patched|$ARCH_TARGET: unpatched) key=(on|off) call=(a|b|c|ret0)\$"

# check_line WHAT LINE REGEX: LINE matches REGEX, else unexpected
check_line() {
	[[ "$2" =~ $3 ]] || unexpected "$1 says '$2'"
}

# --- the loops ---------------------------------------------------------------

# Load the target with a new seed, check what it says, unload it.
loop_target() {
	local line
	try "" modprobe "$TARGET" seed="$iter" || return 0
	if line=$(get "$STATUS"); then
		check_line "$TARGET" "$line" "$(status_any $((2 * iter + 1)))"
	else
		unexpected "cannot read $STATUS of the loaded $TARGET"
	fi
	nap
	try "" rmmod "$TARGET" || true
}

# set_gen N: write the .klp.arch target's generation, in one step
set_gen() {
	echo "$1" >"$work/arch-gen.new"
	mv "$work/arch-gen.new" "$work/arch-gen"
}

# Load and unload the .klp.arch target. Its generation ($work/arch-gen) is
# odd while it is being replaced, so that loop_toggle knows when the
# target it set and read was one and the same load.
loop_arch_target() {
	set_gen $((2 * iter + 1))
	if loaded "$ARCH_TARGET"; then
		try "" rmmod "$ARCH_TARGET" || true
	fi
	try "" modprobe "$ARCH_TARGET" || true
	set_gen $((2 * iter + 2))
	sleep "0.$((RANDOM % 10))"
}

# Set the .klp.arch target's key and call to random values and check its
# state: exactly those while the same load of the target stays, a
# consistent state always.
loop_toggle() {
	local keys=(0 1) names=(off on) calls=(a b c ret0) k c gen state
	k=$((RANDOM % 2)) c=${calls[RANDOM % 4]}
	if ! loaded "$ARCH_TARGET"; then
		sleep 0.1
		return 0
	fi
	gen=$(cat "$work/arch-gen")
	try "$E_GONE" put "${keys[k]}" "$ARCH_PARAMS/key" || return 0
	try "$E_GONE" put "$c" "$ARCH_PARAMS/call" || return 0
	state=$(get "$ARCH_PARAMS/state" 2>/dev/null) || return 0
	if [ $((gen % 2)) = 0 ] && [ "$(cat "$work/arch-gen")" = "$gen" ]; then
		check_line "$ARCH_TARGET (key=${keys[k]} call=$c)" "$state" \
			"^($ARCH_PATCH: patched|$ARCH_TARGET: unpatched) key=${names[k]} call=$c\$"
	else
		check_line "$ARCH_TARGET" "$state" "$ARCH_STATE"
	fi
}

# Read every sysfs file of the livepatches and the targets.
loop_read() {
	local f line
	for f in "$LP"/*/enabled "$LP"/*/transition "$LP"/*/*/patched \
		 "$LP"/*/*/build_id "$LP"/*/*/build_id_state \
		 "$ARCH_PARAMS"/key "$ARCH_PARAMS"/call; do
		[ -e "$f" ] || continue
		try "$E_GONE" get "$f" >/dev/null || true
	done
	if line=$(get "$STATUS" 2>/dev/null); then
		check_line "$TARGET" "$line" "$(status_any "[0-9]+")"
	fi
	if line=$(get "$ARCH_PARAMS/state" 2>/dev/null); then
		check_line "$ARCH_TARGET" "$line" "$ARCH_STATE"
	fi
}

# Disable a random livepatch; every third time, enable it again at once,
# which reverses its transition if it is still in progress.
loop_disable() {
	local patches=("$LP"/*) p
	[ -e "${patches[0]}" ] || { sleep 0.2; return 0; }
	p=${patches[RANDOM % ${#patches[@]}]}
	if try "$E_BUSY|$E_INVAL|$E_GONE" put 0 "$p/enabled" && [ $((RANDOM % 3)) = 0 ]; then
		try "$E_BUSY|$E_INVAL|$E_GONE" put 1 "$p/enabled" || true
	fi
	# a transition takes a second or more under TCG: more often, and
	# hardly any would complete
	sleep "1.$((RANDOM % 10))"
}

# loop_livepatch MODULE: load the livepatch module (which enables it; an
# atomic replace one replaces the others); once it has been disabled,
# unload it.
loop_livepatch() {
	local mod=$1
	if ! [ -e "/sys/module/$mod" ]; then
		try "$E_BUSY" modprobe "$mod" || true
	elif ! [ -d "$LP/$mod" ]; then
		try "$E_INUSE" rmmod "$mod" || true
	fi
	sleep "0.$((RANDOM % 10))"
}

# run_loop NAME CMD...: run CMD until the deadline, then write the loop's
# figures to $work/NAME.figures
run_loop() {
	loop=$1
	shift
	: >"$work/tolerated.$loop"
	while [ "$(now)" -lt "$deadline" ]; do
		iter=$((iter + 1))
		"$@"
	done
	echo "$iter $tolerated $unexpected" >"$work/$loop.figures"
}

# --- the converged state -------------------------------------------------------

# wait_settled: wait until no livepatch is in transition and every disabled
# one is gone (GRACE seconds at most)
wait_settled() {
	local p busy
	for _ in $(seq $((GRACE * 10))); do
		busy=
		for p in "$LP"/*; do
			[ -e "$p" ] || continue
			if [ "$(cat "$p/transition" 2>/dev/null)" != 0 ] ||
			   [ "$(cat "$p/enabled" 2>/dev/null)" != 1 ]; then
				busy=$p
			fi
		done
		[ -n "$busy" ] || return 0
		sleep 0.1
	done
	fail "${busy##*/} still in transition or disabled ${GRACE} s after the loops stopped" \
		"(transition $(cat "$busy/transition"), enabled $(cat "$busy/enabled"))"
}

# expect WHAT ACTUAL REGEX: fail unless ACTUAL matches REGEX
expect() {
	[[ "$2" =~ $3 ]] || fail "$1 is '$2', expected '$3'"
}

# check_state WHEN: the state after the transitions settled is one the
# livepatch core promises, and every loaded target behaves as it says
check_state() {
	local when=$1 p o obj want seed v kc k c onoff
	local -A enabled=()
	for p in "$LP"/*; do
		[ -e "$p" ] || continue
		enabled[${p##*/}]=1
		expect "$when: ${p##*/} transition" "$(cat "$p/transition")" '^0$'
		expect "$when: ${p##*/} enabled" "$(cat "$p/enabled")" '^1$'
		for o in "$p"/*/; do
			obj=$(basename "$o")
			[ -e "$o/patched" ] || continue
			want=0
			[ "$obj" != vmlinux ] || want=1
			! loaded "$obj" || want=1
			expect "$when: ${p##*/}/$obj/patched" "$(cat "$o/patched")" "^$want\$"
		done
	done
	if loaded "$TARGET"; then
		seed=$(cat /sys/module/$TARGET/parameters/seed)
		v=$((2 * seed + 1))
		# test_klp_late_patch2 replaces test_klp_late_patch when it
		# is enabled, and neither can be enabled while the other is
		# in transition: with both left, test_klp_late_patch came
		# last and is the one on top of the function's stack
		if [ -n "${enabled[$PATCH]:-}" ]; then
			want=$(status_patched "$v")
		elif [ -n "${enabled[$PATCH2]:-}" ]; then
			want=$(status_replaced "$v")
		else
			want=$(status_original "$v")
		fi
		expect "$when: $STATUS" "$(cat "$STATUS")" "$want"
	fi
	if loaded "$ARCH_TARGET"; then
		want="$ARCH_TARGET: unpatched"
		[ -z "${enabled[$ARCH_PATCH]:-}" ] || want="$ARCH_PATCH: patched"
		for kc in "1 b on" "0 c off" "1 ret0 on" "0 a off"; do
			read -r k c onoff <<<"$kc"
			echo "$k" >"$ARCH_PARAMS/key"
			echo "$c" >"$ARCH_PARAMS/call"
			expect "$when: $ARCH_PARAMS/state after key=$k call=$c" \
				"$(cat "$ARCH_PARAMS/state")" "^$want key=$onoff call=$c\$"
		done
	fi
	say "$when: state ok: livepatches [${!enabled[*]}]," \
		"$(loaded "$TARGET" && echo "$TARGET loaded" || echo "$TARGET not loaded")," \
		"$(loaded "$ARCH_TARGET" && echo "$ARCH_TARGET loaded" || echo "$ARCH_TARGET not loaded")"
}

# load_livepatch MODULE: load it and wait for its transition
load_livepatch() {
	modprobe "$1" || fail "modprobe $1 after the stress"
	wait_settled
}

# unload_livepatches: disable every livepatch, unload every livepatch module
unload_livepatches() {
	local p m
	for p in "$LP"/*; do
		[ -e "$p" ] || continue
		echo 0 >"$p/enabled" || fail "cannot disable ${p##*/} after the stress"
		for _ in $(seq $((GRACE * 10))); do
			[ -d "$p" ] || break
			sleep 0.1
		done
		[ ! -d "$p" ] || fail "${p##*/} still there ${GRACE} s after it was disabled"
	done
	for m in "${LIVEPATCHES[@]}"; do
		if [ -e "/sys/module/$m" ]; then
			for _ in $(seq 50); do
				rmmod "$m" 2>/dev/null && break
				sleep 0.1
			done
			[ ! -e "/sys/module/$m" ] || fail "cannot unload $m after the stress"
		fi
	done
}

# livepatches: the livepatches in sysfs, by name
livepatches() {
	local p names=()
	for p in "$LP"/*; do
		[ ! -e "$p" ] || names+=("${p##*/}")
	done
	echo "${names[*]}"
}

# --- the run -------------------------------------------------------------------

rm -rf "$work"
mkdir -p "$work"
set_gen 0
for m in "${LIVEPATCHES[@]}" "$TARGET" "$ARCH_TARGET"; do
	[ ! -e "/sys/module/$m" ] || fail "$m is loaded before the stress"
done
[ -z "$(livepatches)" ] || fail "livepatches enabled before the stress: $(livepatches)"

# the livepatch core's debug messages, for the figures (reversed transitions)
ddebug=/sys/kernel/debug/dynamic_debug/control
[ ! -w $ddebug ] || echo 'file kernel/livepatch/* +p' >$ddebug

# the kernel log from here on is the stress's (make test ran the selftests)
started=$(now)
dmesg_start=$(dmesg | wc -l)
loops=(target arch-target toggle read disable "$PATCH" "$PATCH2" "$ARCH_PATCH")
say "${#loops[@]} loops for $seconds s on $(nproc) CPUs: ${loops[*]}"
deadline=$(($(now) + seconds))
declare -A pids=()
run_loop target loop_target & pids[target]=$!
run_loop arch-target loop_arch_target & pids[arch-target]=$!
run_loop toggle loop_toggle & pids[toggle]=$!
run_loop read loop_read & pids[read]=$!
run_loop disable loop_disable & pids[disable]=$!
for m in "$PATCH" "$PATCH2" "$ARCH_PATCH"; do
	run_loop "$m" loop_livepatch "$m" &
	pids[$m]=$!
done

# progress, about ten times a run
step=$(((seconds + 9) / 10))
while [ "$(now)" -lt "$deadline" ]; do
	left=$((deadline - $(now)))
	sleep $((left < step ? left : step))
	[ "$(now)" -ge "$deadline" ] ||
		say "$((seconds - (deadline - $(now)))) s: livepatches [$(livepatches)]"
done

# The loops finish their iteration and stop; one that does not within
# GRACE seconds hangs in the kernel.
stuck=
for _ in $(seq "$GRACE"); do
	stuck=
	for l in "${loops[@]}"; do
		[ -e "$work/$l.figures" ] || ! kill -0 "${pids[$l]}" 2>/dev/null ||
			stuck+=" $l"
	done
	[ -n "$stuck" ] || break
	sleep 1
done
if [ -n "$stuck" ]; then
	say "loops still running ${GRACE} s after the deadline:$stuck; tasks in D state:"
	for s in /proc/[0-9]*/stat; do
		read -r pid comm state _ <"$s" 2>/dev/null || continue
		[ "$state" = D ] || continue
		say "  $pid $comm: $(cat "/proc/$pid/wchan" 2>/dev/null)"
		sed 's/^/klp-late stress:     /' "/proc/$pid/stack" 2>/dev/null || true
	done
	for l in $stuck; do
		pkill -KILL -P "${pids[$l]}" || true
		kill -KILL "${pids[$l]}" || true
	done
	fail "loops did not stop:$stuck"
fi
for l in "${loops[@]}"; do
	wait "${pids[$l]}" || fail "loop $l exited with status $?"
done

bad=0
for l in "${loops[@]}"; do
	read -r i t u <"$work/$l.figures"
	say "loop $l: $i iterations, $t tolerated errors, $u unexpected"
	bad=$((bad + u))
done
cat "$work"/tolerated.* | sort | uniq -c | sort -rn | sed 's/^ */klp-late stress:   /'
dmesg | tail -n +$((dmesg_start + 1)) >"$work/dmesg"
say "transitions completed: $(grep -c 'patching complete$' "$work/dmesg" || true)," \
	"reversed: $(grep -c 'reversing transition' "$work/dmesg" || true)," \
	"a livepatch applied to a loading target: $(grep -c 'to loading module' "$work/dmesg" || true) times"
[ "$bad" = 0 ] || fail "$bad unexpected errors or values in the loops (UNEXPECTED above)"

# The state where the loops left it
wait_settled
check_state "after the loops"
# ... with every target loaded
loaded "$TARGET" || modprobe "$TARGET" seed=1000 || fail "modprobe $TARGET after the stress"
loaded "$ARCH_TARGET" || modprobe "$ARCH_TARGET" || fail "modprobe $ARCH_TARGET after the stress"
check_state "targets loaded"
# ... and the whole life cycle once more, in order
unload_livepatches
check_state "livepatches unloaded"
load_livepatch "$PATCH"
load_livepatch "$ARCH_PATCH"
check_state "livepatches loaded"
rmmod "$TARGET" "$ARCH_TARGET" || fail "rmmod the targets after the stress"
modprobe "$TARGET" seed=1001 || fail "modprobe $TARGET after the stress"
modprobe "$ARCH_TARGET" || fail "modprobe $ARCH_TARGET after the stress"
check_state "targets reloaded"
load_livepatch "$PATCH2"
[ "$(livepatches)" = "$PATCH2" ] || fail "$PATCH2 did not replace the others: $(livepatches)"
check_state "atomic replace"
unload_livepatches
rmmod "$TARGET" "$ARCH_TARGET" || fail "rmmod the targets after the stress"
[ -z "$(livepatches)" ] || fail "livepatches left at the end: $(livepatches)"
say "done in $(($(now) - started)) s"
echo "klp-late: stress ok"
