#!/usr/bin/env bash
# Builds the minimal Debian root file system the image tier boots, with mmdebstrap from the apt
# sources this machine uses (all their suites, so the kernel is the one apt would install), and
# prints its directory. Cached under $ACCEPTD_CACHE (default: <repo>/.cache), keyed on every input:
# the package list, the sources and the candidate versions apt resolves them to. CI starts without
# the cache, so there it is built from scratch.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../../.." && pwd)
cache=${ACCEPTD_CACHE:-$repo/.cache}
# minbase + what a booted system with AcceptD needs; both initrd generators (dracut-core does not
# conflict with initramfs-tools, which the kernel package pulls in, with busybox as Debian recommends);
# libssl3 is dlopen()ed by .NET.
packages=systemd,systemd-sysv,udev,dbus,kmod,linux-image-amd64,e2fsprogs,initramfs-tools,busybox,dracut-core,libssl3
sources=()
for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
  [ -s "$file" ] && sources+=("$file")
done
suite=$(. /etc/os-release && echo "$VERSION_CODENAME")
key=$({
  echo "$suite $packages"
  cat "${sources[@]}"
  apt-cache policy ${packages//,/ } | grep -E '^[^ ]|Candidate'
} | sha256sum | cut -c1-16)
rootfs=$cache/rootfs/$suite-$key
mkdir -p "$cache/rootfs"
exec 9>"$cache/rootfs.lock"
flock 9
if [ ! -f "$rootfs.done" ]; then
  rm -rf "$cache/rootfs/$suite"-* # older inputs: never used again
  mmdebstrap --variant=minbase --include="$packages" "$suite" "$rootfs" "${sources[@]}" >&2
  touch "$rootfs.done"
fi
echo "$rootfs"
