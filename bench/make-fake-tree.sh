#!/usr/bin/env bash
# Writes a sysfs-shaped tree with N virtio PCI devices, a module index and a one-rule policy under ROOT
# (ROOT/sys, ROOT/proc, ROOT/lib/modules, ROOT/policy), for benchmarks that must not touch this machine's /sys.
# Usage: bench/make-fake-tree.sh ROOT N
set -euo pipefail
root=$1 devices=$2 rel=6.1.0-bench
mkdir -p "$root/proc/sys/kernel" "$root/sys/bus/pci/devices" "$root/sys/bus/pci/drivers" "$root/lib/modules/$rel" "$root/policy"
echo "$rel" >"$root/proc/sys/kernel/osrelease"; echo "console=ttyS0" >"$root/proc/cmdline"
echo 0 >"$root/sys/bus/pci/drivers_autoprobe"; : >"$root/sys/bus/pci/drivers_probe"
echo "alias pci:v00001AF4d00001000sv*sd*bc*sc*i* virtio_pci" >"$root/lib/modules/$rel/modules.alias"
echo "kernel/virtio_pci.ko:" >"$root/lib/modules/$rel/modules.dep"
echo 'allow bus=pci id=1af4:1000 module=virtio_pci reason="bench"' >"$root/policy/50-bench.rules"
for ((i = 0; i < devices; i++)); do
  name=$(printf "0000:%02x:%02x.%x" $((i / 256)) $(((i / 8) % 32)) $((i % 8)))
  d=$root/sys/devices/pci0000:00/$name
  mkdir -p "$d"
  printf '0x1af4\n' >"$d/vendor"; printf '0x1000\n' >"$d/device"; printf '0x020000\n' >"$d/class"
  printf '0x1af4\n' >"$d/subsystem_vendor"; printf '0x0001\n' >"$d/subsystem_device"; printf '0x00\n' >"$d/revision"
  printf 'pci:v00001AF4d00001000sv00001AF4sd00000001bc02sc00i00\n' >"$d/modalias"; printf '(null)\n' >"$d/driver_override"; : >"$d/uevent"
  ln -s "../../../devices/pci0000:00/$name" "$root/sys/bus/pci/devices/$name"
done
