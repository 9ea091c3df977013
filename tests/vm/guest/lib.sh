# shellcheck shell=sh
# Assertions and helpers for scenario guest.sh scripts (busybox sh, run as root in the guest).
# Results go to the console as "ACCEPTD-TEST PASS <name>" / "ACCEPTD-TEST FAIL <name>: <why>";
# the host (tests/vm/run.sh) counts them.

STATE=/run/acceptd/state.json
DAEMON_LOG=/tmp/acceptd.log

pass() { echo "ACCEPTD-TEST PASS $1"; }
fail() { echo "ACCEPTD-TEST FAIL $1: $2"; }

# expect NAME ACTUAL EXPECTED [WHAT]: pass when ACTUAL = EXPECTED.
expect() {
  if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "${4:-value} is '$2', expected '$3'"; fi
}

# expect_match NAME TEXT EXTENDED-REGEX [WHAT]
expect_match() {
  if printf '%s\n' "$2" | grep -Eq -- "$3"; then pass "$1"; else fail "$1" "${4:-text} does not match /$3/: $(printf '%s' "$2" | head -c 300)"; fi
}

uptime_s() { read -r u _ </proc/uptime; echo "$u"; }

# wait_until SECONDS COMMAND...: polls every 0.2 s; status 1 on timeout.
wait_until() {
  tries=$(($1 * 5))
  shift
  while ! "$@"; do
    tries=$((tries - 1))
    [ "$tries" -gt 0 ] || return 1
    sleep 0.2
  done
}

# Driver bound to a device on a bus ("none" when unbound).
driver_of() { # BUS DEVICE
  link=$(readlink "/sys/bus/$1/devices/$2/driver" 2>/dev/null) || { echo none; return; }
  echo "${link##*/}"
}
pci_driver() { driver_of pci "$1"; }

# The virtio child of a virtio PCI function (virtioN), empty while the transport is unbound.
virtio_child() {
  for d in /sys/bus/pci/devices/"$1"/virtio*; do
    [ -e "$d" ] && { echo "${d##*/}"; return; }
  done
}
virtio_driver() { # PCI-DEVICE
  child=$(virtio_child "$1")
  if [ -n "$child" ]; then driver_of virtio "$child"; else echo "no-virtio-child"; fi
}

autoprobe_of() { cat "/sys/bus/$1/drivers_autoprobe" 2>/dev/null || echo absent; }

# Buses whose autoprobe is not 0, faux excepted (kernel-interfaces.md 1.6).
autoprobe_on_buses() {
  for f in /sys/bus/*/drivers_autoprobe; do
    b=${f#/sys/bus/}
    b=${b%/drivers_autoprobe}
    [ "$b" = faux ] && continue
    [ "$(cat "$f")" = 0 ] || printf '%s ' "$b"
  done
}

# Every bound PCI device as "dev=driver" (bridges bound before /init included).
pci_bindings() {
  for d in /sys/bus/pci/devices/*; do
    [ -e "$d/driver" ] && printf '%s=%s ' "${d##*/}" "$(pci_driver "${d##*/}")"
  done
}

load_modules() { # modprobe each, one at a time
  for m in "$@"; do modprobe "$m" || fail "modprobe-$m" "modprobe $m failed"; done
}

# Asks the host to hot-add a device over QMP (device_add arguments as JSON).
hotplug() { echo "ACCEPTD-HOTPLUG $1"; }

# Prints a guest file base64-encoded for the host to decode into artifacts/vm/<scenario>/files/NAME.
export_file() { # PATH NAME
  echo "ACCEPTD-FILE BEGIN $2"
  base64 "$1"
  echo "ACCEPTD-FILE END $2"
}

# --- the daemon ---------------------------------------------------------------------------------

have_acceptd() {
  command -v acceptd >/dev/null && return 0
  fail "${1:-acceptd}" "no acceptd in the initramfs (packaging/publish.sh failed on the host)"
  return 1
}

# Inode of state.json, or "none": every save replaces the file (rename), so a new inode is a new save.
state_inode() { stat -c %i "$STATE" 2>/dev/null || echo none; }

# start_daemon: acceptd daemon in the background, stderr to $DAEMON_LOG, pid in $DAEMON_PID.
start_daemon() {
  STATE_BEFORE_START=$(state_inode)
  acceptd daemon --policy "${POLICY:-$PWD/policy}" --state-dir /run/acceptd 2>>"$DAEMON_LOG" &
  DAEMON_PID=$!
}

daemon_alive() { kill -0 "$DAEMON_PID" 2>/dev/null; }

# A column of acceptd's uevent socket in /proc/net/netlink (protocol 15, group 1: in this guest only
# acceptd joins it): 5 = Rmem (bytes queued), 9 = Drops (messages the kernel could not queue).
uevent_socket_column() { awk -v c="$1" '$2 == 15 && $4 ~ /1$/ { print $c; found = 1 } END { if (!found) print "none" }' /proc/net/netlink; }

# uevent_counter NAME: state.json's ueventCounters entry (dropped/lost uevents by reason), 0 when absent.
uevent_counter() {
  n=$(tr -d ' \n' <"$STATE" 2>/dev/null | sed -n 's/.*"ueventCounters":{\([^}]*\)}.*/\1/p' | tr ',' '\n' | sed -n "s/^\"$1\":\([0-9]*\)$/\1/p")
  echo "${n:-0}"
}
uevent_counter_is() { [ "$(uevent_counter "$1")" = "$2" ]; }
uevent_counter_at_least() { [ "$(uevent_counter "$1")" -ge "$2" ]; }

# state.json as one line per device record, each starting at its "key" (records hold a nested "ids"
# object, so splitting at braces would not do).
state_objects() { [ -f "$STATE" ] && tr -d '\n' <"$STATE" | sed 's/" *: */":/g; s/"key":/\n"key":/g'; }

# Ready (what READY=1 means): this instance decided every present device. Its uevent socket was open
# before the scan, so no later event is missed. A new instance saves coldplugComplete false at start,
# so a file left by an earlier instance (same inode as before start_daemon) does not count.
# In the background: waits for the first virtio device and writes "AUTOPROBE DEVICES" of that moment to FILE.
note_autoprobe_at_first_virtio_device() { # FILE
  set -- "$1" /sys/bus/virtio/devices/*
  while [ ! -e "$2" ]; do
    sleep 0.01
    set -- "$1" /sys/bus/virtio/devices/*
  done
  file=$1
  shift
  echo "$(autoprobe_of virtio)" "$@" >"$file"
}

# Checks what note_autoprobe_at_first_virtio_device wrote: the virtio bus was at 0 when its first device appeared.
expect_virtio_autoprobe_0_at_first_device() { # NAME FILE
  if wait_until 5 test -s "$2"; then
    expect "$1" "$(cut -d' ' -f1 "$2")" 0 "virtio autoprobe when $(cut -d' ' -f2- "$2") appeared"
  else
    fail "$1" "no virtio device appeared"
  fi
}

coldplug_complete() {
  [ "$(state_inode)" != "$STATE_BEFORE_START" ] && tr -d ' \n' <"$STATE" 2>/dev/null | grep -q '"coldplugComplete":true'
}

coldplug_done_or_daemon_gone() { coldplug_complete || ! daemon_alive; }

# wait_coldplug NAME SECONDS: passes NAME when state.json reports coldplug complete; gives up early
# when the daemon exits.
wait_coldplug() {
  t0=$(uptime_s)
  wait_until "$2" coldplug_done_or_daemon_gone
  if coldplug_complete; then
    pass "$1"
    echo "ACCEPTD-TIMING $1 after daemon start: $(awk -v a="$t0" -v b="$(uptime_s)" 'BEGIN{printf "%.2f s", b-a}')"
  elif daemon_alive; then
    fail "$1" "state.json has no \"coldplugComplete\": true after $2 s"
    return 1
  else
    wait "$DAEMON_PID"
    fail "$1" "the daemon exited with status $? before coldplug completed: $(tail -n 3 "$DAEMON_LOG" | tr '\n' ' ' | head -c 400)"
    return 1
  fi
}

# state_field KEY FIELD: a string field of the device entry {"key":KEY,...}; empty when absent.
state_field() {
  state_objects | grep -F "\"key\":\"$1\"," | head -n 1 |
    sed -n "s/.*\"$2\": *\"\\([^\"]*\\)\".*/\\1/p"
}
has_entry() { state_objects | grep -qF "\"key\":\"$1\","; }

expect_state() { # NAME KEY STATE
  expect "$1" "$(state_field "$2" state)" "$3" "state of $2 in state.json"
}

# Prints state.json and the daemon log to the console for the host's log file.
dump_daemon() {
  echo "--- state.json"
  cat "$STATE" 2>/dev/null || echo "(none)"
  echo "--- acceptd log"
  cat "$DAEMON_LOG" 2>/dev/null || echo "(none)"
  echo "---"
}

# An allowed virtio PCI function: transport bound to virtio-pci, its child to VIRTIO-DRIVER.
expect_virtio_bound() { # NAME PCI-DEVICE VIRTIO-DRIVER
  expect "$1-pci-bound" "$(pci_driver "$2")" virtio-pci "driver of $2"
  expect "$1-virtio-bound" "$(virtio_driver "$2")" "$3" "driver of the virtio child of $2"
  expect_state "$1-state" "pci/$2" bound
}

# A denied PCI device: unbound, "denied" with a reason in state.json.
expect_denied() { # NAME PCI-DEVICE
  expect "$1-unbound" "$(pci_driver "$2")" none "driver of $2"
  expect_state "$1-state" "pci/$2" denied
  expect_match "$1-reason" "$(state_field "pci/$2" reason)" '.' "reason of pci/$2 in state.json"
}

# The coldplug outcome of the common policy (policy-common/50-virtio.rules).
expect_common_policy_applied() { # NAME-PREFIX
  expect_virtio_bound "$1-virtio-net" 0000:00:03.0 virtio_net
  expect_virtio_bound "$1-virtio-rng" 0000:00:06.0 virtio_rng
  expect_virtio_bound "$1-virtio-blk" 0000:00:07.0 virtio_blk
  expect_denied "$1-e1000" 0000:00:04.0
  expect_denied "$1-e1000e" 0000:00:05.0
  expect "$1-rtl8139-unbound" "$(pci_driver 0000:00:08.0)" none "driver of 0000:00:08.0 (no rule)"
}

# A daemon started under the kernel command line's settings ran through coldplug and applied the
# common policy's allow rules; the denied e1000 is unbound and autoprobe stayed 0 (the pin, which
# differs by mode, is the caller's to check).
expect_daemon_ran_and_bound_allowed() { # NAME-PREFIX
  if daemon_alive; then pass "$1-daemon-runs"; else fail "$1-daemon-runs" "the daemon exited after coldplug"; fi
  expect_virtio_bound "$1-virtio-net" 0000:00:03.0 virtio_net
  expect_virtio_bound "$1-virtio-blk" 0000:00:07.0 virtio_blk
  expect "$1-e1000-unbound" "$(pci_driver 0000:00:04.0)" none "driver of 0000:00:04.0"
  expect "$1-autoprobe-still-off" "$(autoprobe_on_buses)" "" "buses with autoprobe on"
}
