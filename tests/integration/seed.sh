#!/bin/bash
# seed.sh: the three programs of ../shared/seed (a multiprocessing.Pool that
# hangs) as sandpool tasks: each must end in bounded time with the right status.
# shellcheck source=tests/integration/lib.sh
. "${SP_TESTS_DIR:-$(dirname "$0")/..}/integration/lib.sh"

J=
# shellcheck disable=SC2016 # these are programs, expanded by their own shell
{
	PY_EXIT1='import sys
rank = int(sys.argv[1])
if rank == 0:
    print("hi from rank 0", flush=True)
else:
    sys.exit(1)'
	SH_EXIT1='if [ "$1" = 0 ]; then echo "hi from rank 0"; else exit 1; fi'
	PY_HANG='import sys, time
rank = int(sys.argv[1])
if rank == 2:
    time.sleep(600)
print("hi from rank", rank, flush=True)'
	SH_HANG='[ "$1" = 2 ] && sleep 600; echo "hi from rank $1"'
	PY_STUBBORN='import signal, sys, time
rank = int(sys.argv[1])
if rank == 0:
    print("hi from rank 0", flush=True)
else:
    signal.signal(signal.SIGTERM, lambda signum, frame: None)
    time.sleep(600)'
	SH_STUBBORN='if [ "$1" = 0 ]; then echo "hi from rank 0"; else trap "" TERM; sleep 600; fi'
}

# task PY SH: the words of a task running one of the programs with rank {}.
TASK=()
use_python() {
	[ -z "${SP_SEED_SH:-}" ] && command -v python3 >/dev/null
}

task() {
	if use_python; then
		TASK=(python3 -c "$1" {})
	else
		TASK=(sh -c "$2" sh {})
	fi
}

status_of() {
	echo "$(sp_jf "$J" "$1" status)/$(sp_jf "$J" "$1" exit_code)/$(sp_jf "$J" "$1" signal)"
}

# The first program: rank 1 exits 1 and Pool.map waits for ever.
test_exit1() {
	task "$PY_EXIT1" "$SH_EXIT1"
	sp_run run "$SPCG" -j2 --timeout 30s --json "$J" -- "${TASK[@]}" ::: 0 1
	sp_is "$SP_RC" 1 "sys.exit(1) in one task: run exits 1 (one failed task)" || sp_show_run
	sp_is "$(status_of 1)" "ok/0/" "rank 0: ok"
	sp_is "$(status_of 2)" "failed/1/" "rank 1: failed, exit code 1"
	sp_is "$(cat "$TMPD/out")" "hi from rank 0" "rank 0's output is passed through"
	sp_no_survivors "sys.exit(1): nothing left running"
}

# The second: map_async with a timeout, one rank hangs (it does not ignore TERM).
test_hang() {
	task "$PY_HANG" "$SH_HANG"
	sp_run run "$SPCG" -j2 --timeout 2s --grace 500ms --json "$J" -- "${TASK[@]}" ::: 0 1 2 3
	sp_is "$SP_RC" 1 "a batch where one rank hangs: one task did not end ok" || sp_show_run
	sp_is "$(status_of 3)" "timeout//SIGTERM" "the hanging rank: timeout, ended by SIGTERM"
	sp_is "$(jq -r 'select(.seq != 3) | .status' "$J" | sort | uniq -c | tr -s ' ')" \
		" 3 ok" "the other ranks: ok"
	sp_cmp "$SP_WALL_MS" -lt 6000 "the batch ends within bounds (${SP_WALL_MS} ms for a 2 s timeout)"
	sp_no_survivors "hanging rank: nothing left running"
}

# The third: the task ignores SIGTERM and sleeps 600 s; terminate() cannot end it.
test_stubborn() {
	task "$PY_STUBBORN" "$SH_STUBBORN"
	sp_run run "$SPCG" -j2 --timeout 1s --grace 500ms --json "$J" -- "${TASK[@]}" ::: 0 1
	sp_is "$SP_RC" 1 "a task ignoring SIGTERM: one task did not end ok" || sp_show_run
	sp_is "$(status_of 1)" "ok/0/" "rank 0: ok"
	sp_is "$(status_of 2)" "timeout//SIGKILL" "the stubborn rank: timeout, killed by SIGKILL"
	sp_cmp "$SP_WALL_MS" -lt 5000 "it ends in under 5 s (${SP_WALL_MS} ms)"
	sp_cmp "$SP_WALL_MS" -ge 1400 "after the timeout and the grace period"
	sp_no_survivors "stubborn rank: nothing left running"
	sp_no_pools "stubborn rank: no pool cgroup left"
}

main() {
	sp_init
	J=$TMPD/log.json
	if use_python; then
		sp_diag "tasks in python3"
	else
		sp_diag "no python3 (or SP_SEED_SH set): the sh versions of the tasks"
	fi
	test_exit1
	test_hang
	test_stubborn
	sp_done
}

main
