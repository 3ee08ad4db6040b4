using System;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Benchmarks.Targets;
using Moq;
using NSubstitute;
using Trapweave;

namespace Benchmarks;

/// <summary>
/// The cost of one call to <c>int Add(int, int)</c> in each state of its trap, against the same
/// method unwoven. BenchmarkDotNet runs each case in its own process; the per-case global setups
/// arm exactly what the case needs and assert it. Three launches per case: on this machine a
/// process sometimes settles a few ns above another one running the same code (JIT/PGO outcome,
/// code placement, a busy sibling core), so one launch can mislead; the median is over all three.
/// </summary>
[NoTrap]
[MemoryDiagnoser]
[SimpleJob(launchCount: 3, warmupCount: 4, iterationCount: 10)]
[IterationTime(250)]
public class CallBenchmarks
{
    /// <summary>
    /// Calls per benchmark invocation, reported per call: a lone sub-nanosecond call is
    /// indistinguishable from BenchmarkDotNet's own invocation overhead (the baseline would read
    /// 0 ns and no ratio could be formed). The loop's own cost is the same in every case.
    /// </summary>
    const int Calls = 32;

    // Fields, so the JIT cannot fold the calls.
    int _a = 2, _b = 3;

    ParkedFlow _elsewhere;
    IDisposable _patch, _otherPatch;
    ICalc _moq, _nsub;

    // ---- 1. nothing armed anywhere -------------------------------------------------------

    [Benchmark(Baseline = true, OperationsPerInvoke = Calls, Description = "unwoven (baseline)")]
    public int Unwoven()
    {
        int sum = 0, a = _a, b = _b;
        for (var i = 0; i < Calls; i++) sum += Plain.Add(a + i, b);
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Calls, Description = "1. woven, nothing armed")]
    public int WovenNothingArmed()
    {
        int sum = 0, a = _a, b = _b;
        for (var i = 0; i < Calls; i++) sum += Woven.AddUnarmed(a + i, b);
        return sum;
    }

    // ---- reference points (issue 10): the floors the trap's costs are measured against -------

    [Benchmark(OperationsPerInvoke = Calls, Description = "r1. unwoven, also reading a [ThreadStatic]")]
    public int ReadingThreadStatic()
    {
        int sum = 0, a = _a, b = _b;
        for (var i = 0; i < Calls; i++) sum += Plain.AddReadingThreadStatic(a + i, b);
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Calls, Description = "r2. a delegate call to the unwoven method")]
    public int DelegateCall()
    {
        int sum = 0, a = _a, b = _b;
        var add = Plain.AddDelegate;
        for (var i = 0; i < Calls; i++) sum += add(a + i, b);
        return sum;
    }

    [GlobalSetup(Targets = new[] { nameof(Unwoven), nameof(WovenNothingArmed), nameof(ReadingThreadStatic), nameof(DelegateCall) })]
    public void SetupNothingArmed()
    {
        Probe.Check(Plain.Add(2, 3) == 5 && Woven.AddUnarmed(2, 3) == 5, "Add(2, 3) == 5");
        Probe.Check(Probe.FlagValue(Probe.Method(nameof(Woven.AddUnarmed))) == 0, "AddUnarmed's flag is 0");
    }

    // ---- 2. armed in another flow only ---------------------------------------------------

    [Benchmark(OperationsPerInvoke = Calls, Description = "2. woven, armed in another flow only")]
    public int WovenArmedElsewhere()
    {
        int sum = 0, a = _a, b = _b;
        for (var i = 0; i < Calls; i++) sum += Woven.AddArmedElsewhere(a + i, b);
        return sum;
    }

    [GlobalSetup(Target = nameof(WovenArmedElsewhere))]
    public void SetupArmedElsewhere()
    {
        _elsewhere = new ParkedFlow(() => Trap.Patch<Func<int, int, int>>(Woven.AddArmedElsewhere, (a, b) => a * b));
        CheckArmedElsewhere(nameof(Woven.AddArmedElsewhere));
    }

    [GlobalCleanup(Target = nameof(WovenArmedElsewhere))]
    public void CleanupArmedElsewhere()
    {
        CheckArmedElsewhere(nameof(Woven.AddArmedElsewhere));
        _elsewhere.Dispose();
    }

    /// <summary>As 2., but this flow has a registration set of its own (on another method).</summary>
    [Benchmark(OperationsPerInvoke = Calls, Description = "2b. woven, armed in another flow; this flow patches another method")]
    public int WovenArmedElsewhereBusyFlow()
    {
        int sum = 0, a = _a, b = _b;
        for (var i = 0; i < Calls; i++) sum += Woven.AddArmedElsewhereBusyFlow(a + i, b);
        return sum;
    }

    [GlobalSetup(Target = nameof(WovenArmedElsewhereBusyFlow))]
    public void SetupArmedElsewhereBusyFlow()
    {
        _elsewhere = new ParkedFlow(() => Trap.Patch<Func<int, int, int>>(Woven.AddArmedElsewhereBusyFlow, (a, b) => a * b));
        _otherPatch = Trap.Patch<Func<int, int>>(Woven.Other, a => -a);
        Probe.Check(Woven.Other(7) == -7, "this flow's patch on Other is seen");
        CheckArmedElsewhere(nameof(Woven.AddArmedElsewhereBusyFlow));
    }

    [GlobalCleanup(Target = nameof(WovenArmedElsewhereBusyFlow))]
    public void CleanupArmedElsewhereBusyFlow()
    {
        Probe.Check(Woven.Other(7) == -7, "this flow's patch on Other is still seen after the iterations");
        CheckArmedElsewhere(nameof(Woven.AddArmedElsewhereBusyFlow));
        _otherPatch.Dispose();
        _elsewhere.Dispose();
    }

    void CheckArmedElsewhere(string method)
    {
        Probe.Check(Probe.FlagValue(Probe.Method(method)) != 0, method + "'s flag is armed");
        Probe.Check(_elsewhere.Call(() => (int)Probe.Method(method).Invoke(null, new object[] { 2, 3 })!) == 6, "the other flow sees its patch");
        Probe.Check(RunBenchmarkCall(method) == 5, "this flow runs the original");
    }

    int RunBenchmarkCall(string method) => method == nameof(Woven.AddArmedElsewhere) ? Woven.AddArmedElsewhere(2, 3) : Woven.AddArmedElsewhereBusyFlow(2, 3);

    // ---- 3. a same-signature patch hit in this flow, and the mocking libraries ---------------

    [Benchmark(OperationsPerInvoke = Calls, Description = "3. woven, Trap.Patch hit in this flow")]
    public int WovenPatched()
    {
        int sum = 0, a = _a, b = _b;
        for (var i = 0; i < Calls; i++) sum += Woven.AddPatched(a + i, b);
        return sum;
    }

    [GlobalSetup(Target = nameof(WovenPatched))]
    public void SetupPatched()
    {
        // GlobalSetup is a plain synchronous call on the thread that then runs the iterations, so
        // the AsyncLocal value it sets stays in that thread's ExecutionContext; the cleanup below
        // re-checks it after the iterations.
        _patch = Trap.Patch<Func<int, int, int>>(Woven.AddPatched, (a, b) => a * b);
        Probe.Check(Woven.AddPatched(2, 3) == 6, "the patch is seen in this flow");
        Probe.Check(Probe.FlagValue(Probe.Method(nameof(Woven.AddPatched))) != 0, "AddPatched's flag is armed");
        Probe.Check(Task.Run(() => Woven.AddPatched(2, 3)).Result == 6, "a Task.Run started by this flow sees it");
    }

    [GlobalCleanup(Target = nameof(WovenPatched))]
    public void CleanupPatched()
    {
        Probe.Check(Woven.AddPatched(2, 3) == 6, "the patch was still seen by the benchmark flow after the iterations");
        _patch.Dispose();
        Probe.Check(Woven.AddPatched(2, 3) == 5, "disposing the patch restores the original");
    }

    /// <summary>
    /// As 3., made inside three nested scopes as the test-framework integration opens them
    /// (assembly, class, test): the hit walks the flow's scopes from the innermost one.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Calls, Description = "3s. woven, Trap.Patch hit, made in a test's scope (3 levels)")]
    public int WovenPatchedInScope()
    {
        int sum = 0, a = _a, b = _b;
        for (var i = 0; i < Calls; i++) sum += Woven.AddPatchedInScope(a + i, b);
        return sum;
    }

    [GlobalSetup(Target = nameof(WovenPatchedInScope))]
    public void SetupPatchedInScope()
    {
        _scopes = new[] { Trapweave.Testing.TestScopes.Begin("assembly"), Trapweave.Testing.TestScopes.Begin("class"), Trapweave.Testing.TestScopes.Begin("test") };
        _patch = Trap.Patch<Func<int, int, int>>(Woven.AddPatchedInScope, (a, b) => a * b);
        Probe.Check(Woven.AddPatchedInScope(2, 3) == 6, "the patch is seen in this flow");
    }

    [GlobalCleanup(Target = nameof(WovenPatchedInScope))]
    public void CleanupPatchedInScope()
    {
        Probe.Check(Woven.AddPatchedInScope(2, 3) == 6, "the patch was still seen by the benchmark flow after the iterations");
        Trapweave.Testing.TestScopes.End(_scopes[0]);
        Probe.Check(Woven.AddPatchedInScope(2, 3) == 5, "ending the scopes ends the patch");
    }

    TrapScope[] _scopes;

    /// <summary>
    /// As 3., with a replacement the handler cannot call directly (a virtual method: the delegate
    /// must dispatch it), so it goes through Delegate.Invoke and is never inlined into the handler.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Calls, Description = "3v. woven, Trap.Patch hit, replacement via Delegate.Invoke")]
    public int WovenPatchedViaInvoke()
    {
        int sum = 0, a = _a, b = _b;
        for (var i = 0; i < Calls; i++) sum += Woven.AddPatchedViaInvoke(a + i, b);
        return sum;
    }

    [GlobalSetup(Target = nameof(WovenPatchedViaInvoke))]
    public void SetupPatchedViaInvoke()
    {
        Multiplier multiplier = new VirtualMultiplier();
        _patch = Trap.Patch<Func<int, int, int>>(Woven.AddPatchedViaInvoke, multiplier.Apply);
        Probe.Check(Woven.AddPatchedViaInvoke(2, 3) == 6, "the patch is seen in this flow");
    }

    [GlobalCleanup(Target = nameof(WovenPatchedViaInvoke))]
    public void CleanupPatchedViaInvoke()
    {
        Probe.Check(Woven.AddPatchedViaInvoke(2, 3) == 6, "the patch was still seen by the benchmark flow after the iterations");
        _patch.Dispose();
    }

    [Benchmark(OperationsPerInvoke = Calls, Description = "3m. Moq: Setup(Add(It.IsAny, It.IsAny)).Returns")]
    public int Moq()
    {
        int sum = 0, a = _a, b = _b;
        for (var i = 0; i < Calls; i++) sum += _moq.Add(a + i, b);
        return sum;
    }

    [GlobalSetup(Target = nameof(Moq))]
    public void SetupMoq()
    {
        var mock = new Mock<ICalc>();
        mock.Setup(c => c.Add(It.IsAny<int>(), It.IsAny<int>())).Returns((int a, int b) => a * b);
        _moq = mock.Object;
        Probe.Check(_moq.Add(2, 3) == 6, "the Moq setup answers");
    }

    [Benchmark(OperationsPerInvoke = Calls, Description = "3n. NSubstitute: Add(Arg.Any, Arg.Any).Returns")]
    public int NSubstitute()
    {
        int sum = 0, a = _a, b = _b;
        for (var i = 0; i < Calls; i++) sum += _nsub.Add(a + i, b);
        return sum;
    }

    [GlobalSetup(Target = nameof(NSubstitute))]
    public void SetupNSubstitute()
    {
        var sub = Substitute.For<ICalc>();
        sub.Add(global::NSubstitute.Arg.Any<int>(), global::NSubstitute.Arg.Any<int>()).Returns(ci => ci.ArgAt<int>(0) * ci.ArgAt<int>(1));
        _nsub = sub;
        Probe.Check(_nsub.Add(2, 3) == 6, "the NSubstitute setup answers");
    }
}

/// <summary>A replacement bound to a virtual method: patch handlers call it through Delegate.Invoke.</summary>
[NoTrap]
public class Multiplier
{
    public virtual int Apply(int a, int b) => a + b;
}

[NoTrap]
public sealed class VirtualMultiplier : Multiplier
{
    public override int Apply(int a, int b) => a * b;
}

/// <summary>
/// A flow of its own (a long-running task) that makes a registration and stays parked holding it
/// until disposed, so the registration's method is armed while the benchmark flow has no registration on it.
/// </summary>
[NoTrap]
public sealed class ParkedFlow : IDisposable
{
    readonly BlockingQueue _work = new();
    readonly Task _task;

    public ParkedFlow(Func<IDisposable> register)
    {
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _task = Task.Factory.StartNew(() =>
        {
            IDisposable registration;
            try { registration = register(); }
            catch (Exception e) { ready.SetException(e); return; }
            ready.SetResult();
            using (registration) _work.RunUntilClosed();
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        ready.Task.GetAwaiter().GetResult();
    }

    /// <summary>Runs <paramref name="f"/> inside the parked flow.</summary>
    public T Call<T>(Func<T> f)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Post(() =>
        {
            try { done.SetResult(f()); }
            catch (Exception e) { done.SetException(e); }
        });
        return done.Task.GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        _work.Close();
        _task.GetAwaiter().GetResult();
    }

    sealed class BlockingQueue
    {
        readonly System.Collections.Concurrent.BlockingCollection<Action> _items = new();
        public void Post(Action a) => _items.Add(a);
        public void Close() => _items.CompleteAdding();
        public void RunUntilClosed()
        {
            foreach (var a in _items.GetConsumingEnumerable()) a();
        }
    }
}
