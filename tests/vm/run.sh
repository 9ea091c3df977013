#!/usr/bin/env bash
# The real-kernel tier: Debian's kernel under QEMU/TCG with emulated PCI devices, an initramfs with
# busybox, the early shim and acceptd; each scenario boots once and reports over the serial console.
#
# Usage: tests/vm/run.sh [--refresh-snapshots] [SCENARIO...]   (default: every tests/vm/scenarios/*)
# A scenario directory holds guest.sh and optionally policy/, qemu.args (extra QEMU arguments) and
# cmdline (extra kernel parameters).
# Ends with one line "vm: N passed, N failed, N skipped"; exits non-zero on any failure, missing
# result or timeout. Under CI=true a missing prerequisite fails instead of skipping.
# ACCEPTD_VM_BINARY=path tests a prebuilt acceptd instead of publishing; ACCEPTD_VM_TIMEOUT sets
# the per-boot timeout in seconds. Logs: artifacts/vm/<scenario>.log (host-timestamped console), artifacts/vm/<scenario>/files/.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
art=$repo/artifacts/vm
boot_timeout=${ACCEPTD_VM_TIMEOUT:-300} # per boot: ~25 s idle, up to 170 s seen at load average 25
refresh=0
wanted=()
for arg in "$@"; do
  case $arg in
    --refresh-snapshots) refresh=1 ;;
    -h | --help) sed -n '2,11p' "$0"; exit 0 ;;
    -*) echo "vm: unknown option $arg" >&2; exit 2 ;;
    *) wanted+=("${arg%/}") ;;
  esac
done

passed=0 failed=0 skipped=0
now_us() { echo "${EPOCHREALTIME/./}"; }
since() { # START_US: seconds since then, millisecond precision, without forking
  local us=$(($(now_us) - $1))
  printf '%d.%03d' $((us / 1000000)) $((us / 1000 % 1000))
}
summary() {
  echo "vm: $passed passed, $failed failed, $skipped skipped"
  [ "$failed" -eq 0 ]
  exit
}
# A prerequisite we cannot provide: a skip on a developer machine, a failure in CI.
missing() {
  echo "vm: prerequisite missing: $1" >&2
  if [ "${CI:-}" = true ]; then failed=$((failed + 1)); else skipped=$((skipped + 1)); fi
  summary
}

# --- prerequisites ----------------------------------------------------------------------------
needed=()
command -v qemu-system-x86_64 >/dev/null || needed+=(qemu-system-x86)
dpkg -s busybox-static >/dev/null 2>&1 || needed+=(busybox-static)
command -v cpio >/dev/null || needed+=(cpio)
command -v depmod >/dev/null || needed+=(kmod)
command -v gcc >/dev/null || needed+=(gcc)
[ -f /usr/lib/x86_64-linux-gnu/libc.a ] || needed+=(libc6-dev)
command -v python3 >/dev/null || needed+=(python3)
command -v swtpm >/dev/null || needed+=(swtpm swtpm-tools) # the TPM 2.0 of the measured-topology scenario
command -v tpm2_eventlog >/dev/null || needed+=(tpm2-tools)
ldconfig -p | grep -q 'libssl\.so\.3 ' || needed+=(libssl3) # .NET's cryptography loads it in the guest
if [ ${#needed[@]} -gt 0 ]; then
  echo "vm: installing ${needed[*]}" >&2
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${needed[@]}"; } >&2 ||
    missing "could not install ${needed[*]}"
fi

mkdir -p "$art"
t_setup=$(now_us)
tree=${ACCEPTD_KERNEL_TREE:-$("$here/fetch-kernel.sh")} || missing "Debian kernel (tests/vm/fetch-kernel.sh failed)"
kver=$(basename "$tree")

# acceptd: republished only when a source file changed. A failed publish is not fatal here: the
# scenarios that need acceptd fail on their own and the rest still run.
publish=$art/publish
hash=$(cd "$repo" && find src packaging Directory.Build.props Directory.Packages.props -type f \
  -not -path '*/bin/*' -not -path '*/obj/*' -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
acceptd=""
if [ -n "${ACCEPTD_VM_BINARY:-}" ]; then
  acceptd=$ACCEPTD_VM_BINARY # a prebuilt acceptd (e.g. from a package) instead of publishing the tree
elif [ -x "$publish/acceptd" ] && [ "$(cat "$publish/.source-hash" 2>/dev/null)" = "$hash" ]; then
  acceptd=$publish/acceptd
else
  rm -rf "$publish"
  if acceptd=$("$repo/packaging/publish.sh" "$publish" 2>"$art/publish.log"); then
    echo "$hash" >"$publish/.source-hash"
  else
    echo "vm: packaging/publish.sh failed (see artifacts/vm/publish.log); scenarios needing acceptd will fail" >&2
    acceptd=""
  fi
fi

# The errno test modules (scenario 21), built against this kernel and cached. Without them that scenario
# reports a skip (a failure under CI=true) and the rest still run.
errno_modules=""
if ! errno_modules=$("$here/errno-module/build.sh" "$tree" 2>"$art/errno-module.log"); then
  echo "vm: tests/vm/errno-module/build.sh failed (see artifacts/vm/errno-module.log); 21-bind-errors will skip" >&2
  errno_modules=""
fi

initrd=$art/initrd.cpio
"$here/build-initramfs.sh" "$tree" "$initrd" "$acceptd" "$errno_modules" || missing "initramfs (build-initramfs.sh failed)"
printf 'vm: setup %s s (kernel %s, initramfs %s bytes)\n' "$(since "$t_setup")" "$kver" "$(stat -c %s "$initrd")"

# --- one boot per scenario --------------------------------------------------------------------
# shellcheck source=qemu-devices.sh
. "$here/qemu-devices.sh"
# shellcheck disable=SC2054 # commas belong to QEMU's option syntax
base_devices=("${qemu_devices[@]}"
  -device pcie-root-port,id=rp1,chassis=1,slot=1,addr=0x10
  -device pcie-root-port,id=rp2,chassis=2,slot=2,addr=0x11
)

# Reads the console, timestamps it into the log and serves hotplug requests over QMP.
console_loop() { # LOG QMP-SOCKET
  local start line
  start=$(now_us)
  while IFS= read -r line; do
    line=${line%$'\r'}
    printf '[%8s] %s\n' "$(since "$start")" "$line" >>"$1"
    if [[ $line =~ ACCEPTD-HOTPLUG\ (\{.*\})$ ]]; then
      printf '[%8s] host: device_add %s\n' "$(since "$start")" \
        "$(python3 "$here/qmp.py" "$2" device_add "${BASH_REMATCH[1]}" 2>&1)" >>"$1"
    fi
  done
}

# A scenario's optional host.sh runs on the host around its boot (see 20-measured-tpm/host.sh):
# "start DIR" starts what the guest needs and prints extra QEMU arguments, one a line; "check DIR
# FILES LOG" prints PASS/FAIL lines about the files the guest exported; "stop DIR" cleans up.
host_hook() { # SCENARIO-DIR VERB ARGS...
  local dir=$1
  shift
  [ -x "$dir/host.sh" ] || return 0
  ACCEPTD=$acceptd "$dir/host.sh" "$@"
}

run_scenario() { # NAME
  local name=$1 dir=$here/scenarios/$1 log=$art/$1.log sock extra=() append="" t0 rc hostdir
  rm -rf "${log:?}" "${art:?}/${name:?}"
  sock=$(mktemp -u "${TMPDIR:-/tmp}/acceptd-qmp.XXXXXX.sock")
  if [ -f "$dir/qemu.args" ]; then
    # One argument per line; '#' starts a comment line.
    mapfile -t extra < <(grep -v '^\s*\(#\|$\)' "$dir/qemu.args")
  fi
  # no_timer_check: on a loaded host TCG can miss the IO-APIC timer test ("IO-APIC + timer doesn't work" panic).
  if [ -f "$dir/cmdline" ]; then
    # Extra kernel parameters, appended as written ('#' lines are comments).
    append=" $(grep -v '^\s*\(#\|$\)' "$dir/cmdline" | tr '\n' ' ')"
  fi
  hostdir=$(mktemp -d "${TMPDIR:-/tmp}/acceptd-host.XXXXXX") # short: unix socket paths live here
  mapfile -t -O "${#extra[@]}" extra < <(host_hook "$dir" start "$hostdir")
  t0=$(now_us)
  timeout --foreground -k 5 "$boot_timeout" qemu-system-x86_64 -machine q35 -accel tcg -cpu max -smp 1 -m 1024 \
    -nodefaults -no-user-config -display none -serial stdio -no-reboot \
    -qmp "unix:$sock,server=on,wait=off" \
    -kernel "$tree/boot/vmlinuz-$kver" -initrd "$initrd" \
    -append "console=ttyS0 panic=-1 loglevel=4 no_timer_check rdinit=/init-acceptd ACCEPTD_REAL_INIT=/test-init ACCEPTD_SCENARIO=$name$append" \
    "${base_devices[@]}" "${extra[@]}" </dev/null 2>&1 | console_loop "$log" "$sock"
  rc=${PIPESTATUS[0]}
  rm -f "$sock"
  local seconds
  seconds=$(since "$t0")

  local p f s why=""
  p=$(grep -c 'ACCEPTD-TEST PASS ' "$log")
  f=$(grep -c 'ACCEPTD-TEST FAIL ' "$log")
  s=$(grep -c 'ACCEPTD-TEST SKIP ' "$log")
  if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then why="timed out after ${boot_timeout} s"
  elif ! grep -q "ACCEPTD-TEST DONE $name" "$log"; then why="guest never reported DONE (qemu exit $rc)"
  elif [ $((p + f + s)) -eq 0 ]; then why="no results reported"
  fi
  if [ -n "$why" ]; then f=$((f + 1)); fi
  if [ "${CI:-}" = true ] && [ "$s" -gt 0 ]; then f=$((f + s)); s=0; fi
  passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))

  extract_files "$name" "$log"
  host_hook "$dir" stop "$hostdir"
  local line
  while read -r line; do
    case $line in
      PASS\ *) p=$((p + 1)) passed=$((passed + 1)) ;;
      FAIL\ *) f=$((f + 1)) failed=$((failed + 1)); echo "vm:   $line" ;;
    esac
  done < <(host_hook "$dir" check "$hostdir" "$art/$name/files" "$log")
  rm -rf "$hostdir"
  grep -o 'ACCEPTD-TEST \(FAIL\|SKIP\) .*' "$log" | sed "s/^ACCEPTD-TEST /vm:   /"
  [ -z "$why" ] || echo "vm:   FAIL $name: $why"
  grep -o 'ACCEPTD-TIMING .*' "$log" | sed "s/^ACCEPTD-TIMING /vm:   timing: /"
  echo "vm: $name: $p passed, $f failed, $s skipped (${seconds} s, log artifacts/vm/$name.log)"
  if [ "$f" -gt 0 ] && grep -qx "$name" "$here/pending" 2>/dev/null; then
    echo "vm:   note: $name is listed in tests/vm/pending: the product feature it tests is not merged yet"
  fi
}

# Decodes ACCEPTD-FILE blocks of a scenario log into artifacts/vm/<scenario>/files/.
extract_files() { # NAME LOG
  local out=$art/$1/files file
  while read -r file; do
    mkdir -p "$out"
    sed -n "/ACCEPTD-FILE BEGIN $file/,/ACCEPTD-FILE END $file/p" "$2" | sed 's/^\[ *[0-9.]*\] //' |
      grep -E '^[A-Za-z0-9+/=]+$' | base64 -d >"$out/$file" 2>/dev/null ||
      { echo "vm:   FAIL $1: file $file from the guest does not decode"; failed=$((failed + 1)); continue; }
    if [ "$refresh" = 1 ] && [[ $file == *.tar.gz ]]; then
      if gzip -t "$out/$file" 2>/dev/null; then
        mkdir -p "$repo/tests/data/snapshots" && cp "$out/$file" "$repo/tests/data/snapshots/$file"
        echo "vm:   refreshed tests/data/snapshots/$file"
      else
        echo "vm:   FAIL $1: snapshot $file is corrupt; tests/data/snapshots left as it was"; failed=$((failed + 1))
      fi
    fi
  done < <(sed -n 's/.*ACCEPTD-FILE BEGIN \([A-Za-z0-9._-]*\).*/\1/p' "$2")
}

if [ ${#wanted[@]} -eq 0 ]; then
  for d in "$here"/scenarios/*/; do wanted+=("$(basename "$d")"); done
fi
for name in "${wanted[@]}"; do
  if [ ! -f "$here/scenarios/$name/guest.sh" ]; then
    echo "vm:   FAIL $name: no such scenario (tests/vm/scenarios/$name/guest.sh)"; failed=$((failed + 1)); continue
  fi
  run_scenario "$name"
done
summary
