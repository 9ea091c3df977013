# shellcheck shell=sh
# Booted with acceptd.mode=Permissive (a typo) and acceptd.foo=1 (unknown): the command line never
# stops the daemon. It starts, warns, and enforces: allowed devices bound, denied ones pinned.
# shellcheck source=../../guest/lib.sh
. /lib/acceptd-test.sh
have_acceptd cmdline-typo || exit 0

expect_match typo-on-command-line "$(cat /proc/cmdline)" 'acceptd\.mode=Permissive acceptd\.foo=1' "/proc/cmdline"
start_daemon
if wait_coldplug coldplug-complete 150; then
  expect_daemon_ran_and_bound_allowed typo
  expect e1000-pinned "$(cat /sys/bus/pci/devices/0000:00:04.0/driver_override)" none "driver_override of 0000:00:04.0 (enforce pins)"
  expect_match typo-warned "$(cat "$DAEMON_LOG")" "acceptd.mode=Permissive' is not 'enforce' or 'permissive': enforcing" "the daemon's log"
  expect_match unknown-warned "$(cat "$DAEMON_LOG")" "unknown parameter 'acceptd.foo=1' ignored" "the daemon's log"
fi
dump_daemon
