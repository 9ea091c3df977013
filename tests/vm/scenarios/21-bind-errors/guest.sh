# shellcheck shell=sh
# The kernel's errnos of a bind write, from the real driver core (drivers/base/dd.c, device_driver_attach): the
# test module acceptd_errno_devs.ko registers platform devices whose driver (acceptd_errno_drv.ko, loaded by the
# daemon through modules.alias) fails each probe as the name says. Checked against the daemon's mapping
# (PlanExecutor.DoBind, DriverBinder.Bind): EAGAIN (-EPROBE_DEFER) retried three times, then `pending` and tried
# again on the daemon's pending rescan, which binds a device whose probe stopped deferring; ENODEV and EBUSY
# `failed` with their messages; the control `bound`. Each
# probe is counted by the driver in /sys/module/acceptd_errno_drv/parameters/probes_<kind>.
# shellcheck source=../../guest/lib.sh
. /lib/acceptd-test.sh
have_acceptd bind-errors || exit 0

PARAMS=/sys/module/acceptd_errno_drv/parameters
DRIVER=acceptd_errno
probes() { cat "$PARAMS/probes_$1" 2>/dev/null || echo none; }
platform_driver() { driver_of platform "$1"; }
at_least() { [ "$1" -ge "$2" ] 2>/dev/null; }
probes_above() { at_least "$(probes "$1")" "$2"; }
late_bound() { [ "$(platform_driver acceptd-late)" = "$DRIVER" ] && [ "$(state_field platform/acceptd-late state)" = bound ]; }
in_log() { grep -q -- "$1" "$DAEMON_LOG"; }
names() { for f in "$@"; do [ -e "$f" ] && printf '%s ' "${f##*/}"; done; }

if [ ! -e "/lib/modules/$(uname -r)/extra/acceptd_errno_devs.ko" ]; then
  echo "ACCEPTD-TEST SKIP bind-errors: no test modules in the initramfs (tests/vm/errno-module/build.sh failed on the host)"
  exit 0
fi
if ! modprobe acceptd_errno_devs; then
  fail errno-devices-load "modprobe acceptd_errno_devs failed"
  exit 0
fi
# Debian's kernel signs its modules but does not enforce signatures without secure boot (no lockdown): an
# unsigned out-of-tree module loads and taints the kernel with O (4096) and E (8192).
expect unsigned-test-module-loads-with-taint "$(($(cat /proc/sys/kernel/tainted) & 12288))" 12288 "tainted & (O|E)"
expect errno-devices-present "$(names /sys/bus/platform/devices/acceptd-*)" \
  "acceptd-busy acceptd-defer acceptd-late acceptd-nodev acceptd-ok " "platform devices acceptd-*"
expect errno-driver-not-loaded-before-daemon "$([ -d /sys/module/acceptd_errno_drv ] && echo loaded || echo absent)" absent \
  "acceptd_errno_drv"

start_daemon
if wait_coldplug coldplug-complete 150; then
  # Read at once: the first pending rescan comes 2 s after coldplug at the earliest.
  coldplug_defer=$(probes defer)
  expect errno-driver-loaded-by-daemon "$([ -d /sys/module/acceptd_errno_drv ] && echo loaded || echo absent)" loaded "acceptd_errno_drv"

  # The control: its probe succeeds.
  expect ok-bound "$(platform_driver acceptd-ok)" "$DRIVER" "driver of acceptd-ok"
  expect_state ok-state platform/acceptd-ok bound
  expect ok-probed-once "$(probes ok)" 1 "probes of acceptd-ok"

  # -EPROBE_DEFER: EAGAIN at the bind file, tried 1 + 3 times, then pending with nothing bound.
  expect defer-unbound "$(platform_driver acceptd-defer)" none "driver of acceptd-defer"
  expect_state defer-state platform/acceptd-defer pending
  expect defer-error "$(state_field platform/acceptd-defer error)" "probe deferred: $DRIVER deferred its probe of acceptd-defer" \
    "error of platform/acceptd-defer"
  if at_least "$coldplug_defer" 4; then pass defer-retried-three-times-at-coldplug
  else fail defer-retried-three-times-at-coldplug "the driver saw $coldplug_defer probes of acceptd-defer, expected at least 4"; fi

  # -ENODEV from the probe: ENODEV at the bind file.
  expect nodev-unbound "$(platform_driver acceptd-nodev)" none "driver of acceptd-nodev"
  expect_state nodev-state platform/acceptd-nodev failed
  expect nodev-error "$(state_field platform/acceptd-nodev error)" "bind refused: acceptd-nodev is gone or $DRIVER does not match it" \
    "error of platform/acceptd-nodev"
  if probes_above nodev 1; then pass nodev-probed; else fail nodev-probed "probes of acceptd-nodev: $(probes nodev)"; fi

  # -EBUSY from the probe of an unbound device: EBUSY at the bind file, which is not "already bound".
  expect busy-unbound "$(platform_driver acceptd-busy)" none "driver of acceptd-busy"
  expect_state busy-state platform/acceptd-busy failed
  expect busy-error "$(state_field platform/acceptd-busy error)" \
    "$DRIVER failed to probe acceptd-busy: the driver found it busy (EBUSY); no driver is bound" "error of platform/acceptd-busy"
  expect_match busy-kernel-saw-probe-fail "$(dmesg | grep 'acceptd-busy')" "probe of acceptd-busy failed with error -16" "the kernel log"

  # -EPROBE_DEFER until the guest lets it succeed: pending and unbound after coldplug (whose passes tried it
  # again); once released, only the daemon's pending rescan can bind it.
  expect late-unbound-at-coldplug "$(platform_driver acceptd-late)" none "driver of acceptd-late"
  expect_state late-state-at-coldplug platform/acceptd-late pending
  echo 1 >"$PARAMS/late_ready"
  if wait_until 60 late_bound; then pass late-bound-by-pending-rescan
  else fail late-bound-by-pending-rescan "acceptd-late: driver $(platform_driver acceptd-late), state '$(state_field platform/acceptd-late state)' 60 s after it was released"; fi
  if in_log "retrying devices whose probe was deferred"; then pass pending-rescan-logged
  else fail pending-rescan-logged "no 'retrying devices whose probe was deferred' in the daemon log"; fi

  # acceptd-defer, deferring for good, is probed again by that rescan and stays pending.
  if wait_until 60 probes_above defer $((coldplug_defer + 1)); then pass defer-retried-after-pending
  else fail defer-retried-after-pending "probes of acceptd-defer stayed at $(probes defer) for 60 s after coldplug"; fi
  expect_state defer-still-pending platform/acceptd-defer pending
  # A failed device stays failed until a policy reload or an operator decision: the coldplug passes and the pending
  # rescans since did not probe nodev and busy again.
  expect nodev-not-probed-again "$(probes nodev)" 1 "probes of acceptd-nodev after the pending rescans"
  expect busy-not-probed-again "$(probes busy)" 1 "probes of acceptd-busy after the pending rescans"
  expect defer-still-unbound "$(platform_driver acceptd-defer)" none "driver of acceptd-defer"
  expect driver-holds-only-ok-and-late "$(names /sys/bus/platform/drivers/$DRIVER/acceptd-*)" "acceptd-late acceptd-ok " \
    "devices bound to $DRIVER"
  echo "ACCEPTD-TIMING probes at the end: defer $(probes defer), late $(probes late), nodev $(probes nodev), busy $(probes busy), ok $(probes ok)"
fi
dump_daemon
