# shellcheck shell=sh
# A policy file with an error: acceptd refuses to start (non-zero exit, message naming file:line)
# and binds nothing.
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
dump_daemon
