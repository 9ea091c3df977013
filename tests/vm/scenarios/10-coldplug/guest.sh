# shellcheck shell=sh
# Coldplug: allowed virtio-net, -rng and -blk end bound at both levels (virtio-pci, then the virtio
# driver); the denied e1000/e1000e stay unbound with a reason in state.json.
# shellcheck source=../../guest/lib.sh
. /lib/acceptd-test.sh
have_acceptd coldplug || exit 0

start_daemon
if wait_coldplug coldplug-complete 150; then
  expect_common_policy_applied coldplug
  expect autoprobe-still-off "$(autoprobe_on_buses)" "" "buses with autoprobe on (virtio included)"
  if daemon_alive; then pass daemon-keeps-running; else fail daemon-keeps-running "the daemon exited after coldplug"; fi
fi
dump_daemon
