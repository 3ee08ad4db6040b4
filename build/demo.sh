#!/usr/bin/env bash
# The main job: pack Trapweave, build the sample that consumes it by PackageReference, run its tests.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1
base="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -n 1)"
# A fresh version each run, so NuGet's package cache never serves an older build of the same version.
version="$base-local.$(date +%Y%m%d%H%M%S)"
bash build/pack.sh "$version"
dotnet test samples/Shop.Tests/Shop.Tests.csproj -p:TrapweaveVersion="$version"
