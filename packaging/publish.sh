#!/usr/bin/env bash
# Builds the shipped binary: NativeAOT, linux-x64, symbols stripped. The SDK brings the ILCompiler
# package that matches it (restored from NuGet); gcc (or clang) links the result. The binary needs
# libc and libm only; libsystemd (sd-bus) and OpenSSL (hashing, certificate checks) are dlopen'd.
# Every trim and AOT analysis warning is an error (TreatWarningsAsErrors covers IL2xxx/IL3xxx too).
# Usage: packaging/publish.sh [OUTDIR]   (default: artifacts/publish). Prints the binary's path.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$repo/artifacts/publish}
dotnet publish "$repo/src/AcceptD/AcceptD.csproj" -c Release -r linux-x64 \
  -p:PublishAot=true -p:StripSymbols=true -p:InvariantGlobalization=true \
  -p:TreatWarningsAsErrors=true -p:IlcTreatWarningsAsErrors=true -p:SuppressTrimAnalysisWarnings=false \
  -p:DebugType=none -o "$out" >&2
# binutils' strip rewrites the section-name table even of a stripped file; stripping once here makes the shipped
# bytes a fixed point of what dracut (strip -g) and rpmbuild do, so every package and image holds this very file.
strip --strip-debug "$out/acceptd"
echo "$out/acceptd"
