# Raw memory.swap.max smoke test, with a RAM block device (brd) as swap: the
# same hog survives a 32M memory.max with swap allowed and dies without it.
# shellcheck shell=sh
# shellcheck source=tests/vm/guest/lib.sh
. /vm/lib.sh
W=/tmp/smoke
mkdir -p $W
t=smoke-memory-swap
if ! swap_on; then
	fail "$t" "could not set up swap on /dev/ram0 (brd.ko): $(cat /tmp/swap.err)"
	exit 0
fi
with=$(cg_new smoke-swap64)
echo 32M >"$with/memory.max"
echo 64M >"$with/memory.swap.max"
cg_run "$with" sp-memhog 64 >$W/swap1.out 2>&1
rc1=$?
without=$(cg_new smoke-swap0)
echo 32M >"$without/memory.max"
echo 0 >"$without/memory.swap.max"
cg_run "$without" sp-memhog 64 >$W/swap2.out 2>&1
rc2=$?
ooms=$(cg_key "$without" memory.events oom_kill)
if [ "$rc1" -eq 0 ] && [ "$rc2" -eq 137 ] && [ "${ooms:-0}" -ge 1 ]; then
	pass "$t" "64 MiB hog under memory.max=32M: lives with swap.max=64M, OOM-killed with swap.max=0 (oom_kill=$ooms)"
else
	fail "$t" "swap.max=64M: exit $rc1 (want 0), swap.max=0: exit $rc2 (want 137), oom_kill=${ooms:-?}"
fi
cg_destroy "$with"
cg_destroy "$without"
swap_off
