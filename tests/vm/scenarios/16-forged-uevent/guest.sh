# shellcheck shell=sh
# Forged uevents from a userspace process: sent straight to netlink group 1 (port id not 0: must be
# dropped and logged) and relayed by the kernel (port id 0, only a sysfs re-check catches it).
# Neither may add a device to state.json or bind anything.
# shellcheck source=../../guest/lib.sh
. /lib/acceptd-test.sh
have_acceptd forged-uevent || exit 0

# add for SLOT claiming to be a virtio-net function (an allowed-looking modalias).
forge() { # MODE SLOT
  path=/devices/pci0000:00/$2
  forge-uevent "$1" "add@$path" ACTION=add "DEVPATH=$path" SUBSYSTEM=pci DRIVER= PCI_CLASS=20000 \
    PCI_ID=1AF4:1000 PCI_SUBSYS_ID=1AF4:0001 "PCI_SLOT_NAME=$2" \
    MODALIAS=pci:v00001AF4d00001000sv00001AF4sd00000001bc02sc00i00 \
    "SEQNUM=$(($(cat /sys/kernel/uevent_seqnum) + 1))"
}

start_daemon
if wait_coldplug coldplug-complete 150 && wait_listening listening; then
  bound=$(pci_bindings)
  log_lines=$(wc -l <"$DAEMON_LOG")
  if forge multicast 0000:00:09.0 && forge multicast 0000:00:04.0; then pass forged-multicast-sent; else fail forged-multicast-sent "forge-uevent multicast failed"; fi
  sleep 3
  expect_match forged-multicast-logged "$(tail -n +$((log_lines + 1)) "$DAEMON_LOG")" '[Dd]ropped|[Ff]orged|[Rr]ejected|[Uu]ntrusted' "the daemon's log after the forged events"
  forge kernel 0000:00:0a.0 || fail forged-relay-sent "forge-uevent kernel failed"
  sleep 3
  for slot in 09 0a; do
    if has_entry "pci/0000:00:$slot.0"; then fail "no-entry-for-forged-00:$slot.0" "state.json lists pci/0000:00:$slot.0"; else pass "no-entry-for-forged-00:$slot.0"; fi
  done
  expect_denied forged-e1000-still-denied 0000:00:04.0
  expect bindings-unchanged "$(pci_bindings)" "$bound" "bound PCI devices"
  if daemon_alive; then pass daemon-survives-forged-events; else fail daemon-survives-forged-events "the daemon exited"; fi
fi
dump_daemon
