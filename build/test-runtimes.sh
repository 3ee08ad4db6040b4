#!/usr/bin/env bash
# Runs the tests that are not end to end (Tests/Tests.csproj, Category!=EndToEnd) on other .NET
# runtimes than the installed one. For each target framework given it builds the tests and their
# fixtures for it, self-contained for linux-x64, on the runtime pack NuGet serves
# (build/TestRuntime.props; outputs under artifacts/test-runtimes/<tfm>/), and runs them there.
#   build/test-runtimes.sh                   .NET 8 and .NET 9 (what CI runs after README's command)
#   build/test-runtimes.sh net8.0            one runtime
#   build/test-runtimes.sh net9.0 -- --filter "FullyQualifiedName~DispatchTests"
#                                            extra dotnet test arguments after --; a --filter there
#                                            replaces Category!=EndToEnd
# Skipped tests are listed with their reason (Tests/RuntimeLimits.cs says which and why).
set -euo pipefail
cd "$(dirname "$0")/.."
export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

frameworks=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do frameworks+=("$1"); shift; done
[ $# -gt 0 ] && shift
extra=("$@")
[ ${#frameworks[@]} -gt 0 ] || frameworks=(net8.0 net9.0)
filter=(--filter "Category!=EndToEnd")
for arg in "${extra[@]}"; do [ "$arg" = "--filter" ] && filter=(); done

for tfm in "${frameworks[@]}"; do
  case "$tfm" in
    net[0-9]*.0) ;;
    *) echo "test-runtimes.sh: '$tfm' is not a target framework such as net8.0 or net9.0" >&2; exit 2 ;;
  esac
  echo "== Tests on $tfm (self-contained, linux-x64)"
  start=$SECONDS
  # Normal verbosity prints each skipped test's reason; the passed ones are left out of the log.
  dotnet test Tests/Tests.csproj -p:TrapweaveTestTarget="$tfm" "${filter[@]}" \
    --logger "console;verbosity=normal" "${extra[@]}" | grep -v '^  Passed '
  echo "== Tests on $tfm: done in $((SECONDS - start)) s"
done
