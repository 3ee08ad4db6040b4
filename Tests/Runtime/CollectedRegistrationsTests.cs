using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading;
using Fixtures.Runtime;

namespace Trapweave.Tests.Runtime;

/// <summary>
/// A disposed registration, and the replacement it holds, can be collected even though threads that
/// called it are still alive and idle: neither their handler bindings nor their cached flow state
/// keep it (found by the soak, Tests/Stress/, where idle thread-pool threads kept them).
/// </summary>
public class CollectedRegistrationsTests
{
    [Fact]
    public void A_disposed_registration_made_outside_a_scope_is_not_kept_by_an_idle_thread_that_called_it()
    {
        using var idle = new IdleCaller();
        var replacement = RegisterCallAndDispose(idle, inScope: false);
        Collect();
        Assert.False(replacement.IsAlive, "the replacement of a disposed patch is still reachable");
    }

    [Fact]
    public void A_disposed_registration_made_inside_a_scope_is_not_kept_by_an_idle_thread_that_called_it()
    {
        using var idle = new IdleCaller();
        var replacement = RegisterCallAndDispose(idle, inScope: true);
        Collect();
        Assert.False(replacement.IsAlive, "the replacement of a disposed patch is still reachable");
    }

    [Fact]
    public void An_ended_scope_is_not_kept_by_the_open_scope_around_it()
    {
        // As a test's scope inside its class's or assembly's, which may stay open for the whole run.
        using (Trap.Scope())
        {
            var inner = OpenAndEnd(registerInside: false, idle: null);
            Collect();
            Assert.False(inner.IsAlive, "an ended scope is still reachable from the scope around it");
        }
    }

    [Fact]
    public void An_ended_scope_is_not_kept_by_an_idle_thread_that_dispatched_under_it()
    {
        using var idle = new IdleCaller();
        var inner = OpenAndEnd(registerInside: true, idle);
        Collect();
        Assert.False(inner.IsAlive, "an ended scope is still reachable");
    }

    [Fact]
    public void A_disposed_process_wide_registration_made_inside_a_scope_is_not_kept_by_it()
    {
        using (Trap.Scope())
        {
            var recorder = RecordEverywhereAndDispose();
            Collect();
            Assert.False(recorder.IsAlive, "a disposed process-wide registration is still reachable from the scope it was made in");
        }
    }

    [Fact]
    public void A_disposed_process_wide_registration_is_not_kept_by_an_idle_thread_that_remembered_it()
    {
        // The idle thread remembers the recorder's binding as its answer for the call (DispatchThread.TryHot).
        using var idle = new IdleCaller();
        var recorder = RecordCallAndDispose(idle);
        Collect();
        Assert.False(recorder.IsAlive, "a disposed process-wide registration is still reachable from a thread that called it");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static WeakReference RecordCallAndDispose(IdleCaller idle)
    {
        var recorder = Trap.Global.Record(typeof(Scoping).GetMethod(nameof(Scoping.Describe))!);
        Assert.Equal(0, idle.CallInThisFlow(() => Scoping.Describe(7) == "original 7" ? 0 : 1));
        Assert.Equal(0, idle.CallInThisFlow(() => Scoping.Describe(7) == "original 7" ? 0 : 1));
        var registration = new WeakReference(recorder.Registration);
        recorder.Dispose();
        return registration;
    }

    /// <summary>A process-wide recorder (it changes no call, so tests running beside this one are unaffected), disposed at once.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    static WeakReference RecordEverywhereAndDispose()
    {
        var recorder = Trap.Global.Record(typeof(Scoping).GetMethod(nameof(Scoping.Describe))!);
        var registration = new WeakReference(recorder.Registration);
        recorder.Dispose();
        return registration;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static WeakReference OpenAndEnd(bool registerInside, IdleCaller idle)
    {
        var scope = Trap.Scope();
        if (registerInside)
        {
            Trap.Patch<Func<int, int>>(Scoping.Held, x => x + 2000);
            Assert.Equal(2001, idle.CallInThisFlow(() => Scoping.Held(1)));
        }
        scope.Dispose();
        return new WeakReference(scope);
    }

    /// <summary>Patches <see cref="Scoping.Held"/>, has the idle thread call it in this flow, disposes the patch; returns the replacement, weakly.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    static WeakReference RegisterCallAndDispose(IdleCaller idle, bool inScope)
    {
        var scope = inScope ? Trap.Scope() : null;
        var offset = 1000;
        var replacement = new Func<int, int>(x => x + offset);
        var patch = Trap.Patch(Scoping.Held, replacement);
        Assert.Equal(1001, idle.CallInThisFlow(() => Scoping.Held(1)));
        patch.Dispose();
        Assert.Equal(1, idle.CallInThisFlow(() => Scoping.Held(1)));
        scope?.Dispose();
        return new WeakReference(replacement);
    }

    static void Collect()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
    }

    /// <summary>
    /// A thread that lives on between calls, as a pool thread does: it runs each call in the caller's
    /// execution context and then leaves it, so between calls nothing on its stack holds that flow.
    /// </summary>
    sealed class IdleCaller : IDisposable
    {
        readonly Thread _thread;
        readonly BlockingCollection<Action> _work = new();

        public IdleCaller()
        {
            using (ExecutionContext.SuppressFlow())
                _thread = new Thread(() => { while (RunOne()) { } }) { IsBackground = true };
            _thread.Start();
        }

        public int CallInThisFlow(Func<int> call)
        {
            var context = ExecutionContext.Capture()!;
            var done = new TaskCompletionSource<int>();
            _work.Add(() => ExecutionContext.Run(context, _ => done.SetResult(call()), null));
            return done.Task.GetAwaiter().GetResult();
        }

        // Its own frame, so the item it ran is not on the stack while the thread waits for the next.
        [MethodImpl(MethodImplOptions.NoInlining)]
        bool RunOne()
        {
            if (!_work.TryTake(out var item, Timeout.Infinite)) return false;
            item();
            return true;
        }

        public void Dispose()
        {
            _work.CompleteAdding();
            _thread.Join();
        }
    }
}
