# lib.sh: shared helpers of the integration tests: TAP output, a per-test
# parent cgroup, a marker that finds survivors in /proc, running sandpool.
# shellcheck shell=bash
#
# A test sources this file, calls sp_init, runs checks, then calls sp_done.
# Every sandpool it starts gets SPMARK=<marker> in its environment, so every
# task process carries it too: sp_no_survivors finds what outlived a run by
# that marker alone, and kills only those pids.

set -u

SP_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SANDPOOL=${SANDPOOL:-$SP_LIB_DIR/../../sandpool}
SP_TESTS_DIR=${SP_TESTS_DIR:-$(dirname "$SP_LIB_DIR")}
SP_NAME=$(basename "$0" .sh)
SP_N=0
SP_FAILS=0
SP_GUARD_S=${SP_GUARD_S:-60} # no sandpool run may take longer than this
TESTCG=
TMPD=
MARK=
SP_RC=
SP_WALL_MS=
SP_PID=

# --- TAP ----------------------------------------------------------------------

sp_diag() {
	printf '%s\n' "$@" | sed 's/^/# /'
}

sp_ok() {
	SP_N=$((SP_N + 1))
	echo "ok $SP_N - $1"
}

sp_not_ok() {
	SP_N=$((SP_N + 1))
	SP_FAILS=$((SP_FAILS + 1))
	echo "not ok $SP_N - $1"
	shift
	[ $# -eq 0 ] || sp_diag "$@"
	return 1
}

# sp_check NAME CMD...: ok if CMD succeeds.
sp_check() {
	local name=$1
	shift
	if "$@"; then
		sp_ok "$name"
	else
		sp_not_ok "$name" "failed: $*"
	fi
}

# sp_is ACTUAL EXPECTED NAME
sp_is() {
	if [ "$1" = "$2" ]; then
		sp_ok "$3"
	else
		sp_not_ok "$3" "expected: $2" "     got: $1"
	fi
}

# sp_cmp ACTUAL OP LIMIT NAME: integer comparison (OP: -lt -le -ge -gt -eq).
sp_cmp() {
	if [[ "$1" =~ ^-?[0-9]+$ ]] && test "$1" "$2" "$3"; then
		sp_ok "$4"
	else
		sp_not_ok "$4" "expected: a number $2 $3" "     got: $1"
	fi
}

sp_bail() {
	echo "Bail out! $SP_NAME: $*"
	exit 1
}

# Show what the last sandpool run said (for a failing check).
sp_show_run() {
	sp_diag "exit status: $SP_RC, wall ${SP_WALL_MS} ms" "stderr:"
	sed 's/^/#   /' "$TMPD/err"
	sp_diag "stdout:"
	head -n 20 "$TMPD/out" | sed 's/^/#   /'
}

# --- time ----------------------------------------------------------------------

sp_now_ms() {
	local t=${EPOCHREALTIME//[.,]/}
	echo $((t / 1000))
}

# --- cgroups ---------------------------------------------------------------------

sp_v2_mount() {
	awk '{ for (i = 7; i < NF; i++) if ($i == "-") { if ($(i + 1) == "cgroup2") { print $5; exit } break } }' \
		/proc/self/mountinfo
}

# sp_cg_wait_empty CGDIR SECS: wait until nothing runs in CGDIR or below.
sp_cg_wait_empty() {
	local end=$(($(sp_now_ms) + $2 * 1000))
	while grep -qx 'populated 1' "$1/cgroup.events" 2>/dev/null; do
		[ "$(sp_now_ms)" -lt "$end" ] || return 1
		sleep 0.02
	done
	return 0
}

# sp_cg_destroy CGDIR: kill everything in a cgroup we created, remove it and
# everything below it, deepest first.
sp_cg_destroy() {
	[ -d "$1" ] || return 0
	echo 1 >"$1/cgroup.kill" 2>/dev/null
	sp_cg_wait_empty "$1" 5
	find "$1" -depth -type d -exec rmdir {} + 2>/dev/null
	[ ! -d "$1" ]
}

# sp_pools [DIR]: the sandpool pool cgroups left under DIR (default: ours).
sp_pools() {
	find "${1:-$TESTCG}" -mindepth 1 -type d -name 'sandpool-*' 2>/dev/null
}

# sp_no_pools NAME [SECS]: no pool cgroup is left under our test cgroup
# (waiting up to SECS for one that is being removed).
sp_no_pools() {
	local end=$(($(sp_now_ms) + ${2:-0} * 1000)) left
	while left=$(sp_pools "$TESTCG") && [ -n "$left" ] && [ "$(sp_now_ms)" -lt "$end" ]; do
		sleep 0.02
	done
	if [ -z "$left" ]; then
		sp_ok "$1"
		return 0
	fi
	sp_not_ok "$1" "left behind:" "$left"
	local d
	for d in $left; do
		sp_cg_destroy "$d"
	done
	return 1
}

# --- survivors ---------------------------------------------------------------------

# The pids whose environment or command line carries our marker. The pattern is
# read from a file so that grep's own command line does not match.
sp_marked_pids() {
	grep -lsF -f "$TMPD/mark" /proc/[0-9]*/environ /proc/[0-9]*/cmdline 2>/dev/null |
		awk -F/ '{ print $3 }' | sort -un
}

sp_describe_pid() {
	local cmd
	cmd=$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null)
	echo "pid $1: ${cmd:-?} [$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)]" \
		"cgroup $(grep '^0::' "/proc/$1/cgroup" 2>/dev/null)"
}

# sp_no_survivors NAME [SECS]: no process with our marker is alive (after up to
# SECS, default 0). Survivors are reported, then killed by pid.
sp_no_survivors() {
	local end=$(($(sp_now_ms) + ${2:-0} * 1000)) pids pid
	while pids=$(sp_marked_pids) && [ -n "$pids" ] && [ "$(sp_now_ms)" -lt "$end" ]; do
		sleep 0.02
	done
	if [ -z "$pids" ]; then
		sp_ok "$1"
		return 0
	fi
	sp_not_ok "$1" "$(echo "$pids" | wc -w) survivor(s) with marker $MARK:"
	for pid in $(echo "$pids" | head -n 10); do
		sp_diag "  $(sp_describe_pid "$pid")"
	done
	sp_kill_marked
	return 1
}

sp_kill_marked() {
	local pid
	for pid in $(sp_marked_pids); do
		kill -KILL "$pid" 2>/dev/null
	done
}

# --- running sandpool ----------------------------------------------------------------

# sp_run ARGS...: run sandpool with our marker, bounded by SP_GUARD_S; sets
# SP_RC and SP_WALL_MS, stdout in $TMPD/out, stderr in $TMPD/err. Its stdin is
# $SP_STDIN (default /dev/null).
sp_run() {
	local t0
	t0=$(sp_now_ms)
	timeout -k 5 "$SP_GUARD_S" env "SPMARK=$MARK" "$SANDPOOL" "$@" \
		<"${SP_STDIN:-/dev/null}" >"$TMPD/out" 2>"$TMPD/err"
	SP_RC=$?
	SP_WALL_MS=$(($(sp_now_ms) - t0))
}

# sp_start ARGS...: start sandpool in the background; its pid in SP_PID.
sp_start() {
	env "SPMARK=$MARK" "$SANDPOOL" "$@" <"${SP_STDIN:-/dev/null}" \
		>"$TMPD/out" 2>"$TMPD/err" &
	# shellcheck disable=SC2034 # for the caller
	SP_PID=$!
}

# sp_wait_bg PID SECS: wait for a background child; SP_RC is its status, or
# "hung" (and it is SIGKILLed) if it did not end within SECS.
sp_wait_bg() {
	local end=$(($(sp_now_ms) + $2 * 1000)) state
	while state=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) &&
		[ -n "$state" ] && [ "$state" != Z ]; do
		if [ "$(sp_now_ms)" -ge "$end" ]; then
			kill -KILL "$1" 2>/dev/null
			wait "$1" 2>/dev/null
			SP_RC=hung
			return 1
		fi
		sleep 0.02
	done
	wait "$1"
	SP_RC=$?
}

# sp_wait_files SECS FILE...: wait until every FILE exists.
sp_wait_files() {
	local end=$(($(sp_now_ms) + $1 * 1000)) f
	shift
	for f in "$@"; do
		while [ ! -e "$f" ]; do
			[ "$(sp_now_ms)" -lt "$end" ] || return 1
			sleep 0.01
		done
	done
}

# --- the job log ------------------------------------------------------------------------

# sp_jf FILE SEQ FIELD: one field of task SEQ in a JSON job log ("" if absent).
sp_jf() {
	jq -r --argjson s "$2" --arg f "$3" 'select(.seq == $s) | .[$f] // empty' "$1"
}

# sp_jcount FILE FILTER: how many log lines match a jq select() FILTER.
sp_jcount() {
	jq -c "select($2)" "$1" | wc -l
}

# --- the probe task -------------------------------------------------------------------

sp_find_probe() {
	local built
	built=$(dirname "$SANDPOOL")/tests/integration/sp-probe
	if [ -n "${SP_PROBE:-}" ] && [ -x "$SP_PROBE" ]; then
		return 0
	elif [ -x "$built" ]; then
		SP_PROBE=$built
	else # run by hand before 'make check': build our own copy
		SP_PROBE=$TMPD/sp-probe
		${CC:-cc} -O2 -o "$SP_PROBE" "$SP_LIB_DIR/sp-probe.c" ||
			sp_bail "cannot build sp-probe"
	fi
}

# --- set up and tear down ----------------------------------------------------------------

sp_cleanup() {
	local rc=$?
	trap - EXIT
	[ -n "$TMPD" ] && [ -f "$TMPD/mark" ] && sp_kill_marked
	[ -n "$TESTCG" ] && sp_cg_destroy "$TESTCG"
	[ -n "$TMPD" ] && rm -rf "$TMPD"
	exit "$rc"
}

# Test cgroups of test runs that were SIGKILLed: removed if nothing runs in
# them (their processes are not ours to kill: only reported).
sp_remove_stale_testcgs() {
	local d pid
	for d in "$SP_V2"/sandpool-test-*; do
		pid=${d##*-}
		[ -d "$d" ] || continue
		[[ "$pid" =~ ^[0-9]+$ ]] || continue
		kill -0 "$pid" 2>/dev/null && continue
		if grep -qx 'populated 0' "$d/cgroup.events" 2>/dev/null &&
			find "$d" -depth -type d -exec rmdir {} + 2>/dev/null; then
			sp_diag "removed the stale test cgroup $d"
		else
			sp_diag "the stale test cgroup $d still has processes: not touched"
		fi
	done
}

# sp_init: a fresh test cgroup, marker and temp dir. Without a writable cgroup
# v2 mount the test bails out: it fails, it never skips.
sp_init() {
	local v2
	command -v jq >/dev/null || sp_bail "jq is needed (apt-get install -y jq)"
	[ -x "$SANDPOOL" ] || sp_bail "no sandpool binary at $SANDPOOL (set SANDPOOL)"
	SANDPOOL=$(cd "$(dirname "$SANDPOOL")" && pwd)/$(basename "$SANDPOOL")
	v2=$(sp_v2_mount)
	[ -n "$v2" ] || sp_bail "no cgroup2 mount in /proc/self/mountinfo: the cgroup tests cannot run"
	# shellcheck disable=SC2034 # for the tests
	SP_V2=$v2
	TMPD=$(mktemp -d "${TMPDIR:-/tmp}/sp-$SP_NAME.XXXXXX") || sp_bail "mktemp failed"
	trap sp_cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	MARK=SPMARK-$$-$SP_NAME
	printf '%s\n' "$MARK" >"$TMPD/mark"
	TESTCG=$v2/sandpool-test-$$
	mkdir "$TESTCG" 2>"$TMPD/err" ||
		sp_bail "cannot create the test cgroup $TESTCG: $(cat "$TMPD/err") (run as root on a host with a writable cgroup v2 mount)"
	# shellcheck disable=SC2034 # used by the tests that source us
	SPCG=--cgroup=$TESTCG
	sp_remove_stale_testcgs
	sp_find_probe
	sp_diag "test cgroup $TESTCG, marker $MARK, sandpool $SANDPOOL"
}

# sp_done: the teardown check, then the plan.
sp_done() {
	sp_no_survivors "teardown: no process with the marker is left" 2
	sp_no_pools "teardown: no pool cgroup is left under the test cgroup"
	echo "1..$SP_N"
}
