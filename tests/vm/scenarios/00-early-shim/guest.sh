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
# The prebound record lists exactly what was bound then, one "bus/name driver" per line.
recorded=""
for d in /sys/bus/pci/devices/*; do
  [ -e "$d/driver" ] || continue
  line="pci/${d##*/} $(pci_driver "${d##*/}")"
  grep -qxF "$line" /run/acceptd/prebound 2>/dev/null && recorded="$recorded${d##*/}=$(pci_driver "${d##*/}") "
done
expect prebound-record-lists-bound-pci-devices "$recorded" "$before" "bound PCI devices listed in /run/acceptd/prebound"
load_modules virtio_pci virtio_net virtio_rng virtio_blk e1000 e1000e 8139cp 8139too
for slot in 03 04 05 06 07 08; do
  expect "unbound-after-modprobe-00:$slot.0" "$(pci_driver "0000:00:$slot.0")" none "driver of 0000:00:$slot.0"
done
expect pci-bindings-unchanged-by-modprobe "$(pci_bindings)" "$before" "bound PCI devices"
echo "bound before the shim ran: $before"

# A second run of the shim (a re-exec) must not record bindings made since the first one.
echo 0000:00:04.0 >/sys/bus/pci/drivers/e1000/bind
expect bound-by-hand "$(pci_driver 0000:00:04.0)" e1000 "driver of 0000:00:04.0 after a manual bind"
record_before=$(cat /run/acceptd/prebound)
/init-acceptd /bin/true
expect prebound-record-kept-by-a-second-shim-run "$(cat /run/acceptd/prebound)" "$record_before" "/run/acceptd/prebound"
