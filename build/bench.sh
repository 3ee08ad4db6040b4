#!/usr/bin/env bash
# Runs the Trapweave benchmarks (Benchmarks/, woven at build time by the in-solution Fody add-in).
#   build/bench.sh                       all benchmarks (about 7-8 minutes on 2 cores)
#   build/bench.sh '*CallBenchmarks*'    only the per-call ones; any BenchmarkDotNet filter
#   build/bench.sh '*' --disasm          extra BenchmarkDotNet arguments go after the filter
# Jobs are fixed in the benchmark classes (1 launch, explicit warmup/iteration counts) to keep the
# run short; read the Median and "Ratio (median)" columns on a noisy machine.
# Results: BenchmarkDotNet.Artifacts/results/ (markdown, csv, html).
set -euo pipefail
cd "$(dirname "$0")/.."
filter="${1:-*}"
shift || true
exec dotnet run -c Release --project Benchmarks/Benchmarks.csproj -- --filter "$filter" "$@"
