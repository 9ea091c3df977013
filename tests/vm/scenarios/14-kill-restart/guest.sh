# shellcheck shell=sh
# acceptd is SIGKILLed at three points of coldplug and started again each time. Between two runs, root
# binds the denied e1000 while no daemon runs: it is not in the early shim's prebound record, so the
# next instance must treat it as a violation and unbind it (not as "bound before start", which
# prebound-denied = report would leave bound). What an earlier instance bound stays bound and is not
# redone (a rebound virtio transport would get a new virtioN child, so the children's names must
# survive), and nothing unapproved is bound at any kill.
# shellcheck source=../../guest/lib.sh
. /lib/acceptd-test.sh
have_acceptd kill-restart || exit 0

denied_or_unruled_bindings() { # PCI bindings of the test devices the policy does not allow (or none)
  for dev in 0000:00:04.0 0000:00:05.0 0000:00:08.0; do
    [ "$(pci_driver $dev)" = none ] || printf '%s=%s ' "$dev" "$(pci_driver $dev)"
  done
}
children() { for dev in 0000:00:03.0 0000:00:06.0 0000:00:07.0; do printf '%s:%s ' "$dev" "$(virtio_child $dev)"; done; }
first_transport_bound() { [ "$(pci_driver 0000:00:03.0)$(pci_driver 0000:00:06.0)$(pci_driver 0000:00:07.0)" != nonenonenone ]; }
e1000_decided() { [ "$(state_field pci/0000:00:04.0 state)" = violation ]; }
saved_once() { [ "$(state_inode)" != "$STATE_BEFORE_START" ]; }

kill_at() { # NAME CONDITION: SIGKILL as soon as CONDITION holds, then check that nothing unapproved is bound
  if wait_until 150 "$2"; then
    kill -9 "$DAEMON_PID"
    wait "$DAEMON_PID" 2>/dev/null
    coldplug_complete && done_before_kill=yes || done_before_kill=no
    echo "killed at $1, uptime $(uptime_s); bound: $(pci_bindings); children: $(children)"
    # Only the first kill has enough work left after its point (two transports, three child modules) to be sure to
    # land mid-coldplug; a restarted daemon has little left after its e1000 or its first save, and a fast machine
    # finishes it between two polls. Those kills still check that nothing unapproved is bound.
    if [ "$1" = first-transport ]; then
      expect "killed-mid-coldplug-at-$1" "$done_before_kill" no "coldplug complete when SIGKILL landed"
    else
      echo "killed at $1: coldplug complete when SIGKILL landed: $done_before_kill"
    fi
    expect "no-unapproved-binding-after-kill-at-$1" "$(denied_or_unruled_bindings)" "" "denied or unruled devices bound"
    cat "$DAEMON_LOG" >>/tmp/acceptd-killed.log
    : >"$DAEMON_LOG"
  else
    fail "killed-mid-coldplug-at-$1" "$2 did not happen within 150 s of the start"
  fi
}

start_daemon
kill_at first-transport first_transport_bound

# While no daemon runs, root binds the denied e1000 (as a driver grabbing a device would).
echo >/sys/bus/pci/devices/0000:00:04.0/driver_override
modprobe e1000
echo 0000:00:04.0 >/sys/bus/pci/drivers/e1000/bind
expect grabbed-while-no-daemon "$(pci_driver 0000:00:04.0)" e1000 "driver of 0000:00:04.0 after the manual bind"
if grep -q '^pci/0000:00:04.0 ' /run/acceptd/prebound; then fail e1000-not-in-prebound-record "listed"; else pass e1000-not-in-prebound-record; fi

start_daemon
kill_at e1000-decided e1000_decided
expect_state grabbed-e1000-is-a-violation pci/0000:00:04.0 violation
before=$(children)

start_daemon
kill_at first-save saved_once

start_daemon
if wait_coldplug coldplug-complete-after-restarts 150; then
  expect_virtio_bound restart-virtio-net 0000:00:03.0 virtio_net
  expect_virtio_bound restart-virtio-rng 0000:00:06.0 virtio_rng
  expect_virtio_bound restart-virtio-blk 0000:00:07.0 virtio_blk
  expect grabbed-e1000-unbound "$(pci_driver 0000:00:04.0)" none "driver of 0000:00:04.0"
  expect_state grabbed-e1000-still-a-violation pci/0000:00:04.0 violation
  if state_objects | grep -F '"key":"pci/0000:00:04.0",' | grep -q '"boundBeforeStart":false'; then
    pass grabbed-e1000-not-prebound
  else
    fail grabbed-e1000-not-prebound "state.json: $(state_objects | grep -F '"key":"pci/0000:00:04.0",' | head -c 300)"
  fi
  expect_denied restart-e1000e 0000:00:05.0
  expect restart-rtl8139-unbound "$(pci_driver 0000:00:08.0)" none "driver of 0000:00:08.0 (no rule)"
  for entry in $before; do
    dev=${entry%:*}
    child=${entry##*:}
    [ -n "$child" ] || continue
    expect "not-rebound-$dev" "$(virtio_child "$dev")" "$child" "virtio child of $dev after the restarts"
  done
  failed=$(state_objects | grep -c '"state":"failed"')
  expect no-failed-devices-after-restart "$failed" 0 "devices in state failed"
  expect_match no-busy-errors-after-restart "$(grep -ciE 'EBUSY|busy' "$DAEMON_LOG")" '^0$' "EBUSY mentions in the last run's log"
fi
echo "--- killed runs' logs"
cat /tmp/acceptd-killed.log 2>/dev/null
dump_daemon
