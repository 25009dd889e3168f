# shellcheck shell=sh
# /vm/leafcat.sh FILE OUT: copy FILE of the caller's own cgroup (a sandpool
# task's leaf) to OUT, so a test can see what sandpool wrote there.
cg=$(sed -n 's/^0:://p' /proc/self/cgroup)
cat "/sys/fs/cgroup$cg/$1" >"$2"
