#!/usr/bin/env bash
# dracut tier: boots Debian's kernel (tests/vm/fetch-kernel.sh) under QEMU/TCG with a dracut initrd
# made from this machine's systemd, udev and dbus plus the packaged acceptd module, and checks from
# inside the guest (acceptd-report): autoprobe off before systemd, the unit READY, allowed devices
# bound and denied ones not, journal fields, D-Bus. A second image without AcceptD gives the
# baseline boot time. /usr/lib/dracut stays untouched (a copy is used as dracutbasedir).
#
# Usage: tests/vm/dracut/run.sh   ACCEPTD_BINARY=path skips publishing; ACCEPTD_VM_TIMEOUT=seconds.
# Ends with one line "vm-dracut: N passed, N failed"; under CI=true a missing prerequisite fails.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
art=$repo/artifacts/vm-dracut
boot_timeout=${ACCEPTD_VM_TIMEOUT:-240}
passed=0 failed=0
mkdir -p "$art"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

summary() { echo "vm-dracut: $passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit; }
missing() {
  echo "vm-dracut: prerequisite missing: $1" >&2
  [ "${CI:-}" = true ] && failed=$((failed + 1))
  summary
}

needed=()
command -v qemu-system-x86_64 >/dev/null || needed+=(qemu-system-x86)
command -v dracut >/dev/null || needed+=(dracut-core)
command -v udevadm >/dev/null || needed+=(udev)
command -v dbus-daemon >/dev/null || needed+=(dbus)
command -v cpio >/dev/null || needed+=(cpio)
command -v dpkg-shlibdeps >/dev/null || needed+=(dpkg-dev)
if [ ${#needed[@]} -gt 0 ]; then
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${needed[@]}"; } >&2 ||
    missing "could not install ${needed[*]}"
fi
tree=${ACCEPTD_KERNEL_TREE:-$("$repo/tests/vm/fetch-kernel.sh")} || missing "Debian kernel"
kver=$(basename "$tree")

# The package as users get it, with the VM tier's policy in place of the shipped default.
deb=$(ACCEPTD_BINARY=${ACCEPTD_BINARY:-} "$repo/packaging/build-deb.sh" "$work/deb" 2>"$art/build-deb.log") ||
  missing "acceptd package (see artifacts/vm-dracut/build-deb.log)"
pkg=$work/pkg
dpkg-deb -x "$deb" "$pkg"
rm -f "$pkg"/usr/lib/acceptd/rules.d/*.rules
cp "$repo"/tests/vm/policy-base/*.rules "$repo"/tests/vm/policy-common/*.rules "$pkg/usr/lib/acceptd/rules.d/"

base=$work/dracut-base
cp -a /usr/lib/dracut "$base"
cp -a "$pkg/usr/lib/dracut/modules.d/90acceptd" "$base/modules.d/"
overlay=$work/overlay
install -D -m 0755 "$here/acceptd-report" "$overlay/usr/bin/acceptd-report"
install -D -m 0644 "$here/acceptd-report.service" "$overlay/etc/systemd/system/acceptd-report.service"
mkdir -p "$overlay/etc/systemd/system/initrd.target.wants"
ln -s ../acceptd-report.service "$overlay/etc/systemd/system/initrd.target.wants/acceptd-report.service"

build_image() { # OUT MODULES...
  local out=$1
  shift
  ACCEPTD_DRACUT_SOURCE=$pkg dracutbasedir=$base dracut --force --no-hostonly --no-hostonly-cmdline \
    --no-early-microcode --zstd --kver "$kver" --kmoddir "$tree/lib/modules/$kver" \
    --modules "base systemd systemd-initrd systemd-journald systemd-udevd udev-rules dbus $*" \
    --add-drivers "virtio_pci virtio_net virtio_rng virtio_blk e1000 e1000e 8139cp 8139too" \
    --include "$overlay" / --install "busctl readlink udevadm grep head tail sed cat" --tmpdir "$work" "$out"
}

# shellcheck source=../qemu-devices.sh
. "$here/../qemu-devices.sh"
boot() { # NAME IMAGE EXTRA-CMDLINE: prints seconds from qemu start to power-off
  local log=$art/$1.log start end
  start=${EPOCHREALTIME/./}
  timeout --foreground -k 5 "$boot_timeout" qemu-system-x86_64 -machine q35 -accel tcg -cpu max -smp 1 -m 1024 \
    -nodefaults -no-user-config -display none -serial stdio -no-reboot \
    -kernel "$tree/boot/vmlinuz-$kver" -initrd "$2" \
    -append "console=ttyS0 panic=-1 loglevel=4 systemd.show_status=0 rd.shell=0 $3" \
    "${qemu_devices[@]}" </dev/null >"$log" 2>&1
  end=${EPOCHREALTIME/./}
  printf '%d.%03d' $(((end - start) / 1000000)) $(((end - start) / 1000 % 1000))
}

t0=${EPOCHREALTIME/./}
build_image "$work/with.img" acceptd >"$art/dracut-with.log" 2>&1 || { failed=$((failed + 1)); echo "vm-dracut: FAIL dracut image with acceptd (artifacts/vm-dracut/dracut-with.log)"; summary; }
build_image "$work/without.img" >"$art/dracut-without.log" 2>&1 || { failed=$((failed + 1)); echo "vm-dracut: FAIL dracut image without acceptd"; summary; }
with_b=$(stat -c %s "$work/with.img") without_b=$(stat -c %s "$work/without.img")
echo "vm-dracut: images (zstd, as Debian, Fedora and Arch compress initrds) built in $(((${EPOCHREALTIME/./} - t0) / 1000000)) s: with acceptd $with_b B, without $without_b B, cost of acceptd $((with_b - without_b)) B"

with_s=$(boot with "$work/with.img" "")
without_s=$(boot without "$work/without.img" "acceptd.absent")
for name in with without; do
  grep -o 'ACCEPTD-TEST FAIL .*' "$art/$name.log" | sed 's/^ACCEPTD-TEST /vm-dracut:   /'
  grep -o 'ACCEPTD-TIMING .*' "$art/$name.log" | sed "s/^ACCEPTD-TIMING /vm-dracut:   $name: /"
done
passed=$((passed + $(grep -c 'ACCEPTD-TEST PASS ' "$art/with.log")))
failed=$((failed + $(grep -c 'ACCEPTD-TEST FAIL ' "$art/with.log")))
grep -q 'ACCEPTD-TEST DONE acceptd' "$art/with.log" || { failed=$((failed + 1)); echo "vm-dracut:   FAIL boot with acceptd never reported DONE (artifacts/vm-dracut/with.log)"; }
grep -q 'ACCEPTD-TEST DONE baseline' "$art/without.log" || { failed=$((failed + 1)); echo "vm-dracut:   FAIL baseline boot never reported DONE (artifacts/vm-dracut/without.log)"; }
echo "vm-dracut: boot to power-off: with acceptd ${with_s} s, without ${without_s} s"
summary
