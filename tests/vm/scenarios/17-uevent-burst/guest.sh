# shellcheck shell=sh
# Lost uevents after coldplug, with the daemon's real receive buffer (128 MiB asked, 256 MiB granted):
# acceptd is stopped (as if stuck in a slow probe) while kernel-relayed uevents fill its socket until
# the kernel drops (Drops in /proc/net/netlink), and a virtio-net is hot-added meanwhile, so its
# uevents are lost. Resumed, acceptd must see the overflow (ENOBUFS), rescan, and bind the new device;
# the next uevent after it caught up shows a SEQNUM gap and is rescanned too. Both paths are read from
# state.json's ueventCounters, the losses from the kernel's own socket statistics.
# shellcheck source=../../guest/lib.sh
. /lib/acceptd-test.sh
have_acceptd uevent-burst || exit 0

# About 1.7 KB each, so each takes a 4 KB buffer in the socket (truesize). The relay silently refuses
# a message that passes 2 KB with the SEQNUM it appends, so leave room for a long SEQNUM.
pad=$(printf '%01700d' 0)
burst() { # COUNT
  forge-uevent flood "$1" change@/devices/virtual/acceptd-burst ACTION=change DEVPATH=/devices/virtual/acceptd-burst \
    SUBSYSTEM=acceptd-burst "PAD=$pad"
}
kernel_dropped() { [ "$(uevent_socket_column 9)" != 0 ]; }
caught_up() { [ "$(uevent_socket_column 5)" = 0 ]; }
# A function, so the driver is read again on every try (a "test $(...)" argument would be read once).
hot_virtio_net_bound() { [ "$(virtio_driver 0000:01:00.0)" = virtio_net ]; }

start_daemon
if wait_coldplug coldplug-complete 150; then
  expect nothing-lost-during-coldplug "$(uevent_socket_column 9) $(uevent_counter overflow)" "0 0" "kernel drops and overflow counter before the burst"
  seq0=$(cat /sys/kernel/uevent_seqnum)
  kill -STOP "$DAEMON_PID"
  sent=0
  while ! kernel_dropped && [ "$sent" -lt 400000 ]; do
    burst 5000 || break
    sent=$((sent + 5000))
  done
  echo "burst: $sent uevents, socket queue $(uevent_socket_column 5) bytes, kernel dropped $(uevent_socket_column 9)"
  if kernel_dropped; then pass burst-overflows-the-socket; else fail burst-overflows-the-socket "no drop after $sent uevents"; fi
  hotplug '{"driver":"virtio-net-pci","id":"hot1","bus":"rp1","romfile":""}'
  wait_until 60 test -e /sys/bus/pci/devices/0000:01:00.0 || fail hot-add "0000:01:00.0 did not appear"
  kill -CONT "$DAEMON_PID"
  t0=$(uptime_s)
  wait_until 600 hot_virtio_net_bound &&
    echo "ACCEPTD-TIMING burst-hotplug bound $(awk -v a="$t0" -v b="$(uptime_s)" 'BEGIN{printf "%.2f s", b-a}') after the daemon resumed"
  expect_virtio_bound hot-virtio-net-after-overflow 0000:01:00.0 virtio_net
  wait_until 60 uevent_counter_at_least overflow 1
  expect_match overflow-rescanned "$(uevent_counter overflow)" '^[1-9]' "ueventCounters.overflow"
  wait_until 600 caught_up || fail caught-up "acceptd's socket still holds $(uevent_socket_column 5) bytes"
  gaps=$(uevent_counter sequence-gap)
  echo change >/sys/bus/pci/devices/0000:00:08.0/uevent # the first uevent acceptd reads after the loss
  wait_until 60 uevent_counter_at_least sequence-gap 1
  expect_match sequence-gap-rescanned "$(uevent_counter sequence-gap)" '^[1-9]' "ueventCounters.sequence-gap (was $gaps before the last uevent)"
  echo "uevents since coldplug: $(($(cat /sys/kernel/uevent_seqnum) - seq0))"
  expect_common_policy_applied after-burst
  if daemon_alive; then pass daemon-survives-burst; else fail daemon-survives-burst "the daemon exited"; fi
fi
dump_daemon
