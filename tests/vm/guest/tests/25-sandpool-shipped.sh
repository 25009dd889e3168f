# The shipped policies (policy/policies/, found by name) on a kernel with every
# controller: each runs a small task with all of its limits applied; and a
# system call denied by `strict` is reported with its name on kernel 6.1.
# shellcheck shell=sh
# shellcheck source=tests/vm/guest/lib.sh
. /vm/lib.sh
W=/tmp/sp-shipped
mkdir -p $W
chmod 0777 $W
# Without --cgroup the pool would go under /vm-init, which has processes and so
# cannot enable controllers: give sandpool a parent as an admin would.
SPCG=$(cg_new sp-shipped "+cpu +memory +pids")

shipped() {
	names=
	for f in /usr/share/sandpool/policies/*.ini; do
		[ -e "$f" ] && names="$names $(basename "$f" .ini)"
	done
	if [ -z "$names" ]; then
		fail "$t" "no shipped policy in the VM image (policy/policies/*.ini)"
		return
	fi
	good=''
	bad=''
	for n in $names; do
		j=$W/$n.json
		# A static glibc program, not a busybox applet: busybox run by a
		# non-root user (strict has User=nobody) calls setgid() to drop
		# privileges it does not have, which strict's filter kills.
		sp run --cgroup="$SPCG" --policy "$n" --json "$j" -- sp-memhog ::: 4
		st=$(jval "$(jrec "$j" input 4)" status)
		if [ "$st" = ok ] && [ "$SP_RC" -eq 0 ]; then
			good="$good $n"
		else
			bad="$bad $n(exit $SP_RC, status ${st:-none}: $(sp_why | cut -c1-120))"
		fi
	done
	if [ -z "$bad" ]; then
		pass "$t" "a 4 MiB task ran under each shipped policy:$good"
	else
		fail "$t" "failed under:$bad; ok under:${good:- none}"
	fi
}
sptest sandpool-shipped-policies shipped

seccomp_kill() {
	j=$W/seccomp.json
	sp run --cgroup="$SPCG" --policy strict --json $j -- mount -t tmpfs none ::: /tmp
	sp_records $j || return
	rec=$(jrec $j input /tmp)
	if [ "$(jval "$rec" status)" = seccomp ] && echo "$rec" | grep -q '"mount"'; then
		pass "$t" "strict: mount(2) gave status seccomp, the record names \"mount\""
	else
		fail "$t" "strict: mount(2) gave $(rec_summary "$rec") (want seccomp, naming mount): $rec"
	fi
}
sptest sandpool-seccomp-kill-named seccomp_kill

cg_destroy "$SPCG"
