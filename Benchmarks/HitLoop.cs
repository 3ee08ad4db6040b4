using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Benchmarks.Targets;
using Trapweave;

namespace Benchmarks;

/// <summary>
/// A diagnostic outside BenchmarkDotNet (<c>dotnet Benchmarks.dll --hit-loop [seconds]</c>): the
/// per-call cases of <see cref="CallBenchmarks"/> in one process, in tight Stopwatch loops, each
/// reported as its fastest round. It is meant for <c>perf record</c> (with
/// <c>DOTNET_PerfMapEnabled=1</c>) to see where a hit's cycles go; the targets are measured by
/// BenchmarkDotNet, not by this.
/// </summary>
[NoTrap]
public static class HitLoop
{
    const int Calls = 1 << 20;

    public static void Run(double seconds)
    {
        using var patch = Trap.Patch<Func<int, int, int>>(Woven.AddPatched, (a, b) => a * b);
        using var elsewhere = new ParkedFlow(() => Trap.Patch<Func<int, int, int>>(Woven.AddArmedElsewhere, (a, b) => a * b));
        Probe.Check(Woven.AddPatched(2, 3) == 6 && Woven.AddArmedElsewhere(2, 3) == 5, "the cases are set up");
        var cases = new (string Name, Func<int> Loop)[]
        {
            ("unwoven", Unwoven), ("r1 thread-static", ThreadStatic), ("r2 delegate", Delegate),
            ("woven unarmed", Unarmed), ("armed elsewhere", ArmedElsewhere), ("patch hit", Hit),
        };
        var best = new double[cases.Length];
        Array.Fill(best, double.MaxValue);
        var until = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < until)
        {
            for (var c = 0; c < cases.Length; c++)
            {
                var start = Stopwatch.GetTimestamp();
                cases[c].Loop();
                var ns = Stopwatch.GetElapsedTime(start).TotalNanoseconds / Calls;
                best[c] = Math.Min(best[c], ns);
            }
        }
        for (var c = 0; c < cases.Length; c++)
            Console.WriteLine($"{cases[c].Name,-18} {best[c],7:F2} ns  (Δ {best[c] - best[0]:+0.00;-0.00} ns)");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static int Unwoven() { var s = 0; for (var i = 0; i < Calls; i++) s += Plain.Add(i, 3); return s; }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static int ThreadStatic() { var s = 0; for (var i = 0; i < Calls; i++) s += Plain.AddReadingThreadStatic(i, 3); return s; }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static int Delegate() { var s = 0; var add = Plain.AddDelegate; for (var i = 0; i < Calls; i++) s += add(i, 3); return s; }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static int Unarmed() { var s = 0; for (var i = 0; i < Calls; i++) s += Woven.AddUnarmed(i, 3); return s; }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static int ArmedElsewhere() { var s = 0; for (var i = 0; i < Calls; i++) s += Woven.AddArmedElsewhere(i, 3); return s; }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static int Hit() { var s = 0; for (var i = 0; i < Calls; i++) s += Woven.AddPatched(i, 3); return s; }
}
