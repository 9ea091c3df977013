#!/usr/bin/env bash
# Builds the shipped binary: self-contained, trimmed, ReadyToRun, single file, linux-x64.
# Usage: packaging/publish.sh [OUTDIR]   (default: artifacts/publish). Prints the binary's path.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$repo/artifacts/publish}
dotnet publish "$repo/src/AcceptD/AcceptD.csproj" -c Release -r linux-x64 --self-contained \
  -p:PublishSingleFile=true -p:PublishTrimmed=true -p:PublishReadyToRun=true -p:InvariantGlobalization=true \
  -p:DebugType=none -o "$out" >&2
echo "$out/acceptd"
