#!/usr/bin/env bash
# Makes one bootable image for the image tier, the way README's installation section says: a copy of
# the cached root file system (build-rootfs.sh), the .deb installed with apt, acceptd.service enabled,
# the initrd regenerated inside it by the distribution's own tool, then an ext4 disk image (mkfs.ext4 -d).
# Before the real build, a policy error is shipped in /etc/acceptd/rules.d: the initrd build must refuse
# it, naming file:line.
#
# Usage: make-image.sh dracut|initramfs-tools|none ROOTFS DEB OUTDIR
#   none: no AcceptD, the initrd the kernel package made (the boot-time baseline).
# Writes OUTDIR/{disk.img,vmlinuz,initrd.img,build.log} and "vm-image: PASS|FAIL <tool> <check>" lines.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tool=$1 rootfs=$2 deb=$3 out=$4
root=$out/root
mkdir -p "$out"
log=$out/build.log
: >"$log"
result() { # PASS|FAIL CHECK [WHY]
  echo "vm-image: $1 $tool $2${3:+: $3}"
}
# Runs a command chrooted into the image with /proc, /dev and a read-only /sys, in a private mount namespace.
# shellcheck disable=SC2016 # expanded by the inner shell
in_root() {
  unshare --mount --propagation private sh -c '
    root=$1; shift
    mount -t proc proc "$root/proc" && mount --rbind /dev "$root/dev" && mount -t sysfs -o ro sysfs "$root/sys" &&
      exec chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 "$@"' \
    in_root "$root" "$@" >>"$log" 2>&1
}
check() { # NAME COMMAND...: runs it in the image; PASS on success
  if in_root "${@:2}"; then result PASS "$1"; else result FAIL "$1" "see ${log#"$PWD"/}"; return 1; fi
}

rm -rf "$root"
cp -a "$rootfs" "$root"
kver=$(basename "$(ls -d "$root"/lib/modules/*)")

# The test's own parts: the report on the second serial port and the initrd-side sampler.
install -D -m 0755 "$here/guest/acceptd-report" "$root/usr/lib/acceptd-test/acceptd-report"
install -D -m 0755 "$here/guest/acceptd-sample" "$root/usr/lib/acceptd-test/acceptd-sample"
install -D -m 0644 "$here/../guest/lib.sh" "$root/usr/lib/acceptd-test/lib.sh"
install -D -m 0644 "$here/guest/acceptd-report.service" "$root/etc/systemd/system/acceptd-report.service"
check report-unit-enabled systemctl enable acceptd-report.service

if [ "$tool" != none ]; then
  cp "$deb" "$root/tmp/"
  check apt-install apt-get install -y "/tmp/${deb##*/}" && rm "$root/tmp/${deb##*/}"
  check acceptd-enabled systemctl enable acceptd.service
  case $tool in
    dracut)
      build=(dracut --force --no-hostonly --add acceptd --add-drivers virtio_net --kver "$kver" "/boot/initrd.img-$kver")
      cp -a "$here/guest/dracut/99acceptd-sample" "$root/usr/lib/dracut/modules.d/"
      install -m 0644 "$here/guest/acceptd-sample-initrd.service" "$root/usr/lib/acceptd-test/"
      echo 'add_dracutmodules+=" acceptd-sample "' >"$root/etc/dracut.conf.d/99-acceptd-test.conf"
      list=(lsinitrd "/boot/initrd.img-$kver") shim=' init -> usr/lib/acceptd/acceptd-early-init$' ;;
    initramfs-tools)
      build=(update-initramfs -u -k "$kver")
      install -D -m 0755 "$here/guest/initramfs-tools/acceptd-sample" "$root/etc/initramfs-tools/scripts/init-bottom/acceptd-sample"
      install -D -m 0755 "$here/guest/initramfs-tools/acceptd-sample-hook" "$root/etc/initramfs-tools/hooks/acceptd-sample"
      list=(lsinitramfs "/boot/initrd.img-$kver") shim='^scripts/init-top/acceptd$' ;;
  esac
  # A policy error shipped in the image: the build must fail and name the file and line.
  printf '# broken on purpose by tests/vm/image\nallow bus=pci id=zz reason="not an id"\n' >"$root/etc/acceptd/rules.d/90-broken.rules"
  mark=$(wc -l <"$log")
  if in_root "${build[@]}"; then
    result FAIL policy-error-refused "the initrd build succeeded with a broken policy"
  elif grep -q '/etc/acceptd/rules.d/90-broken.rules:2' <<<"$(tail -n +"$mark" "$log")"; then
    result PASS policy-error-refused
  else
    result FAIL policy-error-refused "the build failed without naming 90-broken.rules:2"
  fi
  rm "$root/etc/acceptd/rules.d/90-broken.rules"
  start=$SECONDS
  check initrd-built "${build[@]}" && echo "vm-image: $tool initrd built in $((SECONDS - start)) s"
  # In this initrd's listing only: the binary, and the shim where it runs first (dracut's /init, an init-top script).
  # (Read into a variable first: under pipefail, grep -q leaving early would fail tail with SIGPIPE on a long listing.)
  mark=$(wc -l <"$log")
  if in_root "${list[@]}" && listing=$(tail -n +"$mark" "$log") &&
    grep -q 'usr/bin/acceptd$' <<<"$listing" && grep -qE "$shim" <<<"$listing"; then
    result PASS initrd-has-acceptd
  else result FAIL initrd-has-acceptd "${list[0]} lists no usr/bin/acceptd, or not /$shim"; fi
fi

cp "$root/boot/vmlinuz-$kver" "$out/vmlinuz"
cp "$root/boot/initrd.img-$kver" "$out/initrd.img"
size=$(($(du -sm "$root" | cut -f1) * 13 / 10 + 256))
rm -f "$out/disk.img"
if mkfs.ext4 -q -F -L root -d "$root" "$out/disk.img" "${size}M" >>"$log" 2>&1; then result PASS disk-image
else result FAIL disk-image "mkfs.ext4 -d failed"; fi
rm -rf "$root"
