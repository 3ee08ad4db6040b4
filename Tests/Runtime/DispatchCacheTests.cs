using System.Runtime.CompilerServices;
using System.Threading;
using Fixtures.Runtime;

namespace Trapweave.Tests.Runtime;

/// <summary>
/// Each thread remembers, per context, the answer dispatch found for a slot and handler type, and
/// uses it while nothing has been registered or disposed anywhere since (DispatchThread.TryHot).
/// These are the ways such an answer could go stale without the flow's context changing. Each
/// target is kept armed by a registration in an unrelated flow, so every call here is dispatched
/// (an unarmed method's call never asks, and would prove nothing).
/// </summary>
public class DispatchCacheTests
{
    [Fact]
    public void A_registration_another_flow_makes_in_a_shared_scope_reaches_a_flow_answered_before()
    {
        using var elsewhere = ArmElsewhere(DispatchCache.Shared);
        using (Trap.Scope())
        {
            Assert.Equal(1, DispatchCache.Shared(1)); // answered here: nothing takes the call
            // Another thread, in this flow: its registration goes into the open scope, shared with
            // this thread, whose context stays the one it remembered its answer in.
            var context = ExecutionContext.Capture()!;
            var patch = RunOnThread(() =>
            {
                IDisposable made = null!;
                ExecutionContext.Run(context, _ => made = Trap.Patch<Func<int, int>>(DispatchCache.Shared, x => x + 10), null);
                return made;
            });
            Assert.Equal(11, DispatchCache.Shared(1));
            RunOnThread(() => { patch.Dispose(); return 0; });
            Assert.Equal(1, DispatchCache.Shared(1));
        }
    }

    [Fact]
    public void A_process_wide_registration_made_on_another_thread_reaches_a_flow_answered_before()
    {
        using var elsewhere = ArmElsewhere(DispatchCache.Global);
        Assert.Equal(1, DispatchCache.Global(1));
        var patch = RunOnThread(() => Trap.Global.Patch<Func<int, int>>(DispatchCache.Global, x => x + 20));
        try
        {
            Assert.Equal(21, DispatchCache.Global(1));
        }
        finally
        {
            RunOnThread(() => { patch.Dispose(); return 0; });
        }
        Assert.Equal(1, DispatchCache.Global(1));
    }

    [Fact]
    public void Disposing_on_another_thread_ends_a_registration_this_thread_remembered()
    {
        using var elsewhere = ArmElsewhere(DispatchCache.Echo);
        var patch = Trap.Patch<Func<int, int>>(DispatchCache.Echo, x => x + 30);
        Assert.Equal(31, DispatchCache.Echo(1));
        Assert.Equal(31, DispatchCache.Echo(1));
        RunOnThread(() => { patch.Dispose(); return 0; });
        Assert.Equal(1, DispatchCache.Echo(1));
    }

    [Fact]
    public void Instantiations_of_one_method_are_each_answered_by_their_own_registration()
    {
        // They share the method's slot, so their answers compete for one remembered entry.
        using var ints = Trap.Patch<Func<int, int>>(DispatchCache.Identity<int>, x => x + 40);
        using var strings = Trap.Patch<Func<string, string>>(DispatchCache.Identity<string>, s => s + "!");
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(41, DispatchCache.Identity(1));
            Assert.Equal("a!", DispatchCache.Identity("a"));
            Assert.Equal(1L, DispatchCache.Identity(1L)); // not patched
        }
    }

    [Fact]
    public void Methods_that_share_a_remembered_entry_are_each_answered_for_themselves()
    {
        // 20 methods of one shape (one handler type), all patched: more than a thread's 16 entries, so some share one.
        var patches = new List<IDisposable>();
        try
        {
            for (var i = 0; i < DispatchCache.Numbered.Length; i++)
            {
                var offset = 100 * (i + 1);
                patches.Add(Trap.Patch(DispatchCache.Numbered[i], () => offset));
            }
            for (var round = 0; round < 20; round++)
                for (var i = 0; i < DispatchCache.Numbered.Length; i++)
                    Assert.Equal(100 * (i + 1), DispatchCache.Numbered[i]());
        }
        finally
        {
            foreach (var patch in patches) patch.Dispose();
        }
        for (var i = 0; i < DispatchCache.Numbered.Length; i++) Assert.Equal(i, DispatchCache.Numbered[i]());
    }

    [Fact]
    public void A_flow_that_moves_to_another_thread_and_back_keeps_its_answers_right()
    {
        using var patch = Trap.Patch<Func<int, int>>(DispatchCache.Echo, x => x + 50);
        var seen = new List<int>();
        var other = new Thread(() =>
        {
            // Another flow on another thread: its own answer (none) is remembered there, not here.
            for (var i = 0; i < 10; i++) seen.Add(DispatchCache.Echo(1));
        });
        other.UnsafeStart();
        other.Join();
        Assert.All(seen, v => Assert.Equal(1, v));
        Assert.Equal(51, DispatchCache.Echo(1));
    }

    /// <summary>A patch made in a flow of its own, which keeps <paramref name="method"/> armed and is never seen here.</summary>
    static IDisposable ArmElsewhere(Func<int, int> method)
    {
        var patch = RunOnThread(() => Trap.Patch(method, x => -1000));
        Assert.Equal(1, method(1));
        return patch;
    }

    /// <summary>Runs <paramref name="f"/> on a thread of its own that does not carry this flow, leaving this thread's context as it was.</summary>
    static T RunOnThread<T>(Func<T> f)
    {
        T result = default!;
        Exception error = null;
        var thread = new Thread(() =>
        {
            try { result = f(); }
            catch (Exception e) { error = e; }
        });
        // Not SuppressFlow: undoing it gives this thread a new context object, which would renew its answers.
        thread.UnsafeStart();
        thread.Join();
        if (error is not null) throw new InvalidOperationException("the call on the other thread failed", error);
        return result;
    }
}
