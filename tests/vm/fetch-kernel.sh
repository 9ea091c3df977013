#!/usr/bin/env bash
# Fetches Debian's current kernel of one flavour (default amd64; cloud-amd64 is the one with more built
# in) without installing it, runs depmod on the tree, and prints the kernel tree's directory. Cached
# under $ACCEPTD_CACHE (default: <repo>/.cache). The ABI number moves with point releases, so it is
# resolved through the metapackage (linux-image-FLAVOUR), never hard-coded.
# Usage: tests/vm/fetch-kernel.sh [FLAVOUR]
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cache=${ACCEPTD_CACHE:-$repo/.cache}
need() { command -v "$1" >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$2" >&2; }; }
need depmod kmod
meta=linux-image-${1:-amd64}
pkg=$(apt-cache depends "$meta" 2>/dev/null | awk '/Depends: linux-image-/{print $2; exit}')
if [ -z "$pkg" ]; then apt-get update -qq >&2; pkg=$(apt-cache depends "$meta" | awk '/Depends: linux-image-/{print $2; exit}'); fi
kver=${pkg#linux-image-}
kver=${kver%-unsigned}
tree=$cache/kernel/$kver
mkdir -p "$cache"
exec 9>"$cache/kernel.lock"
flock 9
if [ ! -f "$tree/lib/modules/$kver/modules.alias" ]; then
  tmp=$(mktemp -d "$cache/kernel-dl.XXXX")
  (cd "$tmp" && apt-get download -qq "$pkg" 2>/dev/null >&2)
  rm -rf "$tree" && mkdir -p "$tree"
  dpkg -x "$tmp"/*.deb "$tree"
  rm -rf "$tmp"
  # Debian's usrmerge layout ships modules under usr/lib/modules on newer releases.
  if [ ! -d "$tree/lib/modules/$kver" ] && [ -d "$tree/usr/lib/modules/$kver" ]; then
    mkdir -p "$tree/lib/modules" && ln -s "../../usr/lib/modules/$kver" "$tree/lib/modules/$kver"
  fi
  depmod -b "$tree" "$kver"
fi
echo "$tree"
