# A non-root user (uid 1000) given a chown'd cgroup subtree runs sandpool
# --cgroup=<subtree> with limits and a timeout: sandpool must respect the
# no-internal-processes rule (move itself into a leaf of its own) to enable
# controllers for its workers.
# shellcheck shell=sh
# shellcheck source=tests/vm/guest/lib.sh
. /vm/lib.sh
W=/tmp/sp-deleg
mkdir -p $W
chown 1000:1000 $W

delegated() {
	d=$(cg_new deleg-1000)
	chown 1000:1000 "$d" "$d/cgroup.procs" "$d/cgroup.subtree_control" "$d/cgroup.threads"
	j=$W/deleg.json
	# shellcheck disable=SC2016 # $0 is the input, for the task's shell
	script='case $0 in
	ok) id -u >'$W'/uid ;;
	oom) exec sp-memhog 256 ;;
	timeout) trap "" TERM; exec sleep 631 ;;
	esac'
	# shellcheck disable=SC2016 # expanded by the inner shell
	# Root starts the coordinator inside the subtree, as systemd or a batch
	# system would; it runs as uid 1000 from there on. (busybox timeout's
	# watcher process stays outside: only the shell that execs sandpool moves.)
	timeout -s KILL 40 sh -c 'echo 0 >"$1/cgroup.procs" || exit 125; shift; exec "$@"' sh "$d" \
		sp-runas 1000 1000 "$SANDPOOL" run --cgroup="$d" \
		--policy $POLICIES/deleg.ini --timeout 2s --grace 200ms --json $j \
		-- sh -c "$script" ::: ok oom timeout >$W/out 2>$W/err </dev/null
	SP_RC=$?
	cp $W/err "$SP_ERR"
	left=$(survivors 'sleep 631' sleep)
	leftover=$(find "$d" -mindepth 1 -type d | tr '\n' ' ')
	cg_destroy "$d"
	sp_records $j || return
	ok=$(jrec $j input ok)
	oom=$(jrec $j input oom)
	to=$(jrec $j input timeout)
	uid=$(cat $W/uid 2>/dev/null)
	if [ "$(jval "$ok" status)" = ok ] && [ "$uid" = 1000 ] && [ "$(jval "$oom" status)" = oom ] &&
		[ "$(jval "$to" status)" = timeout ] && [ -z "$left" ]; then
		pass "$t" "uid 1000 in a delegated subtree: ok (task uid $uid), oom, timeout; sandpool exit $SP_RC; left in the subtree: ${leftover:-nothing}"
	else
		fail "$t" "uid 1000: ok task: $(rec_summary "$ok") uid ${uid:-unread}; oom task: $(rec_summary "$oom") (want oom); timeout task: $(rec_summary "$to") (want timeout); survivors: ${left:-none}"
	fi
	for p in $left; do kill -9 "$p"; done
}
sptest sandpool-delegated-user delegated
