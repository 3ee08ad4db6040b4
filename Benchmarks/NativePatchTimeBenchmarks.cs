using System;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Benchmarks.Targets;
using Trapweave;

namespace Benchmarks;

/// <summary>
/// Applying and undoing one native patch, apart: the first registration on <c>DateTime.Now</c>
/// (the patch is written) and the disposal of the last one (the original bytes are put back), each
/// against the same registration call made while another flow keeps the member patched (no code
/// written), the baseline. One call per iteration: each needs the state its setup leaves.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 3, warmupCount: 5, iterationCount: 40, invocationCount: 1)]
public class NativePatchTimeBenchmarks
{
    static readonly DateTime Fixed = new(2001, 2, 3, 4, 5, 6);
    IDisposable _registration;
    TaskCompletionSource _release;

    [NoTrap]
    [Benchmark(Baseline = true, Description = "register while another flow keeps DateTime.Now patched (no code written)")]
    public void RegisterWhilePatched() => _registration = Trap.When(() => DateTime.Now).Returns(Fixed);

    [NoTrap]
    [Benchmark(Description = "apply: the first registration writes the patch")]
    public void Apply() => _registration = Trap.When(() => DateTime.Now).Returns(Fixed);

    [NoTrap]
    [Benchmark(Description = "dispose while another flow keeps it patched (no code written)")]
    public void DisposeWhilePatched() => _registration.Dispose();

    [NoTrap]
    [Benchmark(Description = "undo: disposing the last registration restores the bytes")]
    public void Undo() => _registration.Dispose();

    // A virtual member: entered directly through vtable slots, so the jump is written with every other
    // thread held (IWorldStop), not behind the precode barrier.
    static readonly System.Reflection.MethodInfo RandomNext = typeof(Random).GetMethod(nameof(Random.Next), Type.EmptyTypes)!;

    [NoTrap]
    [Benchmark(Description = "apply to a virtual member (Random.Next): threads held for the write")]
    public void ApplyVirtual() => _registration = Trap.Intercept(RandomNext, before: call => call.Result = 4);

    [NoTrap]
    [Benchmark(Description = "undo on a virtual member (Random.Next)")]
    public void UndoVirtual() => _registration.Dispose();

    [NoTrap]
    [IterationSetup(Targets = new[] { nameof(UndoVirtual) })]
    public void MakeVirtualRegistration()
    {
        _registration = Trap.Intercept(RandomNext, before: call => call.Result = 4);
        Probe.Check(new Random(1).Next() == 4, "the virtual registration answers");
    }

    [NoTrap]
    [IterationCleanup(Targets = new[] { nameof(ApplyVirtual) })]
    public void EndVirtualRegistration()
    {
        Probe.Check(new Random(1).Next() == 4, "the virtual registration answers");
        _registration.Dispose();
        _registration = null;
    }

    [NoTrap]
    [GlobalSetup(Targets = new[] { nameof(RegisterWhilePatched), nameof(DisposeWhilePatched) })]
    public void KeepPatchedElsewhere()
    {
        var armed = new TaskCompletionSource();
        _release = new TaskCompletionSource();
        using (ExecutionContext.SuppressFlow())
            _ = Task.Run(async () =>
            {
                using (Trap.When(() => DateTime.Now).Returns(Fixed.AddDays(1)))
                {
                    armed.SetResult();
                    await _release.Task;
                }
            });
        armed.Task.Wait();
        Probe.Check(IsPatched(), "another flow keeps DateTime.Now patched");
    }

    [NoTrap]
    [GlobalCleanup(Targets = new[] { nameof(RegisterWhilePatched), nameof(DisposeWhilePatched) })]
    public void ReleaseElsewhere() => _release.SetResult();

    [NoTrap]
    [GlobalSetup(Targets = new[] { nameof(Apply), nameof(Undo) })]
    public void NothingPatched() => Probe.Check(!IsPatched(), "nothing patches DateTime.Now before the run");

    // Apply and RegisterWhilePatched leave a registration: end it after each call.
    [NoTrap]
    [IterationCleanup(Targets = new[] { nameof(Apply), nameof(RegisterWhilePatched) })]
    public void EndRegistration()
    {
        _registration.Dispose();
        _registration = null;
    }

    // Undo and DisposeWhilePatched need one to end.
    [NoTrap]
    [IterationSetup(Targets = new[] { nameof(Undo), nameof(DisposeWhilePatched) })]
    public void MakeRegistration()
    {
        _registration = Trap.When(() => DateTime.Now).Returns(Fixed);
        Probe.Check(DateTime.Now == Fixed, "the registration answers");
    }

    [NoTrap]
    [IterationSetup(Targets = new[] { nameof(Apply), nameof(RegisterWhilePatched) })]
    public void CheckState() => Probe.Check(_registration is null, "no registration of this thread is left over");

    [NoTrap]
    static bool IsPatched() => Trap.Explain(typeof(DateTime).GetProperty(nameof(DateTime.Now))!.GetMethod!).IsNativelyPatched;
}
