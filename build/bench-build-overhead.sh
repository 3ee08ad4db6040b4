#!/usr/bin/env bash
# Build overhead of weaving: clean builds of the sample test project (samples/Shop.Tests, which
# weaves its copy of Shop.dll) with Trapweave on, with the MSBuild task only (no Fody), and with
# weaving off; optionally the same project weaving Newtonsoft.Json too (a mid-size library), and
# weaving three corpus references (Newtonsoft.Json, Humanizer.Core, Polly.Core at the corpus's
# versions: 6,683 methods; issue 10). BENCH_NEWTONSOFT=0 or BENCH_THREE=0 leaves either out.
# Runs are interleaved (A B C, B C A, ...) so a change in machine load touches every variant alike.
# Usage: build/bench-build-overhead.sh [runs per variant, default 5]
# Prints one line per run and a markdown table of medians (docs/benchmarks.md, "Build overhead").
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0
# No compiler server: each build pays for its own compiler start, and nothing outlives the script.
export UseSharedCompilation=false
work="$(mktemp -d "${TMPDIR:-/tmp}/trapweave-bench.XXXXXX")"
base="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -n 1)"
version="$base-bench.$(date +%Y%m%d%H%M%S)"
# The packages of this run's one-off version leave NuGet's global cache with the temp folder.
cache="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
trap 'rm -rf "$work" "$cache/trapweave/$version" "$cache/trapweave.fody/$version"' EXIT
bash build/pack.sh "$version" "$work/feed" >/dev/null

setup() { # name, extra package reference, References
  local dir="$work/$1"
  mkdir -p "$dir"
  cp -r samples/Shop samples/Shop.Tests "$dir/"
  rm -rf "$dir"/*/bin "$dir"/*/obj
  cat > "$dir/NuGet.config" <<XML
<configuration><packageSources><clear /><add key="feed" value="$work/feed" /><add key="nuget.org" value="https://api.nuget.org/v3/index.json" /></packageSources></configuration>
XML
  cat > "$dir/Directory.Build.props" <<XML
<Project><PropertyGroup><TrapweaveVersion>$version</TrapweaveVersion><Nullable>enable</Nullable><ImplicitUsings>enable</ImplicitUsings></PropertyGroup></Project>
XML
  if [ -n "$2" ]; then
    sed -i "0,/<ItemGroup>/s:<ItemGroup>:<ItemGroup>$2:" "$dir/Shop.Tests/Shop.Tests.csproj"
    sed -i "s:References=\"Shop\":References=\"$3\":" "$dir/Shop.Tests/FodyWeavers.xml"
  fi
  dotnet restore "$dir/Shop.Tests" -v:q >/dev/null
}

projects=(shop)
setup shop "" ""
if [ "${BENCH_NEWTONSOFT:-1}" = 1 ]; then
  projects+=(shop+newtonsoft)
  setup shop+newtonsoft '<PackageReference Include="Newtonsoft.Json" Version="13.0.3" />' 'Shop;Newtonsoft.Json'
fi
if [ "${BENCH_THREE:-1}" = 1 ]; then
  projects+=(shop+3-corpus)
  setup shop+3-corpus '<PackageReference Include="Newtonsoft.Json" Version="13.0.4" /><PackageReference Include="Humanizer.Core" Version="3.0.10" /><PackageReference Include="Polly.Core" Version="8.9.1" />' 'Shop;Newtonsoft.Json;Humanizer;Polly.Core'
fi

variants=(on task off)
declare -A props=([on]="" [task]="-p:DisableFody=true" [off]="-p:DisableTrapweave=true -p:DisableFody=true")
results="$work/results.txt"
: > "$results"
for project in "${projects[@]}"; do
  dir="$work/$project"
  # One untimed build per variant first: disk caches and JIT'd SDK bits are warm for every timed one.
  for v in "${variants[@]}"; do dotnet build "$dir/Shop.Tests" --no-restore -tl:off -v:q ${props[$v]} >/dev/null; done
  for ((r = 0; r < runs; r++)); do
    for ((k = 0; k < ${#variants[@]}; k++)); do
      v="${variants[$(((r + k) % ${#variants[@]}))]}"
      rm -rf "$dir"/Shop/bin "$dir"/Shop/obj/Debug "$dir"/Shop.Tests/bin "$dir"/Shop.Tests/obj/Debug
      start=$(date +%s.%N)
      dotnet build "$dir/Shop.Tests" --no-restore -tl:off -v:q -clp:PerformanceSummary ${props[$v]} > "$work/build.log"
      end=$(date +%s.%N)
      seconds=$(awk "BEGIN { print $end - $start }")
      # Time inside the build spent in Trapweave's targets and in Fody's (MSBuild's target summary).
      weave_ms=$(awk '$2 == "ms" && $3 ~ /^Trapweave[A-Za-z]+$/ { t += $1 } END { print t + 0 }' "$work/build.log")
      fody_ms=$(awk '$2 == "ms" && $3 ~ /^Fody[A-Za-z]*Target$/ { t += $1 } END { print t + 0 }' "$work/build.log")
      echo "$project $v $seconds $weave_ms $fody_ms" | tee -a "$results"
    done
  done
done

echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$results" <<'PY'
import sys, statistics, collections
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    project, variant, seconds, weave, fody = line.split()
    runs[(project, variant)].append((float(seconds), float(weave), float(fody)))
med = lambda project, variant, i: statistics.median(r[i] for r in runs[(project, variant)])
span = lambda project, variant: f"{min(r[0] for r in runs[(project, variant)]):.2f}-{max(r[0] for r in runs[(project, variant)]):.2f}"
print("Wall-clock time of a clean build, median (min-max):")
print()
print("| project | Trapweave on (Fody + task) | task only (DisableFody) | off | on / off | task / off |")
print("| --- | --- | --- | --- | --- | --- |")
projects = list(dict.fromkeys(p for p, _ in runs))
for p in projects:
    print(f"| {p} | {med(p, 'on', 0):.2f} s ({span(p, 'on')}) | {med(p, 'task', 0):.2f} s ({span(p, 'task')}) | {med(p, 'off', 0):.2f} s ({span(p, 'off')}) "
          f"| {med(p, 'on', 0) / med(p, 'off', 0):.2f} | {med(p, 'task', 0) / med(p, 'off', 0):.2f} |")
print()
print("Time inside the build in Trapweave's targets and in Fody's, median (MSBuild -clp:PerformanceSummary):")
print()
print("| project | on: Trapweave targets | on: Fody targets | task only: Trapweave targets | off: both |")
print("| --- | --- | --- | --- | --- |")
for p in projects:
    print(f"| {p} | {med(p, 'on', 1):.0f} ms | {med(p, 'on', 2):.0f} ms | {med(p, 'task', 1):.0f} ms | {med(p, 'off', 1) + med(p, 'off', 2):.0f} ms |")
PY
