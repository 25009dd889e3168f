#!/bin/sh
# tests/vm/run.sh: run sandpool's controller tests in a qemu VM with a pure
# cgroup v2 kernel (Debian 12's cloud kernel) and report them as TAP on stdout.
#
# Usage: run.sh [--sandpool PATH] [--policy-dir DIR] [--only GLOB]
#   --sandpool PATH   the sandpool binary to test (default: $SANDPOOL_BIN, else
#                     ./sandpool of the top directory when it exists)
#   --policy-dir DIR  the guest path of sandpool's shipped policies ($(pkgdatadir)/policies)
#   --only GLOB       run only the guest test files (tests/vm/guest/tests/*.sh,
#                     names without .sh) that match GLOB
# Environment:
#   SANDPOOL_VM_OPTIONAL=1  a missing qemu or kernel skips (exit 77) instead of failing
#   SANDPOOL_QEMU           qemu-system-x86_64 to use ("no": none; default: from PATH)
#   SANDPOOL_VM_TIMEOUT     seconds before a hung VM is killed (default 120, the budget)
#   SANDPOOL_VM_BUILD, SANDPOOL_VM_CACHE  work and kernel cache directories
# Exit status: 0 all tests passed; 1 a test failed, or the VM did not boot or
# did not finish; 77 not run (only with SANDPOOL_VM_OPTIONAL=1).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=${SANDPOOL_VM_BUILD:-$here/build}
export SANDPOOL_VM_BUILD="$build"
vm_timeout=${SANDPOOL_VM_TIMEOUT:-120}

sandpool=${SANDPOOL_BIN:-}
poldir=/usr/local/share/sandpool/policies
only=
while [ $# -gt 0 ]; do
	case $1 in
	--sandpool) sandpool=$2 shift ;;
	--policy-dir) poldir=$2 shift ;;
	--only) only=$2 shift ;;
	-h | --help)
		sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//'
		exit 0
		;;
	*)
		echo "run.sh: unknown argument '$1' (see --help)" >&2
		exit 2
		;;
	esac
	shift
done
if [ -z "$sandpool" ] && [ -x "$top/sandpool" ]; then
	sandpool=$top/sandpool
fi

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
t0=$(now)

# Not being able to run is a failure unless the caller said it may be skipped.
not_run() {
	echo "VM tests NOT run: $1" >&2
	if [ "${SANDPOOL_VM_OPTIONAL:-0}" = 1 ]; then
		echo "1..0 # SKIP VM tests NOT run: $1"
		exit 77
	fi
	echo "not ok 1 - vm-run # VM tests NOT run: $1 (SANDPOOL_VM_OPTIONAL=1 makes this a skip)"
	echo "1..1"
	exit 1
}

qemu=${SANDPOOL_QEMU:-${QEMU:-}}
if [ -z "$qemu" ]; then
	qemu=$(command -v qemu-system-x86_64 || echo no)
fi
if [ "$qemu" = no ] || [ ! -x "$qemu" ]; then
	not_run "qemu-system-x86_64 not found (apt-get install -y qemu-system-x86)"
fi
command -v cpio >/dev/null 2>&1 || not_run "cpio not found (apt-get install -y cpio)"
command -v timeout >/dev/null 2>&1 || not_run "timeout (coreutils) not found"

kernel=$("$here/fetch-kernel.sh") || not_run "no kernel: fetch-kernel.sh failed (see above)"
cache=$(dirname "$kernel")
brd=
[ -r "$cache/brd.ko" ] && brd=$cache/brd.ko

if [ -n "$sandpool" ]; then
	[ -x "$sandpool" ] || not_run "--sandpool $sandpool is not an executable"
	echo "# sandpool under test: $sandpool"
else
	echo "# no sandpool binary (build it, or pass --sandpool): the sandpool tests will fail"
fi
initrd=$build/initramfs.cpio.gz
"$here/build-initramfs.sh" -o "$initrd" ${sandpool:+-s "$sandpool"} ${poldir:+-p "$poldir"} \
	${brd:+-m "$brd"} >&2 || not_run "could not build the initramfs (see above)"
echo "# initramfs $(wc -c <"$initrd") bytes, built in $(elapsed "$t0") s; kernel $kernel"

append="console=ttyS0 cgroup_no_v1=all panic=-1 quiet"
[ -z "$only" ] || append="$append spvm.only=$only"
console=$build/console.log
tboot=$(now)
set +e
timeout -k 5 "$vm_timeout" "$qemu" -machine pc -accel tcg -cpu max -m 512M -smp 2 \
	-nodefaults -display none -serial stdio -no-reboot \
	-kernel "$kernel" -initrd "$initrd" -append "$append" </dev/null >"$console" 2>&1
qrc=$?
set -e
vm_s=$(elapsed "$tboot")

# Console -> TAP. Lines end in \r\n and kernel messages may precede a marker.
tr -d '\r' <"$console" | awk -v qrc="$qrc" -v vm_s="$vm_s" -v limit="$vm_timeout" \
	-v total_s="$(elapsed "$t0")" -v logfile="$console" '
	{ i = index($0, "@@SPVM") }
	i == 0 { tail[NR % 20] = $0; next }
	{ line = substr($0, i) }
	line ~ /^@@SPVM-END / {
		end = 1
		for (f = 2; f <= split(line, w, " "); f++) {
			split(w[f], kv, "=")
			endv[kv[1]] = kv[2]
		}
		next
	}
	line ~ /^@@SPVM (not )?ok - / {
		sub(/^@@SPVM /, "", line)
		bad += (line ~ /^not ok/)
		n++
		sub(/^ok/, "ok " n, line)
		sub(/^not ok/, "not ok " n, line)
		print line
		next
	}
	line ~ /^@@SPVM #/ {
		sub(/^@@SPVM /, "", line)
		if (line ~ /boot to \/init/) boot = line
		print line
	}
	END {
		n++
		figure = sprintf("VM stage %s s (qemu %s s, guest uptime %s s)", total_s, vm_s, endv["uptime"])
		if (!end) {
			why = qrc == 124 || qrc == 137 ? "the VM was killed after " limit " s (hung)" : \
			      "no end marker: the VM did not boot or /init died (qemu exit " qrc ")"
			print "not ok " n " - vm-run # " why "; " figure
			print "# last console lines (all of it in " logfile "):"
			for (k = NR + 1; k <= NR + 20; k++) if ((k % 20) in tail) print "#   " tail[k % 20]
			bad++
		} else if (endv["status"] != 0 && !bad) {
			print "not ok " n " - vm-run # the guest runner exited " endv["status"] " with no failed test; " figure
			bad++
		} else if (n == 1) {
			print "not ok " n " - vm-run # no test result came back; " figure
			bad++
		} else {
			print "ok " n " - vm-run # " figure
		}
		print "1.." n
		exit bad ? 1 : 0
	}'
