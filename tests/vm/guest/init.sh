#!/bin/sh
# /init of the test VM: mounts the pseudo filesystems and cgroup2, enables every
# controller at the root, moves itself into a leaf, runs the tests, powers off.
# Its last console line is the marker "@@SPVM-END status=N" that run.sh reads.
export PATH=/bin:/sbin HOME=/root TERM=dumb
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
exec </dev/console >/dev/console 2>&1
# Only emergencies on the console: OOM reports would mix into our lines.
echo 1 >/proc/sys/kernel/printk
mount -t tmpfs -o mode=1777 tmpfs /tmp
mount -t tmpfs tmpfs /run
mount -t cgroup2 cgroup2 /sys/fs/cgroup

echo "@@SPVM # kernel $(uname -r), boot to /init $(cut -d' ' -f1 /proc/uptime) s, $(nproc) CPUs, $(awk '/MemTotal/ {print $2}' /proc/meminfo) kB"
cg=/sys/fs/cgroup
# shellcheck disable=SC2013 # a space-separated list
for c in $(cat "$cg/cgroup.controllers"); do
	echo "+$c" >$cg/cgroup.subtree_control 2>/dev/null ||
		echo "@@SPVM # could not enable controller $c at the root"
done
echo "@@SPVM # root controllers: $(cat $cg/cgroup.controllers); enabled: $(cat $cg/cgroup.subtree_control)"
# No internal processes: once controllers are enabled, processes live in leaves.
mkdir -p $cg/vm-init
echo $$ >$cg/vm-init/cgroup.procs

only=$(sed -n 's/.*spvm\.only=\([^ ]*\).*/\1/p' /proc/cmdline)
sh /vm/runner.sh "$only"
rc=$?
echo "@@SPVM-END status=$rc uptime=$(cut -d' ' -f1 /proc/uptime)"
sync
poweroff -f
