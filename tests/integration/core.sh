#!/bin/bash
# core.sh: sandpool run and exec basics: inputs, replacement strings, where
# tasks run (their leaf in the pool), stdin and fds, the job log, exit codes.
# shellcheck source=tests/integration/lib.sh
. "${SP_TESTS_DIR:-$(dirname "$0")/..}/integration/lib.sh"

J=

sorted_out() {
	sort "$TMPD/out" | tr '\n' ' '
}

test_inputs() {
	sp_run run "$SPCG" -j2 -- "$SP_PROBE" print {} ::: a b c
	sp_is "$SP_RC $(sorted_out)" "0 a b c " "::: inputs: one task each, exit 0"
	printf 'x\ny z\n' >"$TMPD/in"
	SP_STDIN=$TMPD/in sp_run run "$SPCG" -j2 -- "$SP_PROBE" print
	sp_is "$SP_RC $(sorted_out)" "0 x y z " "stdin inputs, one per line, appended as one word"
	sp_run run "$SPCG" -- "$SP_PROBE" print 'pre-{}-post' ::: q
	sp_is "$(cat "$TMPD/out")" "pre-q-post" "{} is replaced inside a word"
	sp_run run "$SPCG" -j1 -- "$SP_PROBE" print '{#}:{}' ::: a b c
	sp_is "$(sorted_out)" "1:a 2:b 3:c " "{#} is the task number"
	sp_run run "$SPCG" -j2 -- "$SP_PROBE" print '{1}-{2}' ::: a b ::: 1 2
	sp_is "$SP_RC $(sorted_out)" "0 a-1 a-2 b-1 b-2 " "two ::: groups give every combination"
}

# Inputs from a pipe are read as they come: the first task runs before the
# producer has written the second line (it waits for the first task's flag).
test_streaming() {
	local flag=$TMPD/first-ran
	SP_STDIN=<(
		echo first
		for _ in $(seq 250); do [ -e "$flag" ] && break; sleep 0.02; done
		[ -e "$flag" ] && echo second || echo too-late
	) sp_run run "$SPCG" -j2 -- "$SP_PROBE" touch "$TMPD/{}-ran" print {}
	sp_is "$SP_RC $(sorted_out)" "0 first second " \
		"stdin inputs stream: a task starts before the input ends"
}

test_leaves() {
	local re="^/sandpool-test-$$/sandpool-[0-9]+-[0-9]+/t[0-9]+\$" bad
	sp_run run "$SPCG" -j2 --json "$J" -- "$SP_PROBE" cgroup ::: 1 2 3 4
	bad=$(grep -cvE "$re" "$TMPD/out")
	sp_is "$(wc -l <"$TMPD/out") $bad" "4 0" "every task runs in a t<seq> leaf of a pool under --cgroup"
	[ "$bad" = 0 ] || sp_show_run
	sp_is "$(sort -u "$TMPD/out" | wc -l)" 4 "every task gets its own leaf"
	sp_is "$(jq -r '.cgroup' "$J" | sed "s|^$SP_V2||" | sort | tr '\n' ' ')" \
		"$(sort "$TMPD/out" | tr '\n' ' ')" "the log's cgroup field is the leaf the task ran in"
	sp_is "$(wc -l <"$J")" 4 "one log line per task"
}

# Without --cgroup the pool goes under the coordinator's own cgroup.
test_default_base() {
	local cg=$TESTCG/coord
	mkdir "$cg"
	# shellcheck disable=SC2016 # expanded by that shell
	timeout -k 5 "$SP_GUARD_S" sh -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' \
		sh "$cg" env "SPMARK=$MARK" "$SANDPOOL" run -- "$SP_PROBE" cgroup ::: 1 \
		>"$TMPD/out" 2>"$TMPD/err"
	SP_RC=$?
	sp_check "without --cgroup, the pool is made under our own cgroup" \
		grep -qE "^/sandpool-test-$$/coord/sandpool-[0-9]+-[0-9]+/t1\$" "$TMPD/out" ||
		sp_show_run
	sp_is "$(sp_pools "$cg")" "" "and removed at the end"
}

test_stdin() {
	echo hello >"$TMPD/stdin"
	SP_STDIN=$TMPD/stdin sp_run run "$SPCG" -- "$SP_PROBE" stdin ::: 1
	sp_is "$(cat "$TMPD/out")" /dev/null "run: a task's stdin is /dev/null"
	SP_STDIN=$TMPD/stdin sp_run exec "$SPCG" -- "$SP_PROBE" stdin
	sp_is "$(cat "$TMPD/out")" "$TMPD/stdin" "exec: the task keeps sandpool's stdin"
}

test_fds() {
	{ sp_run run "$SPCG" -- "$SP_PROBE" fds ::: 1; } 3</etc/passwd 7</etc/hostname
	sp_is "$(cat "$TMPD/out")" "0 1 2" "run: fds other than 0-2 are not inherited"
	{ sp_run exec "$SPCG" -- "$SP_PROBE" fds; } 3</etc/passwd 7</etc/hostname
	sp_is "$(cat "$TMPD/out")" "0 1 2" "exec: fds other than 0-2 are not inherited"
}

test_log() {
	local keys='["seq","input","argv","status","exit_code","signal","wall_s","user_s","sys_s","descendants_killed","cgroup","mode"]'
	sp_run run "$SPCG" -j2 --json "$J" -- "$SP_PROBE" exit {} ::: 0 1 0
	sp_is "$(wc -l <"$J")" 3 "the log has one line per task"
	sp_is "$(jq -c --argjson k "$keys" '[$k[] as $x | select(has($x) | not) | $x]' "$J" | sort -u)" \
		"[]" "every log line has every field"
	sp_is "$(jq -r '.seq' "$J" | sort -n | tr '\n' ' ')" "1 2 3 " "seq numbers 1..3"
	sp_is "$(jq -r '.mode' "$J" | sort -u)" cgroup "mode is cgroup"
	sp_is "$(sp_jf "$J" 2 status)/$(sp_jf "$J" 2 exit_code)/$(sp_jf "$J" 2 input)" "failed/1/1" \
		"a failing task: status failed, its exit code and input"
	sp_is "$(jq -c 'select(.seq == 2) | .argv' "$J")" "[\"$SP_PROBE\",\"exit\",\"1\"]" \
		"argv is the expanded command"
	sp_run run "$SPCG" --json "$J" -- "$SP_PROBE" burn {} ::: 0.4
	sp_is "$(jq '.user_s + .sys_s > 0.2 and .user_s > 0' "$J")" true \
		"user_s from the leaf's cpu.stat counts a CPU-burning task" || sp_diag "$(cat "$J")"
}

test_exit_codes() {
	sp_run run "$SPCG" -j2 -- "$SP_PROBE" exit {} ::: 0 1 2 0 3 0
	sp_is "$SP_RC" 3 "run's exit status is the number of failed tasks"
	# shellcheck disable=SC2046 # one input per number
	sp_run run "$SPCG" -j2 -q -- "$SP_PROBE" exit 1 ::: $(seq 101)
	sp_is "$SP_RC" 101 "101 failed tasks: exit status 101"
	sp_run run "$SPCG" -- "$SP_PROBE" exit 0 ::: 1 2
	sp_is "$SP_RC" 0 "all ok: exit status 0"
}

test_json_escaping() {
	printf 'a"b\\c\0tab\there\0nl\nx\0\001ctl\0' >"$TMPD/in"
	SP_STDIN=$TMPD/in sp_run run "$SPCG" -0 -j1 --json "$J" -- "$SP_PROBE" print
	sp_is "$(jq -c '.input' "$J" 2>&1 | tr '\n' ' ')" \
		'"a\"b\\c" "tab\there" "nl\nx" "\u0001ctl" ' \
		"the log escapes quotes, backslashes, tabs, newlines, control characters" || sp_show_run
}

test_statuses() {
	sp_run run "$SPCG" --json "$J" -- "$SP_PROBE" segv ::: 1
	sp_is "$SP_RC/$(sp_jf "$J" 1 status)/$(sp_jf "$J" 1 signal)/$(jq .exit_code "$J")" \
		"1/signaled/SIGSEGV/null" "a task killed by SIGSEGV: signaled, signal SIGSEGV, exit_code null"
	sp_run run "$SPCG" -j1 --timeout 1s --json "$J" -- "$SP_PROBE" sleep {} ::: 0.6 0.6 0.6
	sp_is "$SP_RC $(jq -r .status "$J" | tr '\n' ' ')" "0 ok ok ok " \
		"-j1 --timeout 1s, three 0.6 s tasks: each task gets its own timeout"
	sp_run run "$SPCG" --timeout 300ms --grace 0 --json "$J" -- "$SP_PROBE" ignterm sleep {} ::: inf
	sp_is "$(sp_jf "$J" 1 status)/$(sp_jf "$J" 1 signal)" "timeout/SIGKILL" "--grace 0: killed at the timeout"
	sp_cmp "$SP_WALL_MS" -lt 1500 "--grace 0: no grace period (${SP_WALL_MS} ms)"
}

# Found in review: exec keeps the terminal's process group, so a task that
# reads the terminal is not stopped by SIGTTIN; fds 0-2 closed at start.
test_terminal_and_closed_stdio() {
	if command -v script >/dev/null; then
		SP_GUARD_S=20 sp_run exec "$SPCG" --timeout 5s -- true
		printf 'abc' >"$TMPD/typed"
		timeout 20 script -qec "$SANDPOOL exec $SPCG --timeout 5s -- head -c 3" /dev/null \
			<"$TMPD/typed" >"$TMPD/tty.out" 2>&1
		sp_is "$?/$(tr -d '\r' <"$TMPD/tty.out" | grep -c abc)" "0/1" \
			"exec on a terminal: the task reads the terminal (no SIGTTIN stop)"
	else
		sp_not_ok "exec on a terminal: script(1) is needed (bsdutils)"
	fi
	timeout 20 env "SPMARK=$MARK" "$SANDPOOL" run "$SPCG" -q -- true ::: a b <&- >"$TMPD/o" 2>&1
	sp_is "$?" 0 "run with stdin closed at start works"
}

main() {
	sp_init
	J=$TMPD/log.json
	test_inputs
	test_streaming
	test_leaves
	test_default_base
	test_stdin
	test_fds
	test_log
	test_json_escaping
	test_statuses
	test_exit_codes
	test_terminal_and_closed_stdio
	sp_done
}

main
