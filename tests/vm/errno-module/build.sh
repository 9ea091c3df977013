#!/usr/bin/env bash
# Builds the VM tier's test modules (acceptd_errno_devs.ko, acceptd_errno_drv.ko; scenario 21-bind-errors) against
# the kernel the tier boots, and prints the directory that holds them. The headers come from Debian's archive
# (linux-headers-<kver>, its -common part and linux-kbuild, unpacked with dpkg -x, nothing installed); headers and
# modules are cached under $ACCEPTD_CACHE (default <repo>/.cache), the modules keyed by the kernel release and
# a hash of the sources, so a rerun only prints the cached directory.
# Usage: tests/vm/errno-module/build.sh KERNEL_TREE      (KERNEL_TREE as tests/vm/fetch-kernel.sh prints it)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
cache=${ACCEPTD_CACHE:-$repo/.cache}
kver=$(basename "$1")
key=$(cd "$here" && cat Kbuild ./*.c | sha256sum | cut -c1-16)
out=$cache/errno-module/$kver-$key
mkdir -p "$cache"
exec 9>"$cache/errno-module.lock"
flock 9
if [ -f "$out/acceptd_errno_drv.ko" ] && [ -f "$out/acceptd_errno_devs.ko" ]; then
  echo "$out"
  exit 0
fi

# The compiler the kernel was built with (the headers' Makefile names gcc-N), and make.
hdrpkg=linux-headers-$kver
deps=$(apt-cache depends "$hdrpkg" 2>/dev/null || true)
if [ -z "$deps" ]; then apt-get update -qq >&2; deps=$(apt-cache depends "$hdrpkg"); fi
compiler=$(awk '/Depends: linux-compiler-gcc-/ { sub(/.*linux-compiler-/, ""); sub(/-[a-z0-9]+$/, ""); print; exit }' <<<"$deps") # gcc-12
needed=()
command -v make >/dev/null || needed+=(make)
command -v "${compiler:-gcc}" >/dev/null || needed+=("${compiler:-gcc}")
if [ ${#needed[@]} -gt 0 ]; then
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${needed[@]}"; } >&2
fi

headers=$cache/kernel-headers/$kver
if [ ! -f "$headers/.complete" ]; then
  rm -rf "$headers" && mkdir -p "$headers"
  tmp=$(mktemp -d "$cache/headers-dl.XXXX")
  mapfile -t pkgs < <(echo "$hdrpkg"; awk '/Depends: linux-(headers|kbuild)-/ { print $2 }' <<<"$deps")
  (cd "$tmp" && apt-get download -qq "${pkgs[@]}" 2>/dev/null >&2)
  for deb in "$tmp"/*.deb; do dpkg -x "$deb" "$headers"; done
  rm -rf "$tmp"
  # Debian's flavour Makefile includes the -common one by its installed path; point it at the unpacked copy.
  sed -i "s|^include /usr/src/|include $headers/usr/src/|" "$headers/usr/src/linux-headers-$kver/Makefile"
  touch "$headers/.complete"
fi

build=$(mktemp -d "${TMPDIR:-/tmp}/acceptd-errno-module.XXXXXX")
trap 'rm -rf "$build"' EXIT
cp "$here/Kbuild" "$here"/*.c "$build/"
make -s -C "$headers/usr/src/linux-headers-$kver" M="$build" modules >&2
rm -rf "$cache/errno-module/$kver"-* && mkdir -p "$out" # older builds of these sources go
cp "$build"/acceptd_errno_devs.ko "$build"/acceptd_errno_drv.ko "$out/"
echo "$out"
