#!/bin/bash
# badinput.sh: bad command lines, missing or unrunnable commands and unusable
# --cgroup paths give the documented exit status, a message that says what is
# wrong, and no leftover cgroup; exec passes statuses through as timeout(1).
# shellcheck source=tests/integration/lib.sh
. "${SP_TESTS_DIR:-$(dirname "$0")/..}/integration/lib.sh"

J=

# usage_error EXPECTED_RC WORD NAME ARGS...: sandpool ARGS exits EXPECTED_RC,
# its message names WORD, and it leaves no pool.
usage_error() {
	local rc=$1 word=$2 name=$3
	shift 3
	sp_run "$@"
	sp_is "$SP_RC" "$rc" "$name: exit $rc" || sp_show_run
	sp_check "$name: the message names $word" grep -qF -e "$word" "$TMPD/err" ||
		sp_show_run
	sp_no_pools "$name: no pool cgroup left"
}

test_usage() {
	usage_error 254 "--bogus" "unknown option" run "$SPCG" --bogus -- true ::: 1
	usage_error 125 "--bogus" "exec, unknown option (timeout(1)'s 125)" exec "$SPCG" --bogus -- true
	usage_error 254 "--timeout" "bad duration --timeout 5x" run "$SPCG" --timeout 5x -- true ::: 1
	usage_error 254 "--grace" "bad duration --grace -1s" run "$SPCG" --grace -1s -- true ::: 1
	usage_error 254 "-j" "-j 0" run "$SPCG" -j 0 -- true ::: 1
	usage_error 254 "--descendants" "--descendants=maybe" run "$SPCG" --descendants=maybe -- true ::: 1
	usage_error 254 "no command" "run without a command" run "$SPCG"
	usage_error 254 "frobnicate" "unknown subcommand" frobnicate
	usage_error 254 "/nonexistent/log.json" "unwritable --json file" \
		run "$SPCG" --json /nonexistent/log.json -- true ::: 1
}

test_not_found() {
	sp_run run "$SPCG" --json "$J" -- sp-no-such-command-$$ ::: 1
	sp_is "$SP_RC/$(sp_jf "$J" 1 status)" "1/spawn-error" "run, missing command: status spawn-error" ||
		sp_show_run
	sp_check "run, missing command: the log says command not found" \
		grep -q "command not found" <<<"$(sp_jf "$J" 1 error)"
	sp_check "run, missing command: so does stderr" grep -q "command not found" "$TMPD/err"
	sp_run run "$SPCG" -j1 --json "$J" -- sp-no-such-command-$$ ::: 1 2 3
	sp_is "$SP_RC $(sp_jcount "$J" '.status == "spawn-error"')" "3 3" \
		"-j1, three tasks that cannot start: three spawn-errors, none dropped" || sp_show_run
	sp_run exec "$SPCG" -- sp-no-such-command-$$
	sp_is "$SP_RC" 127 "exec, missing command: 127"
	printf '#!/bin/sh\nexit 0\n' >"$TMPD/noexec"
	chmod 644 "$TMPD/noexec"
	sp_run exec "$SPCG" -- "$TMPD/noexec"
	sp_is "$SP_RC" 126 "exec, a file without execute permission: 126"
	sp_run run "$SPCG" --json "$J" -- "$TMPD/noexec" ::: 1
	sp_is "$SP_RC/$(sp_jf "$J" 1 status)" "1/spawn-error" "run, not executable: spawn-error"
	sp_run exec "$SPCG" -- "$TMPD"
	sp_is "$SP_RC" 126 "exec, a directory: 126"
	sp_no_pools "missing commands: no pool cgroup left"
}

test_bad_cgroup() {
	local missing=$SP_V2/does/not/exist
	sp_run run --cgroup="$missing" -- true ::: 1
	sp_is "$SP_RC" 252 "--cgroup=<nonexistent>: exit 252" || sp_show_run
	sp_check "the message names the path" grep -qF "$missing" "$TMPD/err"
	sp_check "the message has the errno text" grep -q "No such file or directory" "$TMPD/err"
	sp_check "the message has a hint" grep -q "hint:" "$TMPD/err"
	sp_check "nothing was created on the way" test ! -e "$SP_V2/does"
	sp_run run --cgroup=/tmp -- true ::: 1
	sp_is "$SP_RC" 252 "--cgroup=/tmp (not cgroup2): exit 252" || sp_show_run
	sp_check "the message for /tmp says which path was tried" grep -q "/tmp" "$TMPD/err"
	sp_check "nothing was created in /tmp" test -z "$(find /tmp -maxdepth 1 -name 'sandpool-[0-9]*' -newer "$TMPD/mark")"
	test_unwritable_cgroup
}

# Our test cgroup is root's: another user cannot make a pool there.
test_unwritable_cgroup() {
	SP_STDIN=/dev/null timeout -k 5 "$SP_GUARD_S" setpriv --reuid=nobody --regid=nogroup \
		--clear-groups env "SPMARK=$MARK" "$SANDPOOL" run "$SPCG" -- true ::: 1 \
		>"$TMPD/out" 2>"$TMPD/err"
	SP_RC=$?
	sp_is "$SP_RC" 252 "--cgroup=<root's cgroup> as nobody: exit 252" || sp_show_run
	sp_check "the message names the cgroup" grep -qF "$TESTCG" "$TMPD/err"
	sp_check "the message has the errno text" grep -q "Permission denied" "$TMPD/err"
	sp_check "the message says how to fix it" grep -q "deleg" "$TMPD/err"
	sp_no_pools "unwritable --cgroup: no pool cgroup left"
}

test_exec_status() {
	sp_run exec "$SPCG" -- "$SP_PROBE" exit 3
	sp_is "$SP_RC" 3 "exec passes the exit status through (3)"
	sp_run exec "$SPCG" -- "$SP_PROBE" exit 0
	sp_is "$SP_RC" 0 "exec passes 0 through"
	sp_run exec "$SPCG" -- "$SP_PROBE" segv
	sp_is "$SP_RC" 139 "exec: killed by SIGSEGV: 139"
	sp_run exec "$SPCG" --timeout 500ms -- "$SP_PROBE" sleep inf
	sp_is "$SP_RC" 124 "exec timeout: 124"
	sp_run exec "$SPCG" --timeout 500ms --grace 200ms -- "$SP_PROBE" ignterm sleep inf
	sp_is "$SP_RC" 124 "exec timeout of a task ignoring SIGTERM: 124"
	sp_cmp "$SP_WALL_MS" -lt 3000 "and it ends within bounds (${SP_WALL_MS} ms)"
	sp_run exec "$SPCG" -- "$SP_PROBE" print "a b" print 'c{}d'
	sp_is "$(tr '\n' '|' <"$TMPD/out")" "a b|c{}d|" "exec passes its words through untouched"
}

main() {
	sp_init
	J=$TMPD/log.json
	test_usage
	test_not_found
	test_bad_cgroup
	test_exec_status
	sp_done
}

main
