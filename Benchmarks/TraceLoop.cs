using System;
using System.Diagnostics;
using Benchmarks.Targets;
using Trapweave;
using Trapweave.Tracing;

namespace Benchmarks;

/// <summary>
/// A diagnostic outside BenchmarkDotNet (<c>dotnet Benchmarks.dll --trace-loop [seconds]</c>): traced
/// calls of <c>Woven.AddTraced</c> in tight loops, 20,000 per trace, reported as the fastest round; for
/// <c>perf record</c>. Also prints the size per thousand calls of each export of such a trace.
/// </summary>
[NoTrap]
public static class TraceLoop
{
    const int Calls = 20_000;

    public static void Run(double seconds)
    {
        var options = new CallTraceOptions { Filter = new TraceCallFilter(include: new[] { "Benchmarks.Targets.Woven.AddTraced" }), Limits = new TraceLimits { MaxCalls = Calls } };
        var best = double.MaxValue;
        var until = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        CallTrace? last = null;
        while (Stopwatch.GetTimestamp() < until)
        {
            var session = Trap.Trace(options);
            var start = Stopwatch.GetTimestamp();
            var sum = 0;
            for (var i = 0; i < Calls; i++) sum += Woven.AddTraced(i, 3);
            var ns = Stopwatch.GetElapsedTime(start).TotalNanoseconds / Calls;
            last = session.Stop();
            Probe.Check(last.CallCount == Calls && sum != 0, "every call was recorded");
            best = Math.Min(best, ns);
        }
        Console.WriteLine($"traced call (two int arguments, result): {best:0.0} ns (fastest round of {Calls} calls)");
        var json = TraceJson.Serialize(last!).Length;
        var chrome = ChromeTrace.Serialize(last!).Length;
        var html = TraceHtml.Render(last!).Length;
        Console.WriteLine($"per 1,000 such calls: JSON call tree {json / (Calls / 1000.0) / 1024:0.0} KB, Chrome trace-event {chrome / (Calls / 1000.0) / 1024:0.0} KB, HTML viewer {html / (Calls / 1000.0) / 1024:0.0} KB");
    }
}
