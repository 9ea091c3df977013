# shellcheck shell=sh
# Booted with acceptd.mode=permissive: the daemon runs, binds what the policy allows, and pins nothing:
# the denied e1000 stays unbound (autoprobe is off) but without driver_override=none, unlike enforce.
# shellcheck source=../../guest/lib.sh
. /lib/acceptd-test.sh
have_acceptd cmdline-permissive || exit 0

expect_match mode-on-command-line "$(cat /proc/cmdline)" 'acceptd\.mode=permissive' "/proc/cmdline"
start_daemon
if wait_coldplug coldplug-complete 150; then
  expect_daemon_ran_and_bound_allowed permissive
  expect e1000-not-pinned "$(cat /sys/bus/pci/devices/0000:00:04.0/driver_override)" "(null)" "driver_override of 0000:00:04.0"
  expect_state e1000-reported pci/0000:00:04.0 reported
fi
dump_daemon
