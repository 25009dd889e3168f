#!/bin/sh
# tests/vm/fetch-kernel.sh: fetch Debian 12's cloud kernel for the test VM and
# cache it; prints the path of the cached vmlinuz on stdout.
#
# The kernel comes from the package registry only (apt-get download), never from
# anywhere else. Only ./boot/vmlinuz-* and one module, brd.ko (a RAM block
# device the VM uses as swap for the MemorySwapMax= test; it has no
# dependencies), are extracted: the other modules are hundreds of MB.
#
# Environment:
#   SANDPOOL_VM_CACHE   cache directory (default: tests/vm/cache beside this script)
#   SANDPOOL_VM_KERNEL  use this kernel image instead (no fetch at all)
#   SANDPOOL_VM_KPKG    meta package to resolve (default: linux-image-cloud-amd64)
# Exit status: 0 and the path on stdout, or 1 with the reason on stderr.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
cache=${SANDPOOL_VM_CACHE:-$here/cache}
meta=${SANDPOOL_VM_KPKG:-linux-image-cloud-amd64}

say() { printf 'fetch-kernel: %s\n' "$*" >&2; }
die() {
	say "$*"
	exit 1
}

if [ -n "${SANDPOOL_VM_KERNEL:-}" ]; then
	[ -r "$SANDPOOL_VM_KERNEL" ] || die "SANDPOOL_VM_KERNEL=$SANDPOOL_VM_KERNEL is not readable"
	printf '%s\n' "$SANDPOOL_VM_KERNEL"
	exit 0
fi

# A kernel cached by an earlier run is reused as it is: no network at all.
cached() { [ -r "$cache/vmlinuz" ] && [ -r "$cache/brd.ko" ]; }
if cached; then
	printf '%s\n' "$cache/vmlinuz"
	exit 0
fi

for tool in apt-cache apt-get dpkg-deb tar; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool not found: a Debian-based host is needed to fetch the VM kernel (or set SANDPOOL_VM_KERNEL)"
done
mkdir -p "$cache" || die "cannot create the cache directory $cache"

# One fetch at a time per cache (make -j, two checkouts sharing a cache).
if command -v flock >/dev/null 2>&1; then
	exec 9>"$cache/.lock"
	flock 9
	if cached; then
		printf '%s\n' "$cache/vmlinuz"
		exit 0
	fi
fi

# The meta package depends on one versioned image package: resolve it.
resolve() {
	apt-cache depends "$meta" 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | head -n 1
}
pkg=$(resolve)
if [ -z "$pkg" ]; then
	say "apt knows no $meta yet: running apt-get update"
	apt-get update -qq >&2 || die "apt-get update failed (are you root? is the Debian archive reachable?)"
	pkg=$(resolve)
fi
[ -n "$pkg" ] || die "cannot resolve the image package that $meta depends on (apt-cache depends $meta)"

tmp=$(mktemp -d "$cache/fetch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# apt-get download runs as the _apt user where it can: let it write here.
chmod 0777 "$tmp"
say "downloading $pkg"
if ! (cd "$tmp" && apt-get download -q "$pkg" >&2); then
	# Old package lists can name a version the archive no longer has.
	say "apt-get download $pkg failed: running apt-get update and trying again"
	apt-get update -qq >&2 || die "apt-get update failed (are you root? is the Debian archive reachable?)"
	pkg=$(resolve)
	[ -n "$pkg" ] || die "cannot resolve the image package that $meta depends on"
	(cd "$tmp" && apt-get download -q "$pkg" >&2) || die "apt-get download $pkg failed"
fi
deb=$(find "$tmp" -maxdepth 1 -name '*.deb' | head -n 1)
[ -n "$deb" ] || die "apt-get download $pkg left no .deb in $tmp"

mkdir "$tmp/root"
dpkg-deb --fsys-tarfile "$deb" |
	tar -x -C "$tmp/root" --wildcards './boot/vmlinuz-*' './lib/modules/*/drivers/block/brd.ko' ||
	die "cannot extract ./boot/vmlinuz-* and brd.ko from $deb"
img=$(find "$tmp/root/boot" -maxdepth 1 -name 'vmlinuz-*' | head -n 1)
[ -n "$img" ] || die "$deb has no ./boot/vmlinuz-*"
brd=$(find "$tmp/root/lib/modules" -name brd.ko | head -n 1)
[ -n "$brd" ] || die "$deb has no brd.ko"

name=$(basename "$img")
mv "$brd" "$cache/brd.ko"
mv "$img" "$cache/$name"
ln -sf "$name" "$cache/vmlinuz.tmp"
mv -f "$cache/vmlinuz.tmp" "$cache/vmlinuz"
printf '%s\n' "$pkg" >"$cache/kernel-package"
say "cached $cache/$name (from $pkg)"
printf '%s\n' "$cache/vmlinuz"
