#!/usr/bin/env bash
# Runs every test tier (unit + integration in .NET, packaging, QEMU end-to-end) and prints one line
# "N passed, N failed[, N skipped]" summing them all; exits non-zero on any failure.
# Installs missing Debian packages itself. Under CI=true a missing prerequisite is a failure, never a skip.
# Usage: tests/run-all.sh [--quick]   (--quick: .NET tiers only, for a fast local loop)
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
out=$repo/artifacts/test-results
mkdir -p "$out"
passed=0 failed=0 skipped=0

tally() { # tier-name passed failed skipped
  echo "== $1: $2 passed, $3 failed, $4 skipped"
  passed=$((passed + $2)) failed=$((failed + $3)) skipped=$((skipped + $4))
}

run_tier_script() { # name script
  local name=$1 script=$2 log=$out/$1.log
  if [ ! -x "$script" ]; then
    echo "== $name: $script is missing"; tally "$name" 0 1 0; return
  fi
  "$script" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]} line
  line=$(grep -E "^$name: [0-9]+ passed, [0-9]+ failed" "$log" | tail -n 1)
  if [ -z "$line" ]; then echo "== $name: no result line (exit $rc)"; tally "$name" 0 1 0; return; fi
  local p f s
  p=$(sed -E 's/.* ([0-9]+) passed.*/\1/' <<<"$line")
  f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
  s=$(grep -oE '[0-9]+ skipped' <<<"$line" | cut -d' ' -f1); s=${s:-0}
  [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
  tally "$name" "$p" "$f" "$s"
}

# Debian tools the .NET tiers drive for real: swtpm (a TPM 2.0) and tpm2_eventlog (CI starts fresh).
tools=()
command -v swtpm >/dev/null || tools+=(swtpm swtpm-tools)
command -v tpm2_eventlog >/dev/null || tools+=(tpm2-tools)
if [ ${#tools[@]} -gt 0 ]; then
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${tools[@]}"; } ||
    echo "could not install ${tools[*]}: the TPM tests fail under CI=true"
fi

# The kernel's module index serves the kmod parity test and the QEMU tier.
if tree=$(bash tests/vm/fetch-kernel.sh); then export ACCEPTD_KERNEL_TREE=$tree; else echo "fetching the Debian kernel failed"; fi
# A second flavour for the parity test: Debian's cloud kernel builds in more, which exercises kmod's built-in lookups.
if tree=$(bash tests/vm/fetch-kernel.sh cloud-amd64); then export ACCEPTD_CLOUD_KERNEL_TREE=$tree; else echo "fetching the Debian cloud kernel failed"; fi

echo "== building"
if ! dotnet build AcceptD.sln -c Release -v quiet -nologo 2>&1 | tee "$out/build.log" | grep -E "error|Warn|Elapsed"; then :; fi
if ! grep -q "Build succeeded" "$out/build.log"; then tally build 0 1 0; echo "$passed passed, $failed failed, $skipped skipped"; exit 1; fi

# Style: the .editorconfig's formatting, checked the way `dotnet format` would fix it (a tier: one pass/fail line).
if dotnet format AcceptD.sln --verify-no-changes --no-restore -v q >"$out/format.log" 2>&1; then tally format 1 0 0
else sed -n '1,20p' "$out/format.log"; echo "== format: run 'dotnet format AcceptD.sln' and commit the result"; tally format 0 1 0; fi

for project in tests/AcceptD.*.Tests; do
  name=$(basename "$project")
  log=$out/$name.log
  dotnet run --project "$project" -c Release --no-build -- -noColor 2>&1 | tee "$log" | grep -vE "^\s*(Discover|Start|Finish)" | tail -n 30
  rc=${PIPESTATUS[0]}
  summary=$(grep -E "Total: [0-9]+, Errors: [0-9]+, Failed: [0-9]+, Skipped: [0-9]+, Not Run: [0-9]+" "$log" | tail -n 1)
  if [ -z "$summary" ]; then echo "== $name: no summary (exit $rc)"; tally "$name" 0 1 0; continue; fi
  read -r total errors fails skips notrun < <(sed -E 's/.*Total: ([0-9]+), Errors: ([0-9]+), Failed: ([0-9]+), Skipped: ([0-9]+), Not Run: ([0-9]+).*/\1 \2 \3 \4 \5/' <<<"$summary")
  f=$((fails + errors)); [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
  tally "$name" $((total - fails - skips - notrun)) "$f" $((skips + notrun))
done

if [ "${1:-}" != "--quick" ]; then
  run_tier_script packaging packaging/test.sh
  run_tier_script vm tests/vm/run.sh
  run_tier_script vm-dracut tests/vm/dracut/run.sh
  run_tier_script vm-image tests/vm/image/run.sh
fi

if [ "${CI:-}" = "true" ] && [ "$skipped" -gt 0 ]; then
  echo "CI=true: $skipped skipped test(s) count as failures"; failed=$((failed + skipped))
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
