# shellcheck shell=sh
# Coldplug: allowed virtio-net, -rng and -blk end bound at both levels (virtio-pci, then the virtio
# driver); the denied e1000/e1000e stay unbound with a reason in state.json. The virtio bus does not exist
# until acceptd itself loads virtio (with virtio_pci) and starts at autoprobe 1: it must be back at 0 before the
# transports' binds create its first device (every bus zeroed after each module load, on the parallel path too).
# shellcheck source=../../guest/lib.sh
. /lib/acceptd-test.sh
have_acceptd coldplug || exit 0

expect virtio-bus-absent-before-the-daemon "$(autoprobe_of virtio)" absent "virtio autoprobe before the daemon started"
note_autoprobe_at_first_virtio_device /tmp/first-virtio &
watcher=$!
start_daemon
if wait_coldplug coldplug-complete 150; then
  expect_virtio_autoprobe_0_at_first_device virtio-autoprobe-0-when-its-first-device-appeared /tmp/first-virtio
  expect_common_policy_applied coldplug
  expect autoprobe-still-off "$(autoprobe_on_buses)" "" "buses with autoprobe on (virtio included)"
  if daemon_alive; then pass daemon-keeps-running; else fail daemon-keeps-running "the daemon exited after coldplug"; fi
fi
kill "$watcher" 2>/dev/null
dump_daemon
