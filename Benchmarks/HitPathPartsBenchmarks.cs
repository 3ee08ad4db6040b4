using System;
using System.Reflection;
using System.Threading;
using BenchmarkDotNet.Attributes;
using Benchmarks.Targets;
using Trapweave;

namespace Benchmarks;

/// <summary>
/// Diagnostics, not targets: the pieces of case 3's hit path measured one by one, so a change to
/// the runtime can be aimed: Lookup alone, and for scale an AsyncLocal read (which Lookup avoids
/// while the thread's ExecutionContext is unchanged). The handler invocation (the running mark and
/// the replacement) is what remains of case 3. (A lone thread-static read or delegate call is not
/// measured: in a loop the JIT hoists or devirtualizes it.)
/// </summary>
[NoTrap]
[MemoryDiagnoser]
[SimpleJob(launchCount: 3, warmupCount: 4, iterationCount: 10)]
[IterationTime(250)]
public class HitPathPartsBenchmarks
{
    const int Calls = 32;
    int _a = 2, _b = 3;

    static readonly AsyncLocal<object> s_local = new();
    IDisposable _patch;
    int _slot;
    RuntimeTypeHandle _handler;
    Func<int, int, int> _replacement;

    [GlobalSetup]
    public void Setup()
    {
        _replacement = (a, b) => a * b;
        _patch = Trap.Patch(Woven.AddPatched, _replacement);
        var method = Probe.Method(nameof(Woven.AddPatched));
        _slot = Probe.FlagValue(method);
        _handler = Probe.HandlerTypeOf(method).TypeHandle;
        s_local.Value = new object();
        Probe.Check(_slot != 0 && TrapDispatch.Lookup(_slot, _handler) is not null, "Lookup finds the patch");
    }

    [GlobalCleanup]
    public void Cleanup() => _patch.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Calls, Description = "unwoven Add (baseline)")]
    public int Unwoven()
    {
        int sum = 0, a = _a, b = _b;
        for (var i = 0; i < Calls; i++) sum += Plain.Add(a + i, b);
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Calls, Description = "part: AsyncLocal<object>.Value (this flow has values)")]
    public int AsyncLocalRead()
    {
        var n = 0;
        for (var i = 0; i < Calls; i++) if (s_local.Value is not null) n++;
        return n;
    }


    [Benchmark(OperationsPerInvoke = Calls, Description = "part: TrapDispatch.Lookup hit")]
    public int LookupHit()
    {
        var n = 0;
        for (var i = 0; i < Calls; i++) if (TrapDispatch.Lookup(_slot, _handler) is not null) n++;
        return n;
    }


    [Benchmark(OperationsPerInvoke = Calls, Description = "whole: woven Add, patch hit (case 3)")]
    public int WovenPatched()
    {
        int sum = 0, a = _a, b = _b;
        for (var i = 0; i < Calls; i++) sum += Woven.AddPatched(a + i, b);
        return sum;
    }
}
