#!/usr/bin/env bash
# Whole-process figures of shipped binaries, several side by side: every run measures each binary in turn
# (alternating, because this machine's absolute times drift), and the medians are printed per binary:
#   1. `acceptd dry-run` on this machine: wall time and peak RSS, against `udevadm info --export-db` (wall);
#   2. `acceptd daemon --dry-run` on a generated 1,000-device tree, from its snapshot archive (`acceptd snapshot`) and
#      from the tree on disk: time from exec to READY=1 on NOTIFY_SOCKET and resident memory one second later;
#   3. one `acceptd modalias resolve` process against one `modprobe -R`, on the Debian kernel tree of
#      tests/vm/fetch-kernel.sh (ACCEPTD_KERNEL_TREE), for a real virtio modalias.
# Usage: bench/daemon-bench.sh [DEVICES] [RUNS]
#   ACCEPTD_BENCH_BINS="label=path ..." (default: "aot=" the NativeAOT binary of packaging/publish.sh), e.g.
#   ACCEPTD_BENCH_BINS="r2r=/tmp/r2r/acceptd aot=artifacts/publish/acceptd" to compare an older build.
set -euo pipefail
devices=${1:-1000} runs=${2:-5}
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/acceptd-daemon-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
: >"$work/empty.conf" # an explicit --config must exist; empty: every default
if [ -z "${ACCEPTD_BENCH_BINS:-}" ]; then
  bin=$repo/artifacts/publish/acceptd
  [ -x "$bin" ] || bin=$(bash "$repo/packaging/publish.sh")
  ACCEPTD_BENCH_BINS="aot=$bin"
fi
read -r -a entries <<<"$ACCEPTD_BENCH_BINS"
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)] + 0}'; }
tree=${ACCEPTD_KERNEL_TREE:-$(bash "$repo/tests/vm/fetch-kernel.sh")}
kver=$(basename "$(ls -d "$tree"/lib/modules/*)")
modalias="pci:v00001AF4d00001041sv00001AF4sd00001100bc02sc00i00" # virtio-net (modern)

bash "$repo/bench/make-fake-tree.sh" "$work/root" "$devices"
"${entries[0]#*=}" snapshot --sysfs-root "$work/root" -o "$work/tree.tar.gz" >/dev/null
ready() { # BINARY SOURCE-OPTIONS...: prints "ms-to-READY RSS-KiB"
  python3 - "$@" "$work" <<'PY'
import ctypes, os, socket, subprocess, sys, time
binary, source, work = sys.argv[1], sys.argv[2:-1], sys.argv[-1]
# Microsoft.Extensions.Hosting.Systemd sends READY=1 only when its parent process is named "systemd"; so this harness
# takes that name and listens on NOTIFY_SOCKET as systemd would, and times exec -> READY=1 itself.
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
}
timed() { # OUT COMMAND...: appends "milliseconds peak-RSS-KiB" (the clock around /usr/bin/time, which counts 10 ms)
  local out=$1 t0 t1
  shift
  t0=$(date +%s%N)
  /usr/bin/time -f "%M" -o "$work/t" "$@" >/dev/null 2>&1 || true
  t1=$(date +%s%N)
  echo "$(((t1 - t0) / 100000))e-1 $(tail -n1 "$work/t")" >>"$out"
}

for ((i = 0; i < runs; i++)); do
  timed "$work/udevadm" udevadm info --export-db
  timed "$work/modprobe" modprobe -d "$tree" -S "$kver" -R "$modalias"
  for entry in "${entries[@]}"; do
    label=${entry%%=*} bin=${entry#*=}
    timed "$work/$label.dry" "$bin" dry-run
    timed "$work/$label.resolve" "$bin" modalias resolve --modules-dir "$tree/lib/modules/$kver" "$modalias"
    ready "$bin" --snapshot "$work/tree.tar.gz" >>"$work/$label.snapshot"
    ready "$bin" --sysfs-root "$work/root" >>"$work/$label.tree"
    rm -rf "$work/state"
  done
done

med() { cut -d' ' -f"$2" "$1" | median; }
echo "$runs runs, alternating; medians. udevadm info --export-db $(med "$work/udevadm" 1) ms; modprobe -R $(med "$work/modprobe" 1) ms ($kver)"
for entry in "${entries[@]}"; do
  label=${entry%%=*} bin=${entry#*=}
  echo "[$label] $bin: $(stat -c %s "$bin") B"
  echo "[$label] dry-run of this machine: $(med "$work/$label.dry" 1) ms, peak RSS $(med "$work/$label.dry" 2) KiB"
  echo "[$label] modalias resolve (one process): $(med "$work/$label.resolve" 1) ms, peak RSS $(med "$work/$label.resolve" 2) KiB"
  echo "[$label] daemon exec to READY=1, $devices devices, snapshot archive: $(med "$work/$label.snapshot" 1) ms, RSS $(med "$work/$label.snapshot" 2) KiB"
  echo "[$label] daemon exec to READY=1, $devices devices, tree on disk: $(med "$work/$label.tree" 1) ms, RSS $(med "$work/$label.tree" 2) KiB"
done
