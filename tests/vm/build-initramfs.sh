#!/usr/bin/env bash
# Builds the VM tier's initramfs: static busybox, the kernel modules the scenarios use (with their
# dependency closure and a fresh depmod), the early shim as /init-acceptd, the guest test init and
# library, every scenario, the forged-uevent sender, when given acceptd with its ldd libraries, and when
# given the test modules of tests/vm/errno-module (under extra/ in the module tree, in depmod's index).
# Usage: build-initramfs.sh KERNEL_TREE OUTPUT.cpio [ACCEPTD_BINARY] [TEST_MODULE_DIR]
set -eEuo pipefail
trap 'echo "build-initramfs: line $LINENO failed: $BASH_COMMAND" >&2' ERR
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
tree=$1 out=$2 acceptd=${3:-} test_modules=${4:-}
kver=$(basename "$tree")
modules=(virtio_pci virtio_net virtio_rng virtio_blk e1000 e1000e 8139cp 8139too psmouse gameport)

root=$(mktemp -d "${TMPDIR:-/tmp}/acceptd-initramfs.XXXXXX")
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,run,tmp,etc,lib,lib64,scenarios}

install -m 0755 /bin/busybox "$root/bin/busybox"
while read -r applet; do
  [ -e "$root/$applet" ] || ln -s /bin/busybox "$root/$applet"
done < <(/bin/busybox --list-full)
# The kernel opens /dev/console for init before anything mounts devtmpfs.
mknod -m 600 "$root/dev/console" c 5 1
mknod -m 666 "$root/dev/null" c 1 3

moddir=lib/modules/$kver
mkdir -p "$root/$moddir"
for module in "${modules[@]}"; do
  modprobe -d "$tree" -S "$kver" --show-depends "$module" | awk '$1 == "insmod" { print $2 }'
done | sort -u | while read -r ko; do
  rel=${ko#"$tree"/}
  mkdir -p "$root/$(dirname "$rel")"
  cp "$ko" "$root/$rel"
done
for f in modules.order modules.builtin modules.builtin.modinfo; do
  cp "$tree/$moddir/$f" "$root/$moddir/"
done
if [ -n "$test_modules" ]; then
  mkdir -p "$root/$moddir/extra"
  cp "$test_modules"/*.ko "$root/$moddir/extra/"
fi
depmod -b "$root" "$kver"

install -m 0755 "$repo/initrd-hooks/early/acceptd-early-init" "$root/init-acceptd"
install -m 0755 "$here/guest/test-init" "$root/test-init"
install -m 0644 "$here/guest/lib.sh" "$root/lib/acceptd-test.sh"
# Scenario policies: the shared base rules around the scenario's own files (links dereferenced).
for dir in "$here"/scenarios/*/; do
  name=$(basename "$dir")
  cp -rL "$dir" "$root/scenarios/$name"
  [ -d "$dir/policy" ] && cp "$here"/policy-base/*.rules "$root/scenarios/$name/policy/"
done
gcc -static -O2 -Wall -Werror -o "$root/usr/bin/forge-uevent" "$here/tools/forge-uevent.c"

copy_file() { mkdir -p "$root/$(dirname "$1")" && cp -L "$1" "$root/$1"; }
copy_libraries() { # FILE: every library ldd lists for it, loader included
  ldd "$1" >/dev/null 2>&1 || return 0 # a script or a static binary
  ldd "$1" | awk '/=> \// { print $3 } $1 ~ /^\// { print $1 }' | while read -r lib; do copy_file "$lib"; done
}

if [ -n "$acceptd" ]; then
  install -m 0755 "$acceptd" "$root/usr/bin/acceptd"
  copy_libraries "$acceptd"
  # .NET loads these with dlopen, so ldd does not list them: OpenSSL for System.Security.Cryptography
  # (SHA-256 digests) and libsystemd for sd-bus.
  for soname in libssl.so.3 libcrypto.so.3 libsystemd.so.0; do
    lib=$(ldconfig -p | awk -v name="$soname" '$1 == name && /x86-64/ && !found { print $NF; found = 1 }')
    if [ -n "$lib" ]; then
      copy_file "$lib" && copy_libraries "$lib"
    else
      echo "build-initramfs: $soname not found on the host" >&2
    fi
  done
fi

(cd "$root" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --quiet) >"$out"
