#!/usr/bin/env bash
# Packs Trapweave (runtime) and Trapweave.Fody (add-in + MSBuild task) into artifacts/packages.
# Usage: build/pack.sh [version] [output-dir]
# A relative output-dir is relative to the current directory (the default, to the repository).
set -euo pipefail
# Resolved before leaving the caller's directory.
out_arg="${2:-}"
if [ -n "$out_arg" ]; then out="$(mkdir -p "$out_arg" && cd "$out_arg" && pwd)"; fi
cd "$(dirname "$0")/.."
version="${1:-$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -n 1)}"
[ -n "$out_arg" ] || out="$(mkdir -p artifacts/packages && cd artifacts/packages && pwd)"
export MSBUILDDISABLENODEREUSE=1
rm -f "$out"/Trapweave.*.nupkg
dotnet build Weaver.Tasks/Weaver.Tasks.csproj -c Release -p:Version="$version" -nologo -v:q
dotnet pack Weaver.Runtime/Weaver.Runtime.csproj -c Release -p:Version="$version" -o "$out" -nologo -v:q
dotnet pack Weaver/Weaver.csproj -c Release --no-build -p:Version="$version" -o "$out" -nologo -v:q
echo "packed Trapweave $version into $out:"
ls -1 "$out"
