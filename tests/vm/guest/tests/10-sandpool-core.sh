# sandpool's core kill/timeout scenarios on the VM's kernel (6.1), as root,
# through the real CLI: statuses, --timeout on a task ignoring SIGTERM, a
# setsid daemon left behind, a SIGTERM-proof process tree, exec's exit codes,
# SIGKILL of the coordinator.
# shellcheck shell=sh
# shellcheck source=tests/vm/guest/lib.sh
. /vm/lib.sh
W=/tmp/sp-core
mkdir -p $W

statuses() {
	j=$W/statuses.json
	# shellcheck disable=SC2016 # $0 is the input, for the task's shell
	sp run --json $j -- sh -c 'exit $0' ::: 0 3
	sp_records $j || return
	ok=$(jrec $j input 0)
	bad=$(jrec $j input 3)
	if [ "$(jval "$ok" status)" = ok ] && [ "$(jval "$bad" status)" = failed ] &&
		[ "$(jval "$bad" exit_code)" = 3 ] && [ "$SP_RC" -eq 1 ]; then
		pass "$t" "exit $SP_RC; mode=$(jval "$ok" mode), statuses ok and failed (exit_code 3)"
		diag "without a policy: memory_peak_bytes=$(jval "$ok" memory_peak_bytes), cgroup=$(jval "$ok" cgroup)"
	else
		fail "$t" "exit $SP_RC (want 1); input 0: $(rec_summary "$ok"); input 3: $(rec_summary "$bad")"
	fi
}
sptest sandpool-run-statuses statuses

sigterm_ignored() {
	j=$W/timeout.json
	start=$(now_ms)
	sp run --timeout 1s --grace 300ms --json $j -- sh -c "trap '' TERM; sleep 611" ::: x
	ms=$(($(now_ms) - start))
	sp_records $j || return
	rec=$(jrec $j input x)
	left=$(survivors 'sleep 611' sleep)
	if [ "$(jval "$rec" status)" = timeout ] && [ -z "$left" ] && [ "$ms" -lt 5000 ]; then
		pass "$t" "status timeout, wall_s=$(jval "$rec" wall_s), sandpool took $ms ms, no survivor"
	else
		fail "$t" "$(rec_summary "$rec") (want timeout); sandpool took $ms ms (want < 5000); survivors: ${left:-none}"
	fi
	for p in $left; do kill -9 "$p"; done
}
sptest sandpool-timeout-sigterm-ignored sigterm_ignored

setsid_daemon() {
	j=$W/daemon.json
	sp run --json $j -- sh -c 'setsid sh -c "trap \"\" TERM; exec sleep 612" & echo started' ::: d
	sp_records $j || return
	usleep 200000
	rec=$(jrec $j input d)
	left=$(survivors 'sleep 612' sleep)
	killed=$(jval "$rec" descendants_killed)
	if [ "$(jval "$rec" status)" = ok ] && [ -z "$left" ] && [ "${killed:-0}" -ge 1 ] 2>/dev/null; then
		pass "$t" "status ok, descendants_killed=$killed, no survivor"
	else
		fail "$t" "$(rec_summary "$rec") descendants_killed=${killed:-missing} (want >= 1); survivors: ${left:-none}"
	fi
	for p in $left; do kill -9 "$p"; done
}
sptest sandpool-setsid-daemon-killed setsid_daemon

tree_timeout() {
	j=$W/tree.json
	start=$(now_ms)
	sp run --timeout 2s --grace 200ms --json $j -- sh -c "trap '' TERM; exec sp-forkbomb 300 613" ::: tree
	ms=$(($(now_ms) - start))
	sp_records $j || return
	rec=$(jrec $j input tree)
	left=$(survivors 'sp-forkbomb 300 613' sp-forkbomb | wc -l)
	if [ "$(jval "$rec" status)" = timeout ] && [ "$left" -eq 0 ]; then
		pass "$t" "301 SIGTERM-proof processes: status timeout, descendants_killed=$(jval "$rec" descendants_killed), sandpool took $ms ms, no survivor"
	else
		fail "$t" "$(rec_summary "$rec") (want timeout); $left survivors; sandpool took $ms ms"
	fi
	for p in $(survivors 'sp-forkbomb 300 613' sp-forkbomb); do kill -9 "$p"; done
}
sptest sandpool-tree-timeout tree_timeout

exec_codes() {
	got=
	sp exec -- sh -c 'exit 7'
	got="$got $SP_RC"
	sp exec --timeout 1s --grace 200ms -- sh -c "trap '' TERM; sleep 614"
	got="$got $SP_RC"
	sp exec -- /nonexistent/command
	got="$got $SP_RC"
	sp exec -- sh -c 'kill -9 $$'
	got="$got $SP_RC"
	if [ "$got" = " 7 124 127 137" ]; then
		pass "$t" "exit codes$got (exit 7, timeout, not found, SIGKILL)"
	else
		fail "$t" "exit codes$got, want 7 124 127 137 (exit 7, timeout, not found, SIGKILL); $(sp_why)"
	fi
	for p in $(survivors 'sleep 614' sleep); do kill -9 "$p"; done
}
sptest sandpool-exec-exit-codes exec_codes

coordinator_sigkill() {
	before=$(cg_list)
	"$SANDPOOL" run --timeout 60s -- sh -c 'sleep 615' ::: a b >$W/kill.out 2>&1 &
	pid=$!
	usleep 700000
	n=$(survivors 'sleep 615' sleep | wc -l)
	kill -9 $pid
	wait $pid 2>/dev/null
	usleep 1000000
	left=$(survivors 'sleep 615' sleep)
	sp gc
	after=$(cg_list)
	if [ "$n" -eq 2 ] && [ -z "$left" ] && [ "$before" = "$after" ]; then
		pass "$t" "2 tasks running, none 1 s after SIGKILL of sandpool; gc left the cgroup tree as before"
	else
		fail "$t" "$n tasks seen running (want 2); survivors 1 s after SIGKILL: ${left:-none}; new cgroups after gc (exit $SP_RC): $(echo "$after" | grep -vxF "$before" | tr '\n' ' ')"
		diag_file $W/kill.out
	fi
	for p in $left; do kill -9 "$p"; done
}
sptest sandpool-coordinator-sigkill coordinator_sigkill

coordinator_sigint() {
	before=$(cg_list)
	"$SANDPOOL" run --grace 300ms -- sh -c "trap '' TERM; sleep 616" ::: a b >$W/int.out 2>&1 &
	pid=$!
	usleep 700000
	n=$(survivors 'sleep 616' sleep | wc -l)
	start=$(now_ms)
	kill -INT $pid
	wait $pid
	rc=$?
	ms=$(($(now_ms) - start))
	left=$(survivors 'sleep 616' sleep)
	after=$(cg_list)
	if [ "$n" -eq 2 ] && [ "$rc" -eq 130 ] && [ -z "$left" ] && [ "$before" = "$after" ]; then
		pass "$t" "2 SIGTERM-proof tasks; SIGINT: exit 130 after $ms ms, no process, no cgroup left"
	else
		fail "$t" "$n tasks seen running (want 2); SIGINT: exit $rc (want 130) after $ms ms; survivors: ${left:-none}; cgroups left: $(echo "$after" | grep -vxF "$before" | tr '\n' ' ')"
		diag_file $W/int.out
	fi
	for p in $left; do kill -9 "$p"; done
}
sptest sandpool-coordinator-sigint coordinator_sigint

# doctor, run from a cgroup of its own (as a service or a delegated scope would
# be): on this kernel it must find memory, pids and cpu usable.
doctor() {
	d=$(cg_new sp-doctor)
	cg_run "$d" "$SANDPOOL" doctor >$W/doctor.out 2>&1
	rc=$?
	cg_destroy "$d"
	missing=$(grep -E '^ *(memory|pids|cpu) ' $W/doctor.out | grep -i 'missing' | awk '{print $1}' | tr '\n' ' ')
	found=$(grep -cE '^ *(memory|pids|cpu) ' $W/doctor.out)
	if [ "$rc" -eq 0 ] && [ "$found" -eq 3 ] && [ -z "$missing" ]; then
		pass "$t" "memory, pids, cpu usable; $(grep -i '^verdict' $W/doctor.out | cut -c1-150)"
	else
		fail "$t" "exit $rc, $found of the memory/pids/cpu lines, missing: ${missing:-none}"
		diag_file $W/doctor.out 30
	fi
}
sptest sandpool-doctor doctor
