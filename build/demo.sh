#!/usr/bin/env bash
# The main job: pack Trapweave, build the sample that consumes it by PackageReference, run its tests.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1
# pack.sh's default version, as README's quick start uses it; packing it again clears the old build
# from NuGet's global cache, so the sample always restores the one packed now.
version="$(bash build/pack.sh --print-version)"
bash build/pack.sh "$version"
dotnet test samples/Shop.Tests/Shop.Tests.csproj -p:TrapweaveVersion="$version"
