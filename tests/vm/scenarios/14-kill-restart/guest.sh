# shellcheck shell=sh
# acceptd is SIGKILLed in the middle of coldplug and started again: at no point is an unapproved
# device bound, and the second run finishes the job without redoing what the first one did
# (a rebound virtio transport would get a new virtioN child, so the children's names must survive).
# shellcheck source=../../guest/lib.sh
. /lib/acceptd-test.sh
have_acceptd kill-restart || exit 0

allowed_bindings() { # PCI bindings of the test devices that the policy allows (or none)
  for dev in 0000:00:04.0 0000:00:05.0 0000:00:08.0; do
    [ "$(pci_driver $dev)" = none ] || printf '%s=%s ' "$dev" "$(pci_driver $dev)"
  done
}
first_step_done() { [ "$(pci_driver 0000:00:03.0)$(pci_driver 0000:00:06.0)$(pci_driver 0000:00:07.0)" != nonenonenone ]; }

start_daemon
if wait_until 150 first_step_done; then
  kill -9 "$DAEMON_PID"
  wait "$DAEMON_PID" 2>/dev/null
  coldplug_complete && done_before_kill=yes || done_before_kill=no
  echo "killed at uptime $(uptime_s); coldplug complete before the kill: $done_before_kill; bound: $(pci_bindings)"
  expect killed-mid-coldplug "$done_before_kill" no "coldplug complete when SIGKILL landed"
  expect no-unapproved-binding-after-kill "$(allowed_bindings)" "" "denied or unruled devices bound"
  before=""
  for dev in 0000:00:03.0 0000:00:06.0 0000:00:07.0; do
    before="$before$dev:$(virtio_child $dev) "
  done
  mv "$DAEMON_LOG" /tmp/acceptd-first.log

  start_daemon
  if wait_coldplug coldplug-complete-after-restart 150; then
    expect_common_policy_applied restart
    for entry in $before; do
      dev=${entry%:*}
      child=${entry##*:}
      [ -n "$child" ] || continue
      expect "not-rebound-$dev" "$(virtio_child "$dev")" "$child" "virtio child of $dev after the restart"
    done
    failed=$(state_objects | grep -c '"state":"failed"')
    expect no-failed-devices-after-restart "$failed" 0 "devices in state failed"
    expect_match no-busy-errors-after-restart "$(grep -ciE 'EBUSY|busy' "$DAEMON_LOG")" '^0$' "EBUSY mentions in the second run's log"
  fi
else
  fail killed-mid-coldplug "no virtio transport bound within 150 s of the first start"
fi
echo "--- first run's log"
cat /tmp/acceptd-first.log 2>/dev/null
dump_daemon
