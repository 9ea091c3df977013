# shellcheck shell=sh
# A policy file with an error: acceptd refuses to start (non-zero exit, message naming file:line)
# and binds nothing. Once a daemon of this boot has run a good policy, the same error no longer stops a
# restarted daemon: it runs the last good policy (kept under /run/acceptd), loudly, and binds by it.
# shellcheck source=../../guest/lib.sh
. /lib/acceptd-test.sh
have_acceptd bad-policy || exit 0

before=$(pci_bindings)
timeout 60 acceptd daemon --policy "$PWD/policy" --state-dir /run/acceptd 2>"$DAEMON_LOG"
rc=$?
if [ "$rc" -ne 0 ] && [ "$rc" -ne 124 ]; then pass refuses-to-start; else fail refuses-to-start "exit status $rc (124: still running after 60 s)"; fi
expect_match error-names-file-and-line "$(cat "$DAEMON_LOG")" '50-broken\.rules:3' "the daemon's error output"
expect nothing-bound "$(pci_bindings)" "$before" "bound PCI devices"
expect autoprobe-still-off "$(autoprobe_on_buses)" "" "buses with autoprobe on"
if [ -n "$(ls /sys/bus/virtio 2>/dev/null)" ]; then
  fail no-module-loaded "the virtio bus exists: a module was loaded"
else
  pass no-module-loaded
fi

# A daemon with a good policy (the broken file without its bad line) runs and records it as the last good one.
mkdir -p /tmp/good-policy
grep -v 'idd=' policy/50-broken.rules >/tmp/good-policy/50-good.rules
POLICY=/tmp/good-policy start_daemon
if wait_coldplug good-policy-coldplug-complete 150; then
  kill "$DAEMON_PID"
  wait "$DAEMON_PID" 2>/dev/null
  # Restarted with the broken policy: it must run, by the last good policy, and say so.
  : >"$DAEMON_LOG"
  start_daemon
  if wait_coldplug last-good-policy-coldplug-complete 150; then
    if daemon_alive; then pass runs-on-the-last-good-policy; else fail runs-on-the-last-good-policy "the daemon exited"; fi
    expect_match last-good-policy-said "$(cat "$DAEMON_LOG")" 'POLICY HAS ERRORS: running the last good policy' "the daemon's log"
    expect last-good-policy-binds-the-transport "$(pci_driver 0000:00:03.0)" virtio-pci "driver of 0000:00:03.0"
    expect_state last-good-policy-rule-of-the-transport pci/0000:00:03.0 bound
  fi
fi
dump_daemon
