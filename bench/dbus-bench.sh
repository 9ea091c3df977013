#!/usr/bin/env bash
# D-Bus benchmark with real processes: a private dbus-daemon, `acceptd daemon --dry-run` over a generated fake sysfs
# tree with N PCI devices (default 1000), and two independent clients:
#   1. busctl, one process per call: AcceptD GetDevice vs org.freedesktop.DBus.GetId (the bus itself) on the same bus;
#   2. python3-dbus, one process looping: GetDevice round trips/s vs GetId round trips/s, and ListDevices latency;
#   3. the daemon's RSS before and after 4,000 calls (ListDevices and GetDevice, alternating) from 8 parallel clients.
# Usage: bench/dbus-bench.sh [DEVICES] [CALLS]     Prints the figures; takes about a minute.
# ACCEPTD_BIN=path benchmarks that binary (default: the NativeAOT one of packaging/publish.sh).
set -euo pipefail
devices=${1:-1000} calls=${2:-2000}
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/acceptd-dbus-bench.XXXXXX)
: >"$work/empty.conf" # an explicit --config must exist; empty: every default
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
bash "$repo/tests/AcceptD.DBus.Tests/install-test-deps.sh"

bin=${ACCEPTD_BIN:-$repo/artifacts/publish/acceptd}
[ -x "$bin" ] || bin=$(bash "$repo/packaging/publish.sh")

echo "generating a fake sysfs tree with $devices PCI devices" >&2
root=$work/root
bash "$repo/bench/make-fake-tree.sh" "$root" "$devices"

cat >"$work/bus.conf" <<CONF
<busconfig><type>system</type><listen>unix:path=$work/bus</listen><auth>EXTERNAL</auth>
<policy context="default"><allow user="*"/><allow own="*"/><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/></policy></busconfig>
CONF
dbus-daemon --config-file="$work/bus.conf" --nofork --nosyslog --print-address=3 3>"$work/address" 2>/dev/null &
pids+=($!)
for _ in $(seq 100); do [ -s "$work/address" ] && break; sleep 0.05; done
address=$(head -n1 "$work/address")

start=$(date +%s.%N)
"$bin" daemon --dry-run --sysfs-root "$root" --policy "$root/policy" --state-dir "$work/state" --config "$work/empty.conf" \
  --bus-address "$address" >"$work/daemon.log" 2>&1 &
pids+=($!)
until busctl --address="$address" status org.acceptd1 >/dev/null 2>&1; do
  sleep 0.1
  kill -0 "${pids[1]}" 2>/dev/null || { cat "$work/daemon.log"; exit 1; }
done
echo "daemon up with $devices devices after $(echo "$(date +%s.%N) - $start" | bc) s" >&2

per_call_ms() { # n command...
  local n=$1; shift
  local t0 t1; t0=$(date +%s%N)
  for ((k = 0; k < n; k++)); do "$@" >/dev/null; done
  t1=$(date +%s%N)
  echo "scale=2; ($t1 - $t0) / $n / 1000000" | bc
}
first=$(printf "pci/0000:00:00.0")
echo "== busctl, one process per call (200 calls each)"
echo "busctl GetDevice (acceptd):           $(per_call_ms 200 busctl --address="$address" call org.acceptd1 /org/acceptd1 org.acceptd1.Manager GetDevice s "$first") ms/call"
echo "busctl GetId (org.freedesktop.DBus):  $(per_call_ms 200 busctl --address="$address" call org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus GetId) ms/call"
echo "busctl ListDevices ($devices devices): $(per_call_ms 20 busctl --address="$address" call org.acceptd1 /org/acceptd1 org.acceptd1.Manager ListDevices s "") ms/call"

echo "== python3-dbus, one client process looping"
/usr/bin/python3 - "$address" "$calls" "$first" <<'PY'
import sys, time, dbus
address, calls, first = sys.argv[1], int(sys.argv[2]), sys.argv[3]
bus = dbus.bus.BusConnection(address)
manager = dbus.Interface(bus.get_object("org.acceptd1", "/org/acceptd1"), "org.acceptd1.Manager")
daemon = dbus.Interface(bus.get_object("org.freedesktop.DBus", "/org/freedesktop/DBus"), "org.freedesktop.DBus")
def rate(f, n):
    f()
    t = time.perf_counter()
    for _ in range(n): f()
    return n / (time.perf_counter() - t)
print(f"GetDevice round trips/s (acceptd):          {rate(lambda: manager.GetDevice(first), calls):8.0f}")
print(f"GetId round trips/s (org.freedesktop.DBus): {rate(lambda: daemon.GetId(), calls):8.0f}")
peer = dbus.Interface(bus.get_object("org.acceptd1", "/org/acceptd1"), "org.freedesktop.DBus.Peer")
print(f"Peer.Ping round trips/s (acceptd, no C# code): {rate(lambda: peer.Ping(), calls):8.0f}")
props = dbus.Interface(bus.get_object("org.acceptd1", "/org/acceptd1"), "org.freedesktop.DBus.Properties")
print(f"Get Version round trips/s (acceptd):        {rate(lambda: props.Get('org.acceptd1.Manager', 'Version'), calls):8.0f}")
n = 20
t = time.perf_counter()
for _ in range(n): rows = manager.ListDevices("")
print(f"ListDevices latency, {len(rows)} devices:       {(time.perf_counter() - t) / n * 1000:8.1f} ms")
t = time.perf_counter()
for _ in range(n): names = daemon.ListNames()
print(f"ListNames latency (org.freedesktop.DBus):   {(time.perf_counter() - t) / n * 1000:8.1f} ms")
PY

echo "== RSS after 4,000 calls from 8 parallel clients"
rss() { awk '/^VmRSS:/ { print $2 }' "/proc/${pids[1]}/status"; }
before=$(rss)
/usr/bin/python3 - "$address" "$first" <<'PY'
import sys, dbus
from concurrent.futures import ProcessPoolExecutor
address, first = sys.argv[1], sys.argv[2]
def client(_):
    bus = dbus.bus.BusConnection(address)
    manager = dbus.Interface(bus.get_object("org.acceptd1", "/org/acceptd1"), "org.acceptd1.Manager")
    for i in range(500):
        manager.ListDevices("") if i % 2 else manager.GetDevice(first)
with ProcessPoolExecutor(8) as pool:
    list(pool.map(client, range(8)))
PY
after=$(rss)
sleep 2
echo "daemon RSS: before $before KiB, after 4,000 calls $after KiB, 2 s later $(rss) KiB"
