# shellcheck shell=sh
# Booted with acceptd.mode=Permissive (a typo) and acceptd.foo=1 (unknown): the command line never
# stops the daemon. It starts, warns, and enforces: allowed devices bound, denied ones pinned.
# shellcheck source=../../guest/lib.sh
. /lib/acceptd-test.sh
have_acceptd cmdline-typo || exit 0

expect_match typo-on-command-line "$(cat /proc/cmdline)" 'acceptd\.mode=Permissive acceptd\.foo=1' "/proc/cmdline"
start_daemon
if wait_coldplug coldplug-complete 150; then
  if daemon_alive; then pass daemon-runs; else fail daemon-runs "the daemon exited after coldplug"; fi
  expect virtio-net-bound "$(pci_driver 0000:00:03.0)" virtio-pci "driver of 0000:00:03.0"
  expect virtio-net-child-bound "$(virtio_driver 0000:00:03.0)" virtio_net "driver of the virtio child of 0000:00:03.0"
  expect virtio-blk-bound "$(pci_driver 0000:00:07.0)" virtio-pci "driver of 0000:00:07.0"
  expect e1000-unbound "$(pci_driver 0000:00:04.0)" none "driver of 0000:00:04.0"
  expect e1000-pinned "$(cat /sys/bus/pci/devices/0000:00:04.0/driver_override)" none "driver_override of 0000:00:04.0 (enforce pins)"
  expect autoprobe-still-off "$(autoprobe_on_buses)" "" "buses with autoprobe on"
  expect_match typo-warned "$(cat "$DAEMON_LOG")" "acceptd.mode=Permissive' is not 'enforce' or 'permissive': enforcing" "the daemon's log"
  expect_match unknown-warned "$(cat "$DAEMON_LOG")" "unknown parameter 'acceptd.foo=1' ignored" "the daemon's log"
fi
dump_daemon
