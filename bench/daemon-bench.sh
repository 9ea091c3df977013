#!/usr/bin/env bash
# Whole-process figures of the shipped binary (self-contained, trimmed, ReadyToRun):
#   1. `acceptd dry-run` on this machine: wall time and peak RSS (median of RUNS);
#   2. `acceptd daemon --dry-run` on a generated 1,000-device tree: time from exec to coldplug complete (READY=1 follows
#      at once) and resident memory once ready (median of RUNS).
# Usage: bench/daemon-bench.sh [DEVICES] [RUNS]
set -euo pipefail
devices=${1:-1000} runs=${2:-5}
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/acceptd-daemon-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
bin=${ACCEPTD_BIN:-$repo/artifacts/publish/acceptd}
[ -x "$bin" ] || bin=$(bash "$repo/packaging/publish.sh")
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

for ((i = 0; i < runs; i++)); do
  /usr/bin/time -f "%e %M" -o "$work/t" "$bin" dry-run >/dev/null
  cat "$work/t" >>"$work/dry"
done
echo "dry-run of this machine: median wall $(cut -d' ' -f1 "$work/dry" | median) s, peak RSS $(cut -d' ' -f2 "$work/dry" | median) KiB ($runs runs)"

bash "$repo/bench/make-fake-tree.sh" "$work/root" "$devices"
for ((i = 0; i < runs; i++)); do
  python3 - "$bin" "$work" >>"$work/ready" <<'PY'
import os, subprocess, sys, time
binary, work = sys.argv[1:3]
# READY=1 goes out only under systemd (Microsoft.Extensions.Hosting.Systemd checks its parent), so the moment the
# daemon reports coldplug complete on stderr stands for it: READY=1 follows it at once.
start = time.monotonic()
proc = subprocess.Popen([binary, "daemon", "--dry-run", "--sysfs-root", f"{work}/root", "--policy", f"{work}/root/policy",
                         "--state-dir", f"{work}/state", "--config", f"{work}/none.conf"],
                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
for line in proc.stderr:
    if "coldplug complete" in line: break
ready = time.monotonic() - start
time.sleep(1.0)
rss = next(int(l.split()[1]) for l in open(f"/proc/{proc.pid}/status") if l.startswith("VmRSS:"))
proc.terminate(); proc.wait(10)
print(f"{ready * 1000:.0f} {rss}")
PY
done
echo "daemon start to coldplug complete (READY) with $devices devices: median $(cut -d' ' -f1 "$work/ready" | median) ms, RSS when ready $(cut -d' ' -f2 "$work/ready" | median) KiB ($runs runs)"
