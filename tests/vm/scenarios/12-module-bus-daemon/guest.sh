# shellcheck shell=sh
# A module-created bus (virtio) comes up with autoprobe 1 (pitfall A); acceptd must zero it before
# anything on it binds. virtio_blk is loaded before the daemon starts, so a virtio bus left at 1 would
# bind the block device's virtio child at once although the policy denies it at the virtio level.
# After coldplug, a bus that a module load creates (gameport) must be zeroed when its uevent arrives.
# shellcheck source=../../guest/lib.sh
. /lib/acceptd-test.sh
have_acceptd module-bus || exit 0

modprobe virtio_blk
expect pitfall-A-virtio-bus-created-with-autoprobe-1 "$(autoprobe_of virtio)" 1 "virtio autoprobe after modprobe virtio_blk"

note_autoprobe_at_first_virtio_device /tmp/first-virtio &
watcher=$!

start_daemon
if wait_coldplug coldplug-complete 150; then
  expect virtio-autoprobe-0-after-coldplug "$(autoprobe_of virtio)" 0 "virtio autoprobe"
  expect_virtio_autoprobe_0_at_first_device virtio-autoprobe-0-when-first-virtio-device-appeared /tmp/first-virtio
  expect_virtio_bound virtio-net 0000:00:03.0 virtio_net
  expect virtio-blk-transport-bound "$(pci_driver 0000:00:07.0)" virtio-pci "driver of 0000:00:07.0"
  child=$(virtio_child 0000:00:07.0)
  expect denied-virtio-blk-child-unbound "$(virtio_driver 0000:00:07.0)" none "driver of the virtio child ($child) of 0000:00:07.0"
  expect_state denied-virtio-blk-child-state "virtio/$child" denied
  modprobe gameport
  if [ -e /sys/bus/gameport/drivers_autoprobe ]; then pass gameport-bus-created; else fail gameport-bus-created "no /sys/bus/gameport after modprobe gameport"; fi
  gameport_autoprobe_off() { [ "$(autoprobe_of gameport)" = 0 ]; } # read again on every try
  wait_until 30 gameport_autoprobe_off
  expect gameport-autoprobe-0-after-bus-add "$(autoprobe_of gameport)" 0 "gameport autoprobe 30 s after modprobe gameport"
fi
kill "$watcher" 2>/dev/null
dump_daemon
