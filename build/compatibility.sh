#!/usr/bin/env bash
# Regenerates docs/compatibility.md: weaves the corpus (Tests/Corpus, TestAssemblies/Unwoven/Corpus)
# and writes the table of what weaving each assembly did. Run it after changing the weaver or the corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
TRAPWEAVE_COMPATIBILITY_TABLE="$PWD/docs/compatibility.md" \
  dotnet test Tests/Tests.csproj --filter "FullyQualifiedName~Trapweave.Tests.Corpus.CompatibilityTable"
echo "wrote docs/compatibility.md"
