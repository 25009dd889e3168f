# Raw cgroup v2 smoke tests, no sandpool involved: they prove the VM, its
# kernel and the harness (memory.max + OOM, oom.group, pids.max, cpu.max,
# cpu.weight, cgroup.kill) before anything of ours is judged.
# shellcheck shell=sh
# shellcheck source=tests/vm/guest/lib.sh
. /vm/lib.sh
W=/tmp/smoke
mkdir -p $W

# --- the controllers this suite needs are there and enabled ---------------------
t=smoke-controllers
have=$(cat $CG/cgroup.subtree_control)
missing=
for c in cpu memory pids; do
	case " $have " in
	*" $c "*) ;;
	*) missing="$missing $c" ;;
	esac
done
if [ -z "$missing" ] && [ -e $CG/vm-init/memory.oom.group ]; then
	pass "$t" "root subtree_control: $have"
else
	fail "$t" "missing at the root:$missing (subtree_control: $have)"
fi

# --- memory.max: OOM kill, and memory.oom.group takes the whole cgroup ----------
t=smoke-memory-oom
cg=$(cg_new smoke-mem)
echo 32M >"$cg/memory.max"
echo 0 >"$cg/memory.swap.max"
echo 1 >"$cg/memory.oom.group"
cg_run "$cg" sh -c 'sleep 300 & exec sp-memhog 256' >$W/mem.out 2>&1
rc=$?
cg_wait_empty "$cg" 2000
ooms=$(cg_key "$cg" memory.events oom_kill)
group=$(cg_key "$cg" memory.events oom_group_kill)
peak=$(cat "$cg/memory.peak" 2>/dev/null || echo n/a)
if [ "$rc" -eq 137 ] && [ "${ooms:-0}" -ge 1 ] && ! cg_populated "$cg"; then
	pass "$t" "exit $rc, oom_kill=$ooms oom_group_kill=${group:-n/a}, cgroup emptied (sleeping sibling killed too)"
else
	fail "$t" "exit $rc (want 137), oom_kill=${ooms:-?}, populated=$(cg_key "$cg" cgroup.events populated) (want 0)"
	diag_file $W/mem.out
fi
diag "memory.peak $peak (no memory.peak before 5.19)"
cg_destroy "$cg"

# --- pids.max stops a fork bomb; pids.events counts the refusals ----------------
t=smoke-pids-forkbomb
cg=$(cg_new smoke-pids)
echo 20 >"$cg/pids.max"
cg_run "$cg" sp-forkbomb 100000 >$W/pids.out 2>&1
rc=$?
max=$(cg_key "$cg" pids.events max)
cur=$(cat "$cg/pids.current")
if [ "$rc" -eq 0 ] && grep -q 'fork failed' $W/pids.out && [ "${max:-0}" -ge 1 ]; then
	pass "$t" "$(cat $W/pids.out | cut -d: -f2- | head -n 1 | sed 's/^ //'); pids.events max=$max, pids.current=$cur"
else
	fail "$t" "exit $rc, pids.events max=${max:-?}: $(head -n 1 $W/pids.out)"
fi

# --- cgroup.kill empties a cgroup at once -----------------------------------------
t=smoke-cgroup-kill
n=$(nprocs "$cg")
start=$(now_ms)
echo 1 >"$cg/cgroup.kill"
if cg_wait_empty "$cg" 2000; then
	pass "$t" "$n processes (the fork bomb's) gone in $(($(now_ms) - start)) ms"
else
	fail "$t" "$(nprocs "$cg") of $n processes left 2 s after cgroup.kill"
fi
rmdir "$cg"

# --- cgroup.kill reaches setsid daemons that ignore SIGTERM ----------------------
t=smoke-kill-setsid
cg=$(cg_new smoke-setsid)
cg_run "$cg" sh -c "trap '' TERM; setsid sh -c \"trap '' TERM; sleep 301\" & sleep 302" &
usleep 300000
n=$(nprocs "$cg")
# shellcheck disable=SC2013 # one pid per line
for p in $(cat "$cg/cgroup.procs"); do kill -TERM "$p" 2>/dev/null; done
usleep 100000
after_term=$(nprocs "$cg")
echo 1 >"$cg/cgroup.kill"
if cg_wait_empty "$cg" 2000 && [ "$n" -ge 2 ] && [ "$after_term" -eq "$n" ]; then
	pass "$t" "$n processes, $after_term still there after SIGTERM, none after cgroup.kill"
else
	fail "$t" "$n processes, $after_term after SIGTERM (want all $n, at least 2), populated=$(cg_key "$cg" cgroup.events populated) after cgroup.kill"
fi
wait 2>/dev/null
rmdir "$cg"

# --- cpu.max throttles a busy loop to its quota ------------------------------------
t=smoke-cpu-max
cg=$(cg_new smoke-cpu)
echo "50000 100000" >"$cg/cpu.max"
cg_run "$cg" sp-cpuburn 2 2 >$W/cpu.out 2>&1
usage=$(cg_key "$cg" cpu.stat usage_usec)
thr=$(cg_key "$cg" cpu.stat nr_throttled)
wall=$(sed -n 's/.*wall=\([0-9.]*\).*/\1/p' $W/cpu.out)
ratio=$(fdiv "$usage" "${wall:-1}*1000000")
if fcheck "$ratio >= 0.25 && $ratio <= 0.60" && [ "${thr:-0}" -gt 0 ]; then
	pass "$t" "cpu.max 50%: usage/wall $ratio (2 burners), nr_throttled=$thr"
else
	fail "$t" "cpu.max 50%: usage/wall $ratio (want 0.25..0.60), nr_throttled=${thr:-?}; $(cat $W/cpu.out)"
fi
rmdir "$cg"

# --- cpu.weight shares one CPU 3:1 --------------------------------------------------
t=smoke-cpu-weight
lo=$(cg_new smoke-w100)
hi=$(cg_new smoke-w300)
echo 100 >"$lo/cpu.weight"
echo 300 >"$hi/cpu.weight"
cg_run "$lo" taskset 1 sp-cpuburn 2 >/dev/null 2>&1 &
cg_run "$hi" taskset 1 sp-cpuburn 2 >/dev/null 2>&1 &
wait 2>/dev/null
ulo=$(cg_key "$lo" cpu.stat usage_usec)
uhi=$(cg_key "$hi" cpu.stat usage_usec)
ratio=$(fdiv "$uhi" "$ulo + 1")
if fcheck "$ratio >= 1.8 && $ratio <= 5"; then
	pass "$t" "weights 300:100 on one CPU got usage ratio $ratio"
else
	fail "$t" "weights 300:100 on one CPU got usage ratio $ratio (want 1.8..5; usec $uhi vs $ulo)"
fi
rmdir "$lo" "$hi"
