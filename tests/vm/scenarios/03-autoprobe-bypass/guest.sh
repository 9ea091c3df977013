# shellcheck shell=sh
# Kernel paths that bind although drivers_autoprobe is 0 (no acceptd here):
# Pitfall B: a hot-added PCI device binds to an already loaded driver (pci_bus_add_device() calls
# device_attach() directly); only the virtio level, a bus that honours autoprobe, is held back.
# Pitfall F: registering a serio driver attaches it to its devices directly (serio.c queues a
# driver_attach()), so loading psmouse binds the i8042 AUX port.
# shellcheck source=../../guest/lib.sh
. /lib/acceptd-test.sh

load_modules virtio_pci virtio_net e1000
echo 0 >/sys/bus/virtio/drivers_autoprobe
expect pci-autoprobe-off "$(autoprobe_of pci)" 0 "pci autoprobe"

hotplug '{"driver":"e1000","id":"hot2","bus":"rp2","romfile":""}'
hotplug '{"driver":"virtio-net-pci","id":"hot1","bus":"rp1","romfile":""}'
t0=$(uptime_s)
if wait_until 20 test -e /sys/bus/pci/devices/0000:02:00.0 && wait_until 20 test -e /sys/bus/pci/devices/0000:01:00.0; then
  pass hotplug-devices-appear
  echo "ACCEPTD-TIMING hotplug-appear $(awk -v a="$t0" -v b="$(uptime_s)" 'BEGIN{printf "%.2f s after the request", b-a}')"
else
  fail hotplug-devices-appear "0000:01:00.0 / 0000:02:00.0 did not appear within 20 s"
fi
sleep 1
expect pitfall-B-hot-added-e1000-bound-despite-autoprobe-0 "$(pci_driver 0000:02:00.0)" e1000 "driver of 0000:02:00.0"
expect pitfall-B-hot-added-virtio-pci-bound "$(pci_driver 0000:01:00.0)" virtio-pci "driver of 0000:01:00.0"
expect virtio-level-held-back "$(virtio_driver 0000:01:00.0)" none "driver of the virtio child of 0000:01:00.0"

expect serio-autoprobe-off "$(autoprobe_of serio)" 0 "serio autoprobe"
expect serio1-unbound-before-psmouse "$(driver_of serio serio1)" none "driver of serio1"
modprobe psmouse
sleep 1
expect pitfall-F-psmouse-binds-serio1-despite-autoprobe-0 "$(driver_of serio serio1)" psmouse "driver of serio1"
