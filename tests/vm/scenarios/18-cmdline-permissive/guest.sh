# shellcheck shell=sh
# Booted with acceptd.mode=permissive: the daemon runs, binds what the policy allows, and pins nothing:
# the denied e1000s stay unbound (autoprobe is off) but without driver_override=none, unlike enforce.
# shellcheck source=../../guest/lib.sh
. /lib/acceptd-test.sh
have_acceptd cmdline-permissive || exit 0

expect_match mode-on-command-line "$(cat /proc/cmdline)" 'acceptd\.mode=permissive' "/proc/cmdline"
start_daemon
if wait_coldplug coldplug-complete 150; then
  if daemon_alive; then pass daemon-runs; else fail daemon-runs "the daemon exited after coldplug"; fi
  expect virtio-net-bound "$(pci_driver 0000:00:03.0)" virtio-pci "driver of 0000:00:03.0"
  expect virtio-net-child-bound "$(virtio_driver 0000:00:03.0)" virtio_net "driver of the virtio child of 0000:00:03.0"
  expect virtio-blk-bound "$(pci_driver 0000:00:07.0)" virtio-pci "driver of 0000:00:07.0"
  expect e1000-unbound "$(pci_driver 0000:00:04.0)" none "driver of 0000:00:04.0"
  expect e1000-not-pinned "$(cat /sys/bus/pci/devices/0000:00:04.0/driver_override)" "(null)" "driver_override of 0000:00:04.0"
  expect autoprobe-still-off "$(autoprobe_on_buses)" "" "buses with autoprobe on"
  expect_state e1000-reported pci/0000:00:04.0 reported
fi
dump_daemon
