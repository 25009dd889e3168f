#!/bin/bash
# modes.sh: the other ways sandpool runs: process-group mode (--no-cgroup),
# the fork + move spawn fallback, freeze + SIGKILL where cgroup.kill is
# missing, and an unprivileged user in a delegated subtree.
# shellcheck source=tests/integration/lib.sh
. "${SP_TESTS_DIR:-$(dirname "$0")/..}/integration/lib.sh"

J=
TEST_USER=sandpool-test

sj() { # SEQ FIELD...: "a/b/c" of the fields of task SEQ
	local seq=$1 out="" f
	shift
	for f in "$@"; do
		out+="$(sp_jf "$J" "$seq" "$f")/"
	done
	echo "${out%/}"
}

test_no_cgroup() {
	sp_run run --no-cgroup --json "$J" -- "$SP_PROBE" print {} ::: a
	sp_is "$SP_RC/$(sj 1 status mode)" "0/ok/process-group" "--no-cgroup: ok, the log says mode process-group" ||
		sp_show_run
	sp_run run --no-cgroup -j2 --timeout 1s --grace 300ms --json "$J" \
		-- "$SP_PROBE" ignterm children 3 sleep {} ::: inf inf
	sp_is "$SP_RC/$(sj 1 status signal)/$(sj 2 status signal)" "2/timeout/SIGKILL/timeout/SIGKILL" \
		"--no-cgroup: a timeout kills SIGTERM-ignoring tasks" || sp_show_run
	sp_cmp "$SP_WALL_MS" -lt 4000 "--no-cgroup: within bounds (${SP_WALL_MS} ms)"
	sp_no_survivors "--no-cgroup: their process groups are killed too"
	sp_run run --no-cgroup --json "$J" -- "$SP_PROBE" daemon {} ::: inf
	sp_is "$SP_RC/$(sj 1 status)" "0/ok" "--no-cgroup: a task leaving a setsid daemon: ok"
	sp_no_survivors "--no-cgroup: the daemon is killed by the end of the run"
	sp_run run --no-cgroup --json "$J" -- "$SP_PROBE" cgroup ::: 1
	sp_is "$(cat "$TMPD/out")/$(sj 1 cgroup)" "$(sed -n 's/^0:://p' /proc/self/cgroup)/" \
		"--no-cgroup: the task stays in sandpool's cgroup, no leaf in the log"
}

# The tasks' process groups must not outlive a SIGKILLed coordinator either:
# only daemons that leave their group are documented to escape this mode.
test_no_cgroup_sigkill() {
	local ready=$TMPD/ready.pg t0 pids
	rm -f "$ready"
	sp_start run --no-cgroup -- "$SP_PROBE" ignterm children 3 touch "$ready" sleep {} ::: inf
	if ! sp_wait_files 10 "$ready"; then
		sp_not_ok "--no-cgroup: the task started" "$(cat "$TMPD/err")"
	fi
	kill -KILL "$SP_PID"
	wait "$SP_PID" 2>/dev/null
	t0=$(sp_now_ms)
	while pids=$(sp_marked_pids) && [ -n "$pids" ] && [ $(($(sp_now_ms) - t0)) -lt 1000 ]; do
		sleep 0.02
	done
	sp_is "$(echo "$pids" | wc -w)" 0 \
		"--no-cgroup: SIGKILL of the coordinator: the task and its process group die within 1 s"
	sp_kill_marked
}

test_fork_spawn() {
	local re="^/sandpool-test-$$/sandpool-[0-9]+-[0-9]+/t[12]\$"
	sp_run run "$SPCG" --spawn-method=fork -j2 --timeout 1s --grace 300ms --json "$J" \
		-- "$SP_PROBE" cgroup ignterm children 5 daemon inf sleep {} ::: inf inf
	sp_is "$SP_RC/$(sj 1 status signal)/$(sj 2 status signal)" "2/timeout/SIGKILL/timeout/SIGKILL" \
		"--spawn-method=fork: timeouts end SIGTERM-ignoring tasks" || sp_show_run
	sp_is "$(grep -cE "$re" "$TMPD/out")" 2 "--spawn-method=fork: each task starts in its leaf"
	sp_cmp "$(sj 1 descendants_killed)" -ge 6 "--spawn-method=fork: descendants counted ($(sj 1 descendants_killed))"
	sp_cmp "$SP_WALL_MS" -lt 4000 "--spawn-method=fork: within bounds (${SP_WALL_MS} ms)"
	sp_no_survivors "--spawn-method=fork: no survivor"
	sp_run run "$SPCG" --spawn-method=fork --json "$J" -- "$SP_PROBE" daemon {} ::: inf
	sp_is "$SP_RC/$(sj 1 status)" "0/ok" "--spawn-method=fork: a task leaving a daemon: ok"
	sp_cmp "$(sj 1 descendants_killed)" -ge 1 "--spawn-method=fork: the daemon is killed"
	sp_no_survivors "--spawn-method=fork: no daemon survives"
	sp_no_pools "--spawn-method=fork: no pool cgroup left"
}

test_freeze_kill() {
	local ready=$TMPD/ready.freeze
	sp_run run "$SPCG" --kill-method=freeze --timeout 1s --grace 200ms --json "$J" \
		-- "$SP_PROBE" ignterm children 49 touch "$ready" sleep {} ::: inf
	sp_check "--kill-method=freeze: the 50-process tree was complete" test -e "$ready"
	sp_is "$SP_RC/$(sj 1 status signal)" "1/timeout/SIGKILL" \
		"--kill-method=freeze: 50 SIGTERM-ignoring processes die on timeout" || sp_show_run
	sp_cmp "$(sj 1 descendants_killed)" -ge 48 "--kill-method=freeze: descendants counted ($(sj 1 descendants_killed))"
	sp_cmp "$SP_WALL_MS" -lt 4000 "--kill-method=freeze: within bounds (${SP_WALL_MS} ms)"
	sp_no_survivors "--kill-method=freeze: no survivor"
	sp_run run "$SPCG" --kill-method=freeze --json "$J" -- "$SP_PROBE" daemon {} ::: inf
	sp_is "$SP_RC/$(sj 1 status)" "0/ok" "--kill-method=freeze: a task leaving a daemon: ok"
	sp_no_survivors "--kill-method=freeze: the daemon is killed"
	sp_no_pools "--kill-method=freeze: no pool cgroup left"
}

# --- delegation ----------------------------------------------------------------

ensure_user() {
	id "$TEST_USER" >/dev/null 2>&1 ||
		useradd --system --no-create-home --home-dir /nonexistent \
			--shell /usr/sbin/nologin "$TEST_USER"
}

# delegate DIR: make DIR a subtree the test user owns, as systemd's Delegate=.
delegate() {
	mkdir "$1" &&
		chown "$TEST_USER" "$1" "$1/cgroup.procs" "$1/cgroup.subtree_control" "$1/cgroup.threads"
}

# as_user_in CGDIR CMD...: as root, enter CGDIR, then become the test user.
as_user_in() {
	local cg=$1
	shift
	# shellcheck disable=SC2016 # expanded by that shell
	timeout -k 5 "$SP_GUARD_S" sh -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' sh "$cg" \
		setpriv --reuid="$(id -u "$TEST_USER")" --regid="$(id -g "$TEST_USER")" --init-groups \
		env "SPMARK=$MARK" "$@"
}

test_delegated() {
	local d=$TESTCG/deleg udir=$TMPD/u
	if ! ensure_user || ! delegate "$d" || ! mkdir "$d/coord"; then
		sp_not_ok "delegated subtree for $TEST_USER" "cannot create the user or the subtree"
		return
	fi
	chmod 711 "$TMPD"
	mkdir "$udir" && chown "$TEST_USER" "$udir"
	as_user_in "$d/coord" "$SANDPOOL" run --cgroup="$d" -j2 --timeout 1s --grace 200ms \
		--json "$udir/log.json" -- "$SP_PROBE" cgroup ignterm children 3 daemon inf sleep {} ::: inf inf \
		>"$TMPD/out" 2>"$TMPD/err"
	SP_RC=$?
	J=$udir/log.json
	sp_is "$SP_RC/$(sj 1 status)/$(sj 2 status)" "2/timeout/timeout" \
		"as $TEST_USER in a delegated subtree: run --cgroup=<subtree> with a timeout" || sp_show_run
	sp_is "$(grep -cE "^/sandpool-test-$$/deleg/sandpool-[0-9]+-[0-9]+/t[12]\$" "$TMPD/out")" 2 \
		"delegated: the tasks ran in leaves of a pool inside the subtree"
	sp_no_survivors "delegated: nothing left running"
	sp_is "$(sp_pools "$d")" "" "delegated: no pool cgroup left in the subtree"
	test_delegated_own "$d"
	test_delegated_outside "$d"
	J=$TMPD/log.json
}

# From outside the subtree the user cannot start tasks in it (the common
# ancestor is root's): a clear refusal, and the pool it made is removed.
test_delegated_outside() {
	local d=$1
	timeout -k 5 "$SP_GUARD_S" setpriv --reuid="$(id -u "$TEST_USER")" \
		--regid="$(id -g "$TEST_USER")" --init-groups env "SPMARK=$MARK" \
		"$SANDPOOL" run --cgroup="$d" -- true ::: 1 </dev/null >"$TMPD/out" 2>"$TMPD/err"
	SP_RC=$?
	sp_is "$SP_RC" 252 "delegated subtree used from outside it: exit 252" || sp_show_run
	sp_check "the message names the ancestor's cgroup.procs and the errno" \
		grep -q "$SP_V2/cgroup.procs.*Permission denied" "$TMPD/err"
	sp_diag "$(head -n 1 "$TMPD/err")"
	sp_is "$(sp_pools "$d")" "" "delegated subtree used from outside: no pool left in it"
}

# The coordinator started in the delegated cgroup itself (as systemd-run
# --scope -p Delegate=yes does), without --cgroup; then SIGKILLed.
test_delegated_own() {
	local d=$1 udir=$TMPD/u pool
	rm -f "$udir"/ready.*
	as_user_in "$d" "$SANDPOOL" run -j2 --grace 200ms --json "$udir/log.json" \
		-- "$SP_PROBE" ignterm daemon inf touch "$udir/ready.{}" sleep inf ::: 1 2 \
		>"$TMPD/out" 2>"$TMPD/err" &
	SP_PID=$!
	if ! sp_wait_files 10 "$udir/ready.1" "$udir/ready.2"; then
		sp_not_ok "delegated, own cgroup: the tasks started" "$(cat "$TMPD/err")"
		kill -TERM "$SP_PID"
		sp_wait_bg "$SP_PID" 10
		return
	fi
	pool=$(sp_pools "$d")
	sp_check "delegated, own cgroup: the pool is made in the subtree without --cgroup" test -n "$pool"
	sp_kill_coordinator_in "$d"
	sp_wait_bg "$SP_PID" 10
	sp_no_survivors "delegated, coordinator SIGKILLed: the warden leaves nothing running" 2
	sp_is "$(sp_pools "$d")" "" "delegated, coordinator SIGKILLed: its pool is removed"
}

# SIGKILL the sandpool coordinator (not its warden) running in cgroup DIR.
sp_kill_coordinator_in() {
	local pid
	while read -r pid; do
		[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = sandpool ] && kill -KILL "$pid"
	done <"$1/cgroup.procs"
}

main() {
	sp_init
	J=$TMPD/log.json
	test_no_cgroup
	test_no_cgroup_sigkill
	test_fork_spawn
	test_freeze_kill
	test_delegated
	sp_done
}

main
