# shellcheck shell=sh
# Forged uevents from a userspace process, each caught by its own check and counted under its own
# reason in state.json: sent straight to netlink group 1 (port id not 0: "sender-not-kernel"),
# relayed by the kernel (port id 0) with credentials claiming uid 1000 ("sender-not-root"), and
# relayed as root (only the sysfs re-check catches it: "not-in-sysfs"). None may add a device to
# state.json or bind anything.
# shellcheck source=../../guest/lib.sh
. /lib/acceptd-test.sh
have_acceptd forged-uevent || exit 0

# add for SLOT claiming to be a virtio-net function (an allowed-looking modalias).
forge() { # [--uid N] MODE SLOT
  uid=""
  [ "$1" = --uid ] && { uid="--uid $2"; shift 2; }
  path=/devices/pci0000:00/$2
  # shellcheck disable=SC2086 # $uid is empty or two words
  forge-uevent $uid "$1" "add@$path" ACTION=add "DEVPATH=$path" SUBSYSTEM=pci DRIVER= PCI_CLASS=20000 \
    PCI_ID=1AF4:1000 PCI_SUBSYS_ID=1AF4:0001 "PCI_SLOT_NAME=$2" \
    MODALIAS=pci:v00001AF4d00001000sv00001AF4sd00000001bc02sc00i00 \
    "SEQNUM=$(($(cat /sys/kernel/uevent_seqnum) + 1))"
}

# expect_counters NAME NOT-KERNEL NOT-ROOT NOT-IN-SYSFS: waits for the flush (the daemon writes its
# counters when the socket is idle), then compares all three.
expect_counters() {
  wait_until 15 uevent_counter_is sender-not-kernel "$2"
  wait_until 15 uevent_counter_is sender-not-root "$3"
  wait_until 15 uevent_counter_is not-in-sysfs "$4"
  expect "$1" "$(uevent_counter sender-not-kernel) $(uevent_counter sender-not-root) $(uevent_counter not-in-sysfs)" "$2 $3 $4" \
    "ueventCounters sender-not-kernel, sender-not-root, not-in-sysfs"
}

start_daemon
if wait_coldplug coldplug-complete 150; then
  bound=$(pci_bindings)
  expect_counters no-drops-before-forging 0 0 0
  log_lines=$(wc -l <"$DAEMON_LOG")
  if forge multicast 0000:00:09.0 && forge multicast 0000:00:04.0; then pass forged-multicast-sent; else fail forged-multicast-sent "forge-uevent multicast failed"; fi
  expect_counters forged-multicast-dropped-as-not-from-kernel 2 0 0
  expect_match forged-multicast-logged "$(tail -n +$((log_lines + 1)) "$DAEMON_LOG")" 'dropped uevent: sender port [1-9][0-9]* is not the kernel' "the daemon's log after the forged events"
  # The relay gives each message the next kernel SEQNUM. Root's comes first: after a dropped relayed
  # message the next one would show a SEQNUM gap and be answered with a full rescan instead.
  forge kernel 0000:00:0a.0 || fail forged-relay-sent "forge-uevent kernel failed"
  expect_counters forged-relay-caught-by-sysfs 2 0 1
  forge --uid 1000 kernel 0000:00:0b.0 || fail forged-uid-relay-sent "forge-uevent --uid 1000 kernel failed"
  expect_counters forged-uid-1000-dropped-as-not-root 2 1 1
  for slot in 09 0a 0b; do
    if has_entry "pci/0000:00:$slot.0"; then fail "no-entry-for-forged-00:$slot.0" "state.json lists pci/0000:00:$slot.0"; else pass "no-entry-for-forged-00:$slot.0"; fi
  done
  expect_denied forged-e1000-still-denied 0000:00:04.0
  expect bindings-unchanged "$(pci_bindings)" "$bound" "bound PCI devices"
  if daemon_alive; then pass daemon-survives-forged-events; else fail daemon-survives-forged-events "the daemon exited"; fi
fi
dump_daemon
