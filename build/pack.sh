#!/usr/bin/env bash
# Packs Trapweave (runtime), Trapweave.Fody (add-in + MSBuild task) and Trapweave.Cli (the trapweave
# .NET tool, carrying the same build of the runtime) into artifacts/packages.
# Usage: build/pack.sh [version] [output-dir]
#        build/pack.sh --print-version     (prints the default version and exits)
# The default version is Directory.Build.props' <Version> with the pre-release label "local"
# (0.1.0-local): the same on every pack, so README's quick start names it, and never a version
# nuget.org could serve. Packing a version again removes that version from NuGet's global package
# cache, so the next restore of any project takes the new build from the feed instead of the old
# copy. A relative output-dir is relative to the current directory (the default, to the repository).
set -euo pipefail
# Resolved before leaving the caller's directory.
out_arg="${2:-}"
if [ -n "$out_arg" ] && [ "${1:-}" != "--print-version" ]; then out="$(mkdir -p "$out_arg" && cd "$out_arg" && pwd)"; fi
cd "$(dirname "$0")/.."
default_version="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -n 1)-local"
if [ "${1:-}" = "--print-version" ]; then echo "$default_version"; exit 0; fi
version="${1:-$default_version}"
[ -n "$out_arg" ] || out="$(mkdir -p artifacts/packages && cd artifacts/packages && pwd)"
export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
rm -f "$out"/Trapweave.*.nupkg
dotnet build Weaver.Tasks/Weaver.Tasks.csproj -c Release -p:Version="$version" -nologo -v:q
dotnet pack Weaver.Runtime/Weaver.Runtime.csproj -c Release -p:Version="$version" -o "$out" -nologo -v:q
dotnet pack Weaver/Weaver.csproj -c Release --no-build -p:Version="$version" -o "$out" -nologo -v:q
dotnet pack Weaver.Cli/Weaver.Cli.csproj -c Release -p:Version="$version" -o "$out" -nologo -v:q

# A restore finds an extracted copy of this version in the global cache and never looks at the
# feed again: take out any earlier build of it, so the next restore extracts this one.
cache="$(dotnet nuget locals global-packages --list | sed -n 's/^global-packages: //p' | sed 's:/*$::')"
lower="$(echo "$version" | tr '[:upper:]' '[:lower:]')"
for id in trapweave trapweave.fody trapweave.cli; do
  if [ -n "$cache" ] && [ -d "$cache/$id/$lower" ]; then
    rm -rf "${cache:?}/$id/$lower"
    echo "removed the earlier build of $id $version from NuGet's global package cache ($cache)"
  fi
done

echo
echo "Packed Trapweave $version into $out"
ls -1 "$out" | sed 's/^/  /'
echo "Use that folder as a package source, with Version=\"$version\" (README.md, Quick start)."
