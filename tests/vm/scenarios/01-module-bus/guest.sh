# shellcheck shell=sh
# Pitfall A: a bus registered by a module (virtio, from virtio.ko) starts with drivers_autoprobe=1
# although the shim zeroed every bus that existed at boot. The daemon scenarios show acceptd
# re-zeroing it; this one documents the kernel behaviour without acceptd.
# shellcheck source=../../guest/lib.sh
. /lib/acceptd-test.sh

expect virtio-bus-absent-at-boot "$(autoprobe_of virtio)" absent "virtio autoprobe"
modprobe virtio_pci
expect pitfall-A-module-bus-starts-with-autoprobe-1 "$(autoprobe_of virtio)" 1 "virtio autoprobe after modprobe virtio_pci"
modprobe virtio_net

# Bind the PCI level by hand: the virtio child binds to virtio_net on its own because autoprobe is 1.
echo virtio-pci >/sys/bus/pci/devices/0000:00:03.0/driver_override
echo 0000:00:03.0 >/sys/bus/pci/drivers_probe
expect manual-pci-bind-virtio-net "$(pci_driver 0000:00:03.0)" virtio-pci "driver of 0000:00:03.0"
expect pitfall-A-virtio-child-autobound "$(virtio_driver 0000:00:03.0)" virtio_net "driver of the virtio child of 0000:00:03.0"

# Re-zeroed, the bus holds the next child back until it is bound explicitly.
echo 0 >/sys/bus/virtio/drivers_autoprobe
modprobe virtio_rng
echo virtio-pci >/sys/bus/pci/devices/0000:00:06.0/driver_override
echo 0000:00:06.0 >/sys/bus/pci/drivers_probe
expect rezeroed-virtio-child-stays-unbound "$(virtio_driver 0000:00:06.0)" none "driver of the virtio child of 0000:00:06.0"
virtio_child 0000:00:06.0 >/sys/bus/virtio/drivers_probe
expect explicit-virtio-probe-binds "$(virtio_driver 0000:00:06.0)" virtio_rng "driver of the virtio child of 0000:00:06.0"
