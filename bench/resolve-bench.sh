#!/usr/bin/env bash
# One `acceptd modalias resolve ALIAS` process against one `modprobe -R ALIAS` (kmod, reading the same tree's .bin
# indexes), for several AcceptD binaries side by side. Every round runs modprobe and then each binary once per alias,
# alternating (this machine's absolute times drift); medians of wall time (spawn to exit) and CPU time (user + sys)
# are printed per binary, with the ratio to modprobe's median; and, as the floor any process of that binary pays,
# `BINARY --version` (runtime start and command-line set-up, no index read).
# Usage: bench/resolve-bench.sh [ROUNDS]
#   ACCEPTD_BENCH_BINS="label=path ..." (default: "new=" the NativeAOT binary of packaging/publish.sh), e.g.
#   ACCEPTD_BENCH_BINS="old=/tmp/kmod-base-bin/acceptd new=artifacts/publish/acceptd".
#   ACCEPTD_KERNEL_TREE: the Debian kernel tree (default: tests/vm/fetch-kernel.sh's, cached under $ACCEPTD_CACHE).
set -euo pipefail
rounds=${1:-200}
repo=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${ACCEPTD_BENCH_BINS:-}" ]; then
  bin=$repo/artifacts/publish/acceptd
  [ -x "$bin" ] || bin=$(bash "$repo/packaging/publish.sh")
  ACCEPTD_BENCH_BINS="new=$bin"
fi
tree=${ACCEPTD_KERNEL_TREE:-$(bash "$repo/tests/vm/fetch-kernel.sh")}
kver=$(basename "$(ls -d "$tree"/lib/modules/*)")
python3 - "$rounds" "$tree" "$kver" $ACCEPTD_BENCH_BINS <<'PY'
import os, statistics, sys, time
rounds, tree, kver, bins = int(sys.argv[1]), sys.argv[2], sys.argv[3], [b.split("=", 1) for b in sys.argv[4:]]
modules = f"{tree}/lib/modules/{kver}"
aliases = ["pci:v00001AF4d00001041sv00001AF4sd00001100bc02sc00i00",  # virtio-net (modern): modules.alias
           "usb:v046DpC52Bd1201dc00dsc00dp00ic03isc01ip01in00",      # a Logitech receiver: usbhid
           "symbol:usb_register_driver",                               # modules.symbols
           "crc32c"]                                                   # an alias with two modules
commands = {"modprobe": lambda a: ["modprobe", "-d", tree, "-S", kver, "-R", a]}
for label, path in bins:
    commands[label] = lambda a, path=path: [path, "modalias", "resolve", "--modules-dir", modules, a]
devnull = os.open(os.devnull, os.O_WRONLY)
def run(argv):
    start = time.perf_counter_ns()
    pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)])
    _, status, usage = os.wait4(pid, 0)  # modprobe exits 1 for an alias the tree does not have: an answer too
    wall = (time.perf_counter_ns() - start) / 1e6
    return wall, (usage.ru_utime + usage.ru_stime) * 1000
for label, path in bins:
    commands[f"{label} --version"] = lambda a, path=path: [path, "--version"]
samples = {label: [] for label in commands}
for _ in range(rounds):
    for alias in aliases:
        for label, command in commands.items():
            samples[label].append(run(command(alias)))
base = statistics.median(w for w, _ in samples["modprobe"])
print(f"{rounds} rounds x {len(aliases)} aliases, alternating; {kver}; load average {os.getloadavg()[0]:.1f}")
for label, values in samples.items():
    wall, cpu = statistics.median(w for w, _ in values), statistics.median(c for _, c in values)
    print(f"{label:>14}: median {wall:6.2f} ms wall ({wall / base:5.2f}x modprobe), {cpu:5.2f} ms CPU")
PY
