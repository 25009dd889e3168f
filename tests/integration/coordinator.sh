#!/bin/bash
# coordinator.sh: the coordinator's own end: SIGINT/SIGTERM/SIGHUP cancel the
# running tasks and clean up; after a SIGKILL the warden does; gc removes the
# pools of dead coordinators and never a live one's.
# shellcheck source=tests/integration/lib.sh
. "${SP_TESTS_DIR:-$(dirname "$0")/..}/integration/lib.sh"

J=

# The task processes with our marker: everything but a warden.
task_pids() {
	local pid
	for pid in $(sp_marked_pids); do
		[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = sandpool-warden ] || echo "$pid"
	done
}

# no_task_left NAME SECS: no task process alive within SECS.
no_task_left() {
	local end=$(($(sp_now_ms) + $2 * 1000)) pids
	while pids=$(task_pids) && [ -n "$pids" ] && [ "$(sp_now_ms)" -lt "$end" ]; do
		sleep 0.01
	done
	if [ -z "$pids" ]; then
		sp_ok "$1"
	else
		sp_not_ok "$1" "$(echo "$pids" | wc -w) task process(es) alive:"
		for pid in $(echo "$pids" | head -n 5); do
			sp_diag "  $(sp_describe_pid "$pid")"
		done
	fi
}

# start_tasks ARGS...: a run of two SIGTERM-ignoring tasks (one leaving a
# daemon) and a third input never started; returns once both tasks run.
start_tasks() {
	rm -f "$TMPD"/ready.*
	sp_start run "$SPCG" -j2 --json "$J" "$@" -- "$SP_PROBE" ignterm children 3 \
		daemon inf touch "$TMPD/ready.{}" sleep inf ::: 1 2 3
	sp_wait_files 10 "$TMPD/ready.1" "$TMPD/ready.2" ||
		sp_not_ok "the tasks started" "$(cat "$TMPD/err")"
}

test_stop_signal() { # SIG CODE
	local t0
	start_tasks --grace 300ms
	t0=$(sp_now_ms)
	kill "-$1" "$SP_PID"
	sp_wait_bg "$SP_PID" 10
	sp_is "$SP_RC" "$2" "SIG$1 to the coordinator: exit $2 ($(($(sp_now_ms) - t0)) ms)" ||
		sp_show_run
	sp_is "$(jq -r .status "$J" | sort | tr '\n' ' ')" "cancelled cancelled " \
		"SIG$1: the running tasks are logged as cancelled, the third never started"
	sp_no_survivors "SIG$1: no process left" 1
	sp_no_pools "SIG$1: no pool cgroup left"
}

test_second_sigint() {
	local t0
	start_tasks --grace 30s
	t0=$(sp_now_ms)
	kill -INT "$SP_PID"
	sleep 0.2
	kill -INT "$SP_PID"
	sp_wait_bg "$SP_PID" 10
	sp_is "$SP_RC" 130 "a second SIGINT during the grace period: exit 130" || sp_show_run
	sp_cmp "$(($(sp_now_ms) - t0))" -lt 3000 "the second SIGINT kills at once, not after 30 s of grace"
	sp_no_survivors "second SIGINT: no process left" 1
	sp_no_pools "second SIGINT: no pool cgroup left"
}

test_sigkill() {
	local pool
	start_tasks --grace 300ms
	pool=$(sp_pools "$TESTCG")
	sp_check "the pool is named sandpool-<pid>-<starttime>" \
		test "$(basename "$pool")" = "sandpool-$SP_PID-$(awk '{ print $22 }' "/proc/$SP_PID/stat")"
	kill -KILL "$SP_PID"
	wait "$SP_PID" 2>/dev/null
	no_task_left "SIGKILL of the coordinator: no task process alive within 1 s" 1
	sp_check "SIGKILL: the warden removes the pool cgroup within 3 s" sp_wait_gone "$pool" 3
	sp_no_survivors "SIGKILL: the warden itself is gone" 3
}

sp_wait_gone() { # DIR SECS
	local end=$(($(sp_now_ms) + $2 * 1000))
	while [ -d "$1" ]; do
		[ "$(sp_now_ms)" -lt "$end" ] || return 1
		sleep 0.01
	done
}

# fake_pool NAME: a pool cgroup with a leaf holding a process of ours.
FAKE_PID=
fake_pool() {
	mkdir -p "$TESTCG/$1/t1"
	"$SP_PROBE" sleep inf print "$MARK" &
	FAKE_PID=$!
	echo "$FAKE_PID" >"$TESTCG/$1/t1/cgroup.procs"
}

dead_pid() {
	sleep 0 &
	wait $!
	echo $!
}

test_gc() {
	local stale live_pool out
	start_tasks --grace 300ms
	live_pool=$(sp_pools "$TESTCG" | grep "/sandpool-$SP_PID-")
	# Made after the coordinator started: its own gc at start cannot see it.
	stale=sandpool-$(dead_pid)-12345
	fake_pool "$stale"
	mkdir "$TESTCG/sandpool-notapool" "$TESTCG/other"
	out=$(timeout 30 "$SANDPOOL" gc "$SPCG" 2>&1)
	sp_is "$?" 0 "gc exits 0" || sp_diag "$out"
	sp_check "gc says it removed one pool" grep -q "removed 1 stale pool cgroup\$" <<<"$out"
	sp_check "gc removes the stale pool of a dead coordinator" test ! -d "$TESTCG/$stale"
	sp_check "gc kills the process in it" sp_wait_gone "/proc/$FAKE_PID" 2
	wait "$FAKE_PID" 2>/dev/null
	sp_check "gc leaves the live coordinator's pool" test -d "$live_pool"
	sp_check "gc leaves its tasks running" kill -0 "$SP_PID"
	sp_check "gc leaves directories that are not pools" \
		test -d "$TESTCG/sandpool-notapool" -a -d "$TESTCG/other"
	kill -TERM "$SP_PID"
	sp_wait_bg "$SP_PID" 10
	sp_is "$SP_RC" 143 "the live coordinator then ends normally on SIGTERM"
	rmdir "$TESTCG/sandpool-notapool" "$TESTCG/other"
}

# A pool whose pid is alive but whose start time differs is stale too; and
# every run collects stale pools when it starts.
test_gc_at_start() {
	local stale=sandpool-$$-1
	fake_pool "$stale"
	sp_run run "$SPCG" -- "$SP_PROBE" exit {} ::: 0
	sp_is "$SP_RC" 0 "a run with a stale pool next to it" || sp_show_run
	sp_check "a run removes a stale pool (live pid, other start time) when it starts" \
		test ! -d "$TESTCG/$stale"
	sp_check "and kills its process" sp_wait_gone "/proc/$FAKE_PID" 2
	wait "$FAKE_PID" 2>/dev/null
}

main() {
	sp_init
	J=$TMPD/log.json
	test_stop_signal INT 130
	test_stop_signal TERM 143
	test_stop_signal HUP 129
	test_second_sigint
	test_sigkill
	test_gc
	test_gc_at_start
	sp_done
}

main
