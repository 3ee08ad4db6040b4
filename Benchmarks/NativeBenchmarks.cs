using System;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Benchmarks.Targets;
using Trapweave;

namespace Benchmarks;

/// <summary>
/// The native fallback (issue 9): <c>DateTime.Now</c> called from code nobody wove (<c>[NoTrap]</c>
/// methods, whose calls are not redirected), with the member natively patched by a registration in
/// another flow (this flow pays the twin and runs the original), hit by a registration in this flow,
/// and the cost of making and ending one patch. Every case runs in its own process.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 3, warmupCount: 4, iterationCount: 10)]
[IterationTime(250)]
public class NativeBenchmarks
{
    const int Calls = 16;
    static readonly DateTime Fixed = new(2001, 2, 3, 4, 5, 6);
    IDisposable _arrangement;
    TaskCompletionSource _release;

    [NoTrap]
    [Benchmark(Baseline = true, OperationsPerInvoke = Calls, Description = "DateTime.Now, unpatched (baseline)")]
    public long NowDirect() => ReadNow();

    [NoTrap]
    [Benchmark(OperationsPerInvoke = Calls, Description = "7. DateTime.Now, natively patched by another flow (this flow runs the original)")]
    public long NowPatchedElsewhere() => ReadNow();

    [NoTrap]
    [Benchmark(OperationsPerInvoke = Calls, Description = "7h. DateTime.Now, natively patched, Trap.When(...).Returns hit in this flow")]
    public long NowPatchedHit() => ReadNow();

    [NoTrap]
    [Benchmark(Description = "7p. make and end one native patch (Trap.When(() => DateTime.Now).Returns + Dispose)")]
    public void ApplyAndUndo()
    {
        using (Trap.When(() => DateTime.Now).Returns(Fixed)) { }
    }

    [NoTrap]
    static long ReadNow()
    {
        long sum = 0;
        for (var i = 0; i < Calls; i++) sum += DateTime.Now.Ticks;
        return sum;
    }

    [NoTrap]
    [GlobalSetup(Target = nameof(NowPatchedElsewhere))]
    public void SetupElsewhere()
    {
        // A flow of its own holds the registration; this thread's flow has none.
        var armed = new TaskCompletionSource();
        _release = new TaskCompletionSource();
        Task task;
        using (ExecutionContext.SuppressFlow())
            task = Task.Run(async () =>
            {
                using (Trap.When(() => DateTime.Now).Returns(Fixed))
                {
                    Probe.Check(DateTime.Now == Fixed, "the other flow sees its arrangement");
                    armed.SetResult();
                    await _release.Task;
                }
            });
        armed.Task.Wait();
        Probe.Check(DateTime.Now != Fixed, "this flow reads the real clock while another flow's patch is live");
        Probe.Check(Trap.Explain(typeof(DateTime).GetProperty(nameof(DateTime.Now))!.GetMethod!).Mechanism.HasFlag(TrapMechanism.Native), "DateTime.Now is patched natively");
    }

    [NoTrap]
    [GlobalCleanup(Target = nameof(NowPatchedElsewhere))]
    public void CleanupElsewhere() => _release.SetResult();

    [NoTrap]
    [GlobalSetup(Target = nameof(NowPatchedHit))]
    public void SetupHit()
    {
        _arrangement = Trap.When(() => DateTime.Now).Returns(Fixed);
        Probe.Check(ReadNow() == Fixed.Ticks * Calls, "this flow's calls are answered by its arrangement");
    }

    [NoTrap]
    [GlobalCleanup(Target = nameof(NowPatchedHit))]
    public void CleanupHit() => _arrangement.Dispose();
}
