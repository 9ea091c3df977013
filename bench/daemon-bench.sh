#!/usr/bin/env bash
# Whole-process figures of the shipped binary (self-contained, trimmed, ReadyToRun):
#   1. `acceptd dry-run` on this machine: wall time and peak RSS (median of RUNS);
#   2. `acceptd daemon --dry-run` on a generated 1,000-device tree: time from exec to READY=1 (sd_notify, read from a
#      notify socket of our own) and resident memory once ready (median of RUNS).
# Usage: bench/daemon-bench.sh [DEVICES] [RUNS]
set -euo pipefail
devices=${1:-1000} runs=${2:-5}
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/acceptd-daemon-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
bin=$repo/artifacts/publish/acceptd
[ -x "$bin" ] || bin=$(bash "$repo/packaging/publish.sh")
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

for ((i = 0; i < runs; i++)); do
  /usr/bin/time -f "%e %M" -o "$work/t" "$bin" dry-run >/dev/null
  cat "$work/t" >>"$work/dry"
done
echo "dry-run of this machine: median wall $(cut -d' ' -f1 "$work/dry" | median) s, peak RSS $(cut -d' ' -f2 "$work/dry" | median) KiB ($runs runs)"

bash "$repo/bench/make-fake-tree.sh" "$work/root" "$devices"
for ((i = 0; i < runs; i++)); do
  python3 - "$bin" "$work" "$devices" >>"$work/ready" <<'PY'
import os, socket, subprocess, sys, time
binary, work, devices = sys.argv[1:4]
path = os.path.join(work, "notify")
if os.path.exists(path): os.unlink(path)
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); sock.bind(path); sock.settimeout(30)
env = dict(os.environ, NOTIFY_SOCKET=path)
start = time.monotonic()
proc = subprocess.Popen([binary, "daemon", "--dry-run", "--sysfs-root", f"{work}/root", "--policy", f"{work}/root/policy",
                         "--state-dir", f"{work}/state", "--config", f"{work}/none.conf"], env=env,
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
while b"READY=1" not in sock.recv(4096): pass
ready = time.monotonic() - start
time.sleep(1.0)
rss = next(int(l.split()[1]) for l in open(f"/proc/{proc.pid}/status") if l.startswith("VmRSS:"))
proc.terminate(); proc.wait(10)
print(f"{ready * 1000:.0f} {rss}")
PY
done
echo "daemon start to READY=1 with $devices devices: median $(cut -d' ' -f1 "$work/ready" | median) ms, RSS when ready $(cut -d' ' -f2 "$work/ready" | median) KiB ($runs runs)"
