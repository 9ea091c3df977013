#!/usr/bin/env bash
# Whole-process figures of the shipped binary (self-contained, trimmed, ReadyToRun):
#   1. `acceptd dry-run` on this machine: wall time and peak RSS (median of RUNS);
#   2. `acceptd daemon --dry-run` on a generated 1,000-device tree, from its snapshot archive (`acceptd snapshot`) and
#      from the tree on disk: time from exec to READY=1 on NOTIFY_SOCKET and resident memory one second later (median
#      of RUNS).
# Usage: bench/daemon-bench.sh [DEVICES] [RUNS]
set -euo pipefail
devices=${1:-1000} runs=${2:-5}
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/acceptd-daemon-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
: >"$work/empty.conf" # an explicit --config must exist; empty: every default
bin=${ACCEPTD_BIN:-$repo/artifacts/publish/acceptd}
[ -x "$bin" ] || bin=$(bash "$repo/packaging/publish.sh")
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

for ((i = 0; i < runs; i++)); do
  /usr/bin/time -f "%e %M" -o "$work/t" "$bin" dry-run >/dev/null
  cat "$work/t" >>"$work/dry"
done
echo "dry-run of this machine: median wall $(cut -d' ' -f1 "$work/dry" | median) s, peak RSS $(cut -d' ' -f2 "$work/dry" | median) KiB ($runs runs)"

bash "$repo/bench/make-fake-tree.sh" "$work/root" "$devices"
"$bin" snapshot --sysfs-root "$work/root" -o "$work/tree.tar.gz" >/dev/null
ready() { # LABEL SOURCE-OPTIONS...: exec -> READY=1 and RSS one second later, median of RUNS
  local label=$1
  shift
  : >"$work/ready"
  for ((i = 0; i < runs; i++)); do
    python3 - "$bin" "$work" "$@" >>"$work/ready" <<'PY'
import ctypes, os, socket, subprocess, sys, time
binary, work, source = sys.argv[1], sys.argv[2], sys.argv[3:]
# Microsoft.Extensions.Hosting.Systemd sends READY=1 only when its parent process is named "systemd"; so this harness
# takes that name and listens on NOTIFY_SOCKET as systemd would, and times exec -> READY=1 itself. The environment is
# the shipped units' (systemd/acceptd.service: DOTNET_EnableDiagnostics=0).
ctypes.CDLL(None).prctl(15, b"systemd", 0, 0, 0)  # PR_SET_NAME
notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
notify.bind(f"{work}/notify")
start = time.monotonic()
proc = subprocess.Popen([binary, "daemon", "--dry-run", *source, "--policy", f"{work}/root/policy",
                         "--state-dir", f"{work}/state", "--config", f"{work}/empty.conf"],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "NOTIFY_SOCKET": f"{work}/notify", "DOTNET_EnableDiagnostics": "0"})
notify.settimeout(30)
while b"READY=1" not in notify.recv(65536).split(b"\n"): pass
ready = time.monotonic() - start
time.sleep(1.0)
rss = next(int(l.split()[1]) for l in open(f"/proc/{proc.pid}/status") if l.startswith("VmRSS:"))
proc.terminate(); proc.wait(10)
notify.close(); os.unlink(f"{work}/notify")
print(f"{ready * 1000:.0f} {rss}")
PY
  done
  echo "daemon exec to READY=1, $devices devices, $label: median $(cut -d' ' -f1 "$work/ready" | median) ms, RSS when ready $(cut -d' ' -f2 "$work/ready" | median) KiB ($runs runs)"
}
ready "snapshot archive" --snapshot "$work/tree.tar.gz"
ready "tree on disk" --sysfs-root "$work/root"
