using System;
using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Benchmarks.Targets;
using Trapweave;
using Trapweave.Tracing;

namespace Benchmarks;

/// <summary>
/// What tracing costs a call to <c>int Add(int, int)</c> (issue 11): recorded in a trace (two
/// arguments and the result rendered, the call stored), also exported as a span, and after the
/// trace stopped (the unarmed cost again), against the unwoven call and the woven unarmed one in the
/// same run. Each iteration records into a fresh trace (a trace keeps every call it records), of
/// exactly <see cref="Calls"/> calls.
/// </summary>
[NoTrap]
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 3, warmupCount: 3, iterationCount: 10, invocationCount: 1)]
public class TraceBenchmarks
{
    const int Calls = 20_000;
    static readonly CallTraceOptions Options = new()
    {
        Filter = new TraceCallFilter(include: new[] { "Benchmarks.Targets.Woven.AddTraced" }),
        Limits = new TraceLimits { MaxCalls = Calls * 2 },
    };
    static readonly CallTraceOptions SpanOptions = new()
    {
        Filter = new TraceCallFilter(include: new[] { "Benchmarks.Targets.Woven.AddTracedWithSpans" }),
        Limits = new TraceLimits { MaxCalls = Calls * 2 },
    };

    int _a = 2, _b = 3;
    TraceSession? _session;
    ActivityListener? _listener;

    [Benchmark(Baseline = true, OperationsPerInvoke = Calls, Description = "unwoven (baseline)")]
    public int Unwoven()
    {
        int sum = 0, a = _a, b = _b;
        for (var i = 0; i < Calls; i++) sum += Plain.Add(a + i, b);
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Calls, Description = "woven, nothing armed")]
    public int WovenUnarmed()
    {
        int sum = 0, a = _a, b = _b;
        for (var i = 0; i < Calls; i++) sum += Woven.AddUnarmed(a + i, b);
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Calls, Description = "woven, after a trace of it stopped")]
    public int TracedThenStopped()
    {
        int sum = 0, a = _a, b = _b;
        for (var i = 0; i < Calls; i++) sum += Woven.AddTracedThenStopped(a + i, b);
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Calls, Description = "traced (two int arguments and the result recorded)")]
    public int Traced()
    {
        int sum = 0, a = _a, b = _b;
        for (var i = 0; i < Calls; i++) sum += Woven.AddTraced(a + i, b);
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Calls, Description = "traced, and each call a span (a listener takes all data)")]
    public int TracedWithSpans()
    {
        int sum = 0, a = _a, b = _b;
        for (var i = 0; i < Calls; i++) sum += Woven.AddTracedWithSpans(a + i, b);
        return sum;
    }

    [GlobalSetup(Target = nameof(TracedThenStopped))]
    public void SetupTracedThenStopped()
    {
        var options = new CallTraceOptions { Filter = new TraceCallFilter(include: new[] { "Benchmarks.Targets.Woven.AddTracedThenStopped" }) };
        using (var session = Trap.Trace(options))
        {
            Woven.AddTracedThenStopped(2, 3);
            Probe.Check(session.Stop().CallCount == 1, "the call was traced");
        }
        Probe.Check(Probe.FlagValue(Probe.Method(nameof(Woven.AddTracedThenStopped))) == 0, "its flag is 0 again");
    }

    [GlobalSetup(Target = nameof(TracedWithSpans))]
    public void SetupSpans()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == TraceActivities.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    [GlobalCleanup(Target = nameof(TracedWithSpans))]
    public void CleanupSpans() => _listener?.Dispose();

    [IterationSetup(Target = nameof(Traced))]
    public void StartTrace() => _session = Trap.Trace(Options);

    [IterationSetup(Target = nameof(TracedWithSpans))]
    public void StartTraceWithSpans() => _session = Trap.Trace(SpanOptions);

    [IterationCleanup(Targets = new[] { nameof(Traced), nameof(TracedWithSpans) })]
    public void StopTrace()
    {
        var trace = _session!.Stop();
        Probe.Check(trace.CallCount == Calls && trace.Truncated is null, $"every call was recorded ({trace.CallCount} of {Calls})");
    }
}
