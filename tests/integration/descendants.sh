#!/bin/bash
# descendants.sh: a task whose main process exits but leaves descendants
# behind (setsid daemon, double fork, nohup): killed and counted by default,
# waited for with --descendants=wait, bounded by --timeout.
# shellcheck source=tests/integration/lib.sh
. "${SP_TESTS_DIR:-$(dirname "$0")/..}/integration/lib.sh"

J=

# Three ways to leave a daemon that ignores SIGTERM (or SIGHUP) and exit 0.
SETSID_TASK='setsid sh -c "trap \"\" TERM; sleep 600" </dev/null >/dev/null 2>&1 & exit 0'
NOHUP_TASK='nohup sleep 600 </dev/null >/dev/null 2>&1 & exit 0'

check_left_behind() { # SEQ WHAT
	sp_is "$(sp_jf "$J" "$1" status)/$(sp_jf "$J" "$1" exit_code)" "ok/0" "$2: status ok, exit 0"
	sp_cmp "$(sp_jf "$J" "$1" descendants_killed)" -ge 1 "$2: descendants_killed >= 1"
}

test_kill() {
	# shellcheck disable=SC2016 # expanded by the task's shell
	sp_run run "$SPCG" -j3 --json "$J" -- sh -c '
		case $1 in
		setsid) eval "$2" ;;
		double-fork) exec "$3" daemon inf ;;
		nohup) eval "$4" ;;
		esac' sh {} "$SETSID_TASK" "$SP_PROBE" "$NOHUP_TASK" ::: setsid double-fork nohup
	sp_is "$SP_RC" 0 "tasks leaving daemons: run exits 0" || sp_show_run
	check_left_behind 1 "setsid + trap '' TERM daemon"
	check_left_behind 2 "double-fork + setsid daemon ignoring TERM and HUP"
	check_left_behind 3 "nohup"
	sp_cmp "$SP_WALL_MS" -lt 3000 "the run does not wait for the daemons (${SP_WALL_MS} ms)"
	sp_no_survivors "no daemon survives"
	sp_no_pools "no pool cgroup left after the daemons"
}

test_wait() {
	sp_run run "$SPCG" --descendants=wait --json "$J" -- "$SP_PROBE" daemon {} ::: 1
	sp_is "$SP_RC/$(sp_jf "$J" 1 status)" "0/ok" "--descendants=wait, a daemon exiting after 1 s: ok" ||
		sp_show_run
	sp_is "$(jq '.wall_s >= 0.95' "$J")" true "--descendants=wait waits for it (wall_s $(sp_jf "$J" 1 wall_s))"
	sp_cmp "$SP_WALL_MS" -ge 950 "and so does the run (${SP_WALL_MS} ms)"
	sp_no_survivors "--descendants=wait: nothing left"
}

test_wait_timeout() {
	sp_run run "$SPCG" --descendants=wait --timeout 1s --grace 300ms --json "$J" \
		-- "$SP_PROBE" daemon {} ::: inf
	sp_is "$SP_RC/$(sp_jf "$J" 1 status)" "1/timeout" \
		"--descendants=wait --timeout 1s, a daemon that never exits: timeout" || sp_show_run
	sp_cmp "$SP_WALL_MS" -lt 4000 "ends within bounds (${SP_WALL_MS} ms)"
	sp_cmp "$(sp_jf "$J" 1 descendants_killed)" -ge 1 "the daemon is counted as killed"
	sp_no_survivors "--descendants=wait --timeout: nothing left"
	sp_no_pools "--descendants=wait --timeout: no pool cgroup left"
}

# A task (root here) may make cgroups inside its leaf and leave a daemon in
# one: cgroup.kill of the leaf reaches it; it must be counted too.
test_nested_cgroup() {
	# shellcheck disable=SC2016 # expanded by the task's shell
	sp_run run "$SPCG" --json "$J" -- sh -c '
		leaf=$1$(sed -n "s/^0:://p" /proc/self/cgroup)
		mkdir "$leaf/sub" || exit 9
		sh -c "echo \$\$ >\"$leaf/sub/cgroup.procs\" && exec \"\$0\" ignterm touch \"\$1\" sleep inf" \
			"$2" "$3" &
		while [ ! -e "$3" ]; do sleep 0.01; done
		exit 0' sh "$SP_V2" "$SP_PROBE" "$TMPD/ready.{}" ::: nested
	sp_is "$SP_RC/$(sp_jf "$J" 1 status)" "0/ok" "a daemon in a cgroup nested in the leaf: ok" || sp_show_run
	sp_no_survivors "the daemon in the nested cgroup is killed"
	sp_no_pools "the nested cgroup and the leaf are removed"
	sp_cmp "$(sp_jf "$J" 1 descendants_killed)" -ge 1 \
		"the daemon in the nested cgroup is counted in descendants_killed"
}

main() {
	sp_init
	J=$TMPD/log.json
	test_kill
	test_wait
	test_wait_timeout
	test_nested_cgroup
	sp_done
}

main
