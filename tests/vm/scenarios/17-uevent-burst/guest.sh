# shellcheck shell=sh
# A burst of uevents larger than the receive buffer (ACCEPTD_NETLINK_RCVBUF shrinks it) overflows the
# socket; acceptd must notice (ENOBUFS / SEQNUM gap), rescan sysfs and miss nothing: a virtio-net
# hot-added during the burst still ends bound at both levels.
# shellcheck source=../../guest/lib.sh
. /lib/acceptd-test.sh
have_acceptd uevent-burst || exit 0

export ACCEPTD_NETLINK_RCVBUF=4096
start_daemon
if wait_coldplug coldplug-complete 150 && wait_listening listening; then
  seq0=$(cat /sys/kernel/uevent_seqnum)
  (
    i=0
    while [ $i -lt 15 ]; do
      for f in /sys/bus/*/devices/*/uevent; do echo add >"$f"; done 2>/dev/null
      i=$((i + 1))
    done
  ) &
  burst=$!
  hotplug '{"driver":"virtio-net-pci","id":"hot1","bus":"rp1","romfile":""}'
  wait "$burst"
  echo "burst: $(($(cat /sys/kernel/uevent_seqnum) - seq0)) uevents"
  t0=$(uptime_s)
  wait_until 60 test "$(virtio_driver 0000:01:00.0)" = virtio_net &&
    echo "ACCEPTD-TIMING burst-hotplug bound $(awk -v a="$t0" -v b="$(uptime_s)" 'BEGIN{printf "%.2f s", b-a}') after the burst ended"
  expect_virtio_bound hot-virtio-net-during-burst 0000:01:00.0 virtio_net
  expect_match overflow-noticed "$(cat "$DAEMON_LOG")" '[Rr]escan|ENOBUFS|[Oo]verflow|[Nn]o buffer space' "the daemon's log"
  expect_common_policy_applied after-burst
  if daemon_alive; then pass daemon-survives-burst; else fail daemon-survives-burst "the daemon exited"; fi
fi
dump_daemon
