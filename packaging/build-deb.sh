#!/usr/bin/env bash
# Builds the acceptd .deb with dpkg-deb (no debhelper; --root-owner-group, so neither root nor
# fakeroot is needed). Usage: packaging/build-deb.sh [OUTDIR]   (default: artifacts/deb)
# ACCEPTD_BINARY=path uses an already published binary instead of running publish.sh.
# Prints the .deb's path.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$repo/artifacts/deb}
binary=${ACCEPTD_BINARY:-$("$repo/packaging/publish.sh")}
arch=$(dpkg --print-architecture)
upstream=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$repo/src/AcceptD/AcceptD.csproj")
version="$upstream-1"
commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
# Reproducible: every timestamp is the last commit's.
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$repo" log -1 --format=%ct 2>/dev/null || date +%s)}
export SOURCE_DATE_EPOCH

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/acceptd
doc=$root/usr/share/doc/acceptd
mkdir -p "$root/DEBIAN" "$out"

install -D -m 0755 "$binary" "$root/usr/bin/acceptd"
# systemd/ holds the units and the D-Bus files (policy, activation, polkit action).
for file in "$repo"/systemd/*; do
  case $file in
    *.service) grep -q '^\[D-BUS Service\]' "$file" && dest=usr/share/dbus-1/system-services || dest=usr/lib/systemd/system ;;
    *.conf) dest=usr/share/dbus-1/system.d ;;
    *.policy) dest=usr/share/polkit-1/actions ;;
    *) echo "build-deb: do not know where $file goes" >&2; exit 1 ;;
  esac
  install -D -m 0644 "$file" "$root/$dest/${file##*/}"
done
install -D -m 0755 "$repo/initrd-hooks/early/acceptd-early-init" "$root/usr/lib/acceptd/acceptd-early-init"
install -d -m 0755 "$root/usr/lib/acceptd/rules.d"
for rules in "$repo"/src/AcceptD/rules.d/*.rules; do
  [ -f "$rules" ] && install -m 0644 "$rules" "$root/usr/lib/acceptd/rules.d/"
done
install -D -m 0644 "$repo/packaging/acceptd.conf" "$root/etc/acceptd/acceptd.conf"
install -d -m 0755 "$root/etc/acceptd/rules.d"
install -D -m 0755 "$repo/initrd-hooks/dracut/90acceptd/module-setup.sh" "$root/usr/lib/dracut/modules.d/90acceptd/module-setup.sh"
install -D -m 0755 "$repo/initrd-hooks/initramfs-tools/hooks/acceptd" "$root/usr/share/initramfs-tools/hooks/acceptd"
for stage in init-top init-bottom; do
  install -D -m 0755 "$repo/initrd-hooks/initramfs-tools/scripts/$stage/acceptd" "$root/usr/share/initramfs-tools/scripts/$stage/acceptd"
done
install -D -m 0644 "$repo/packaging/acceptd.bash-completion" "$root/usr/share/bash-completion/completions/acceptd"
install -D -m 0644 "$repo/packaging/debian/lintian-overrides" "$root/usr/share/lintian/overrides/acceptd"

install -d -m 0755 "$root/usr/share/man/man8"
"$repo/packaging/make-manpage.sh" "$binary" "$upstream" | gzip -9n >"$root/usr/share/man/man8/acceptd.8.gz"
install -D -m 0644 "$repo/packaging/debian/copyright" "$doc/copyright"
[ -f "$repo/docs/systemd-packaging.md" ] && install -m 0644 "$repo/docs/systemd-packaging.md" "$doc/"
sed -e "s/@VERSION@/$version/" -e "s/@COMMIT@/$commit/" \
  -e "s/@DATE@/$(date -u -R -d "@$SOURCE_DATE_EPOCH")/" "$repo/packaging/debian/changelog.in" |
  gzip -9n >"$doc/changelog.Debian.gz"

# Library dependencies: what dpkg-shlibdeps derives from the ELF, plus what is loaded with dlopen
# (invisible to ldd): libsystemd0 for sd-bus, OpenSSL for .NET's System.Security.Cryptography.
mkdir -p "$work/shlibs/debian"
printf 'Source: acceptd\n\nPackage: acceptd\nArchitecture: any\n' >"$work/shlibs/debian/control"
shlibdeps=$(cd "$work/shlibs" && dpkg-shlibdeps -O -e "$root/usr/bin/acceptd" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
depends="${shlibdeps:+$shlibdeps, }libsystemd0, libssl3 | libssl3t64"

printf '/etc/acceptd/acceptd.conf\n' >"$root/DEBIAN/conffiles"
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum) >"$root/DEBIAN/md5sums"
installed_size=$(du -k -s --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@INSTALLED_SIZE@/$installed_size/" \
  -e "s/@DEPENDS@/$depends/" "$repo/packaging/debian/control.in" >"$root/DEBIAN/control"
find "$root" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
chmod -R go-w "$root"

deb="$out/acceptd_${version}_$arch.deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >&2
echo "$deb"
