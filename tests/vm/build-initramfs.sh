#!/bin/sh
# tests/vm/build-initramfs.sh: build the test VM's initramfs (cpio newc + gzip):
# busybox-static, the sandpool binary with its shared libraries and loader,
# the static C helpers of tests/vm/helpers/, the guest scripts of tests/vm/guest/,
# the test policies and the shipped ones (policy/policies/), and brd.ko.
#
# Usage: build-initramfs.sh -o OUT [-s SANDPOOL] [-p GUEST_POLICY_DIR] [-m BRD_KO]
#   -s  the sandpool binary to put in /bin (without it the image has none and
#       the sandpool tests fail, saying so; the raw smoke tests still run)
#   -p  where sandpool looks for shipped policies in the guest (its
#       $(pkgdatadir)/policies); they also go to /usr/share/sandpool/policies
#   -m  brd.ko, installed as /lib/modules/brd.ko (for the swap tests)
# Environment: SANDPOOL_VM_BUILD (work dir, default tests/vm/build), CC, BUSYBOX.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=${SANDPOOL_VM_BUILD:-$here/build}
cc=${CC:-gcc}
busybox=${BUSYBOX:-$(command -v busybox || echo /bin/busybox)}

die() {
	printf 'build-initramfs: %s\n' "$*" >&2
	exit 1
}

out='' sandpool='' poldir='' brd=''
while getopts o:s:p:m: opt; do
	case $opt in
	o) out=$OPTARG ;;
	s) sandpool=$OPTARG ;;
	p) poldir=$OPTARG ;;
	m) brd=$OPTARG ;;
	*) die "usage: $0 -o OUT [-s SANDPOOL] [-p GUEST_POLICY_DIR] [-m BRD_KO]" ;;
	esac
done
[ -n "$out" ] || die "usage: $0 -o OUT [-s SANDPOOL] [-p GUEST_POLICY_DIR] [-m BRD_KO]"

for tool in cpio gzip find "$cc"; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool not found (apt-get install -y cpio gzip gcc)"
done
[ -x "$busybox" ] || die "busybox not found (apt-get install -y busybox-static)"
if ldd "$busybox" >/dev/null 2>&1; then
	die "$busybox is dynamically linked: install busybox-static (apt-get install -y busybox-static)"
fi

# Paths given relative to where we were called from stay valid after the cd.
abspath() { case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
out=$(abspath "$out")
[ -z "$sandpool" ] || sandpool=$(abspath "$sandpool")
[ -z "$brd" ] || brd=$(abspath "$brd")
root=$build/root
rm -rf "$root"
mkdir -p "$root" "$build/helpers"
cd "$root"
mkdir -p bin sbin dev proc sys tmp run root etc lib/modules vm/tests vm/policies \
	usr/share/sandpool/policies home/spuser
ln -s ../bin usr/bin
ln -s ../bin usr/sbin

# busybox and one symlink per applet.
cp "$busybox" bin/busybox
for applet in $("$busybox" --list); do
	[ -e "bin/$applet" ] || ln -s busybox "bin/$applet"
done

# The static helpers, rebuilt when their source changed.
for src in "$here"/helpers/*.c; do
	name=$(basename "$src" .c)
	bin=$build/helpers/$name
	if [ ! -x "$bin" ] || [ -n "$(find "$src" "$here"/helpers/*.h -newer "$bin")" ]; then
		"$cc" -static -O2 -Wall -Wextra -o "$bin" "$src" || die "cannot build $src with $cc -static"
	fi
	cp "$bin" bin/
done

# sandpool with its shared libraries and the dynamic loader, at the paths
# ldd names (the loader finds them there as on the host).
copy_with_libs() {
	cp "$1" "bin/$(basename "$1")"
	ldd "$1" 2>/dev/null | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^\//) print $i }' |
		while read -r lib; do
			mkdir -p ".$(dirname "$lib")"
			cp -L "$lib" ".$lib"
		done
}
if [ -n "$sandpool" ]; then
	[ -x "$sandpool" ] || die "$sandpool is not an executable"
	copy_with_libs "$sandpool"
fi

# Guest scripts, test policies, shipped policies, brd.ko.
cp "$here/guest/init.sh" init
cp "$here/guest/runner.sh" "$here/guest/lib.sh" "$here/guest/leafcat.sh" vm/
cp "$here"/guest/tests/*.sh vm/tests/
cp "$here"/guest/policies/* vm/policies/ 2>/dev/null || true
if [ -d "$top/policy/policies" ]; then
	for dir in usr/share/sandpool/policies ${poldir:+".$poldir"}; do
		mkdir -p "$dir"
		cp -r "$top"/policy/policies/. "$dir"/
	done
fi
if [ -n "$brd" ]; then
	cp "$brd" lib/modules/brd.ko
fi

cat >etc/passwd <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
spuser:x:1000:1000:sandpool test user:/home/spuser:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PASSWD
cat >etc/group <<'GROUP'
root:x:0:
spuser:x:1000:
nogroup:x:65534:
GROUP
chown 1000:1000 home/spuser 2>/dev/null || true
chmod 0755 init vm/runner.sh bin/* 2>/dev/null || true
chmod 1777 tmp
# The kernel opens /dev/console for /init before devtmpfs is mounted.
mknod -m 600 dev/console c 5 1 2>/dev/null || true

mkdir -p "$(dirname "$out")"
find . -print | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -1 >"$out.tmp" ||
	die "cannot write $out"
mv "$out.tmp" "$out"
