#!/usr/bin/env bash
# What weaving the corpus (TestAssemblies/Unwoven/Corpus: 24 assemblies of 14 NuGet packages) costs
# its users, woven against unwoven, in one run (issue 10, item 4; docs/benchmarks.md, "Corpus: what
# weaving costs users"). Builds Benchmarks.Corpus, prepares a plain and a woven copy of the corpus
# (AssemblyFileWeaver.WeaveFile, WeaverConfig.Default), times the weave of every assembly against a
# plain Cecil read + write, then runs every workload in fresh processes, unwoven and woven alternately
# (U W / W U / ...), and prints markdown tables of medians and ratios (the form the doc uses).
#
# Usage: build/bench-corpus.sh [--quick] [--rounds N] [--workload NAME]... [--weave-repetitions N] [--skip-weave-time]
#   default: 3 rounds, 1.5 s warm-up and 1.5 s measured per phase, 5 weave repetitions (about 10 minutes on 2 cores)
#   --quick: 1 round, short phases, 1 weave repetition: a smoke run (about 4 minutes on a loaded machine)
#   --keep: keep the work folder (the prepared copies, and raw.jsonl: every process's JSON lines); its path is printed
#   --skip-weave-time: leave out the weave-time table
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0
if ! dotnet build -c Release Benchmarks.Corpus/Benchmarks.Corpus.csproj -v:q -tl:off -nologo > /tmp/bench-corpus-build.$$.log 2>&1; then
  cat /tmp/bench-corpus-build.$$.log; rm -f /tmp/bench-corpus-build.$$.log; exit 1
fi
rm -f /tmp/bench-corpus-build.$$.log
exec python3 - "Benchmarks.Corpus/bin/Release/net10.0/Trapweave.Benchmarks.Corpus.dll" "$@" <<'PY'
import json, os, shutil, statistics, subprocess, sys, tempfile, time

tool, args = sys.argv[1], sys.argv[2:]
quick = "--quick" in args
def option(name, default):
    return args[args.index(name) + 1] if name in args else default
rounds = int(option("--rounds", 1 if quick else 3))
weave_repetitions = int(option("--weave-repetitions", 1 if quick else 5))
chosen = [args[i + 1] for i, a in enumerate(args) if a == "--workload"]
keep = "--keep" in args
phase = ["--quick"] if quick else ["--warmup-seconds", "1.5", "--measure-seconds", "1.5"]

work = tempfile.mkdtemp(prefix="trapweave-bench-corpus.")
loads = []
def load():
    loads.append(float(open("/proc/loadavg").read().split()[0]))
def tool_lines(*command):
    """Runs the tool; its JSON lines, parsed. The launch time is kept for time-to-first-result."""
    launched = time.time_ns()
    done = subprocess.run(["dotnet", tool, *command], capture_output=True, text=True)
    load()
    if done.returncode != 0:
        sys.exit(f"Trapweave.Benchmarks.Corpus {' '.join(command)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    with open(os.path.join(work, "raw.jsonl"), "a") as raw: raw.write(done.stdout)
    return launched, [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]

try:
    started = time.time()
    load()
    _, prepared = tool_lines("prepare", "--out", work, *sum((["--workload", w] for w in chosen), []))
    folders = prepared[-1]
    weave_file = {p["prepared"]: p for p in prepared[:-1]}
    weave_times = [] if "--skip-weave-time" in args else tool_lines("weave-time", "--repetitions", str(weave_repetitions), *sum((["--only", a] for a in weave_file), []))[1]

    names = chosen or ["Json", "Humanizer", "Dapper", "Polly", "AutoMapper", "Markdig", "Yaml", "Jint", "Serilog", "DependencyInjection"]
    runs = {(n, side): [] for n in names for side in ("plain", "woven")}
    for r in range(rounds):
        for n in names:
            for side in (("plain", "woven") if r % 2 == 0 else ("woven", "plain")):
                launched, (line,) = tool_lines("run", "--folder", folders[side], "--workload", n, *phase)
                line["from_launch_ms"] = line["first_result_unix_ms"] - launched / 1e6
                runs[(n, side)].append(line)
    elapsed = time.time() - started

    # Identical behaviour is a precondition of every figure: stop loudly otherwise.
    for n in names:
        hashes = {l["results_sha256"] for side in ("plain", "woven") for l in runs[(n, side)]}
        bad = [l for side in ("plain", "woven") for l in runs[(n, side)] if l["steady"]["runs_differing"] or (l["pass_through"] and (l["pass_through"]["runs_differing"] or not l["pass_through"]["first_run_same"]))]
        if len(hashes) != 1 or bad: sys.exit(f"{n}: the results differ between runs or copies ({len(hashes)} distinct); raw lines in {work}/raw.jsonl")
        if runs[(n, "woven")][0]["woven_methods"] == 0 or runs[(n, "plain")][0]["woven_methods"] != 0: sys.exit(f"{n}: the woven copy is not woven, or the plain one is")

    med = statistics.median
    def m(n, side, *path):
        values = []
        for l in runs[(n, side)]:
            for p in path: l = l[p]
            values.append(l)
        return med(values)
    def ratios(n, *path):
        pairs = zip(runs[(n, "plain")], runs[(n, "woven")])
        out = []
        for p, w in pairs:
            for k in path: p, w = p[k], w[k]
            out.append(w / p)
        return out
    def geo(values): return statistics.geometric_mean(values)
    def span(values): return f"{min(values):.2f}-{max(values):.2f}" if len(values) > 1 else "-"

    print(f"Corpus cost run: {rounds} round(s){' (--quick)' if quick else ''}, {len(names)} workloads, {elapsed / 60:.1f} min; "
          f"nproc {os.cpu_count()}; load average (1 min) during the run {min(loads):.2f}-{max(loads):.2f}, median {med(loads):.2f}")
    print()
    print("Start-up, fresh process, first run of the workload (medians; JIT totals from System.Runtime.JitInfo at the first result, the tool's own start-up included):")
    print()
    print("| workload | first result, unwoven | woven | woven / unwoven | JIT time, unwoven | woven | ratio | methods JIT'd, unwoven | woven | IL bytes JIT'd, unwoven | woven |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    first_ratios, jit_ratios = [], []
    for n in names:
        fr, jr = m(n, "woven", "from_launch_ms") / m(n, "plain", "from_launch_ms"), m(n, "woven", "jit_ms") / m(n, "plain", "jit_ms")
        first_ratios.append(fr); jit_ratios.append(jr)
        print(f"| {n} | {m(n, 'plain', 'from_launch_ms'):.0f} ms | {m(n, 'woven', 'from_launch_ms'):.0f} ms | {fr:.2f} | {m(n, 'plain', 'jit_ms'):.0f} ms | {m(n, 'woven', 'jit_ms'):.0f} ms | {jr:.2f} "
              f"| {m(n, 'plain', 'jit_methods'):.0f} | {m(n, 'woven', 'jit_methods'):.0f} | {m(n, 'plain', 'jit_il_bytes') / 1024:.0f} KiB | {m(n, 'woven', 'jit_il_bytes') / 1024:.0f} KiB |")
    print(f"| geometric mean | | | {geo(first_ratios):.2f} | | | {geo(jit_ratios):.2f} | | | | |")
    print()
    print("Steady state, same process after a warm-up: median time per run of the workload (the median over rounds of each process's median); "
          "woven / unwoven per round (min-max over rounds); pass-through: an interceptor that only counts, on every woven method of the workload's libraries, registered before the timed part:")
    print()
    print("| workload | unwoven | woven, nothing armed | woven / unwoven (rounds) | pass-through on every method | pass-through / unwoven | interceptors | intercepted calls per run | registering them |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    steady_ratios, pass_ratios = [], []
    for n in names:
        per_round = ratios(n, "steady", "median_ms")
        sr = m(n, "woven", "steady", "median_ms") / m(n, "plain", "steady", "median_ms")
        pr = m(n, "woven", "pass_through", "median_ms") / m(n, "plain", "steady", "median_ms")
        steady_ratios.append(sr); pass_ratios.append(pr)
        print(f"| {n} | {m(n, 'plain', 'steady', 'median_ms'):.3f} ms | {m(n, 'woven', 'steady', 'median_ms'):.3f} ms | {sr:.2f} ({span(per_round)}) "
              f"| {m(n, 'woven', 'pass_through', 'median_ms'):.1f} ms | {pr:.0f}x | {m(n, 'woven', 'pass_through', 'interceptors'):.0f} "
              f"| {m(n, 'woven', 'pass_through', 'intercepted_calls_per_run'):,.0f} | {m(n, 'woven', 'pass_through', 'register_ms') / 1000:.1f} s |")
    print(f"| geometric mean | | | {geo(steady_ratios):.2f} | | {geo(pass_ratios):.0f}x | | | |")
    print()
    print("Results identical woven and unwoven, in every process and every timed run: yes (checked by the script; it stops otherwise).")

    if weave_times:
        print()
        print(f"Weave time per assembly, in memory (read from bytes, weave with WeaverConfig.Default, write to a MemoryStream; Stopwatch median of {weave_repetitions} after one warm-up), "
              "against a plain Cecil read + write of the same bytes; sizes and WeaveFile: the one weave of the file by prepare (disk, symbols, atomic replace), for reference:")
        print()
        print("| assembly | methods woven | size before | after | growth | read + write | read + weave + write | ratio | WeaveFile (once) |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        for t in sorted(weave_times, key=lambda t: -t["methods_woven"]):
            f = weave_file[t['assembly']]
            print(f"| {t['assembly']} | {t['methods_woven']:,} | {f['size_before'] / 1024:,.0f} KiB | {f['size_after'] / 1024:,.0f} KiB | {f['size_after'] / f['size_before']:.2f}x "
                  f"| {t['read_write_ms']:.0f} ms | {t['weave_ms']:.0f} ms | {t['weave_ms'] / t['read_write_ms']:.1f} | {weave_file[t['assembly']]['weave_file_ms']:.0f} ms |")
        total = lambda k: sum(t[k] for t in weave_times)
        size = lambda k: sum(weave_file[t['assembly']][k] for t in weave_times)
        print(f"| all {len(weave_times)} | {total('methods_woven'):,} | {size('size_before') / 1024:,.0f} KiB | {size('size_after') / 1024:,.0f} KiB | {size('size_after') / size('size_before'):.2f}x "
              f"| {total('read_write_ms'):.0f} ms | {total('weave_ms'):.0f} ms | {total('weave_ms') / total('read_write_ms'):.1f} | {sum(p['weave_file_ms'] for p in weave_file.values()):.0f} ms |")
    if keep: print(f"\nraw JSON lines: {work}/raw.jsonl")
finally:
    if not keep: shutil.rmtree(work, ignore_errors=True)
PY
