# shellcheck shell=sh
# The early shim (rdinit=/init-acceptd) ran before this script: every bus but faux must read
# drivers_autoprobe 0, and loading driver modules must bind nothing.
# shellcheck source=../../guest/lib.sh
. /lib/acceptd-test.sh

expect autoprobe-off-on-every-bus "$(autoprobe_on_buses)" "" "buses with autoprobe still on"

record=/run/acceptd/early-autoprobe
buses=0
for b in /sys/bus/*; do [ "${b##*/}" = faux ] || buses=$((buses + 1)); done
expect shim-record-lists-every-bus "$(grep -c ' 0$' "$record" 2>/dev/null)" "$buses" "buses recorded as 0 in $record"
expect shim-record-no-errors "$(grep -c ' error$' "$record" 2>/dev/null)" 0 "buses recorded as error"
expect_match run-is-tmpfs "$(grep ' /run ' /proc/mounts)" '^tmpfs /run tmpfs' "/run mount"
expect_match shim-execd-real-init "$(tr '\0' ' ' </proc/1/cmdline)" '^(/bin/sh )?/test-init( |$)' "PID 1 command line"
expect shim-logged-no-error "$(dmesg | grep -c acceptd-early-init)" 0 "acceptd-early-init lines in the kernel log"

# Built-in drivers (pcieport on the root ports) bound before the shim; nothing may join them.
before=$(pci_bindings)
load_modules virtio_pci virtio_net virtio_rng virtio_blk e1000 e1000e 8139cp 8139too
for slot in 03 04 05 06 07 08; do
  expect "unbound-after-modprobe-00:$slot.0" "$(pci_driver "0000:00:$slot.0")" none "driver of 0000:00:$slot.0"
done
expect pci-bindings-unchanged-by-modprobe "$(pci_bindings)" "$before" "bound PCI devices"
echo "bound before the shim ran: $before"
