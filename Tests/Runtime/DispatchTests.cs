using System.Threading;
using Fixtures;
using Trapweave.Internal;

namespace Trapweave.Tests.Runtime;

/// <summary>The dispatch semantics the hot path (TrapDispatch.Lookup, Enter/Exit, Next) must keep.</summary>
// Alone: one test needs the registration index it frees to be the next one taken (RegistrationIndexes).
[Collection(NotInParallel.Name)]
public class DispatchTests
{
    [Fact]
    public void A_replacement_calling_its_own_target_runs_the_original()
    {
        using (Trap.Patch<Func<int, int>>(StaticMethods.Factorial, n => StaticMethods.Factorial(n) + 1))
        {
            // Inside the replacement Factorial runs unpatched, recursion included.
            Assert.Equal(121, StaticMethods.Factorial(5));
            Assert.Equal(121, StaticMethods.Factorial(5));
        }
        Assert.Equal(120, StaticMethods.Factorial(5));
    }

    [Fact]
    public void Stacked_patches_continue_to_the_next_one_down()
    {
        using var older = Trap.Patch<Func<int, int, int>>(StaticMethods.Add, (a, b) => a * b);
        var newer = Trap.Patch<Func<int, int, int>>(StaticMethods.Add, (a, b) => StaticMethods.Add(a, b) + 100);
        Assert.Equal(106, StaticMethods.Add(2, 3));
        newer.Dispose();
        Assert.Equal(6, StaticMethods.Add(2, 3));
    }

    [Fact]
    public void A_throwing_replacement_leaves_the_thread_not_reentrant()
    {
        using (Trap.Patch<Func<int, int>>(StaticMethods.Square, x => throw new InvalidOperationException("boom")))
        {
            Assert.Equal("boom", Assert.Throws<InvalidOperationException>(() => StaticMethods.Square(3)).Message);
            Assert.Equal("boom", Assert.Throws<InvalidOperationException>(() => StaticMethods.Square(3)).Message);
        }
        using (Trap.Patch<Func<int, int>>(StaticMethods.Square, x => -x))
            Assert.Equal(-3, StaticMethods.Square(3));
    }

    [Fact]
    public void Deep_reentrancy_walks_down_every_registration()
    {
        var depth = 0;
        Func<int, int> replacement = null;
        replacement = n =>
        {
            // Each registration calls in again: the call lands on the next registration down.
            depth++;
            return n <= 0 ? 0 : 1 + StaticMethods.Square(n - 1);
        };
        var regs = Enumerable.Range(0, 20).Select(_ => Trap.Patch<Func<int, int>>(StaticMethods.Square, replacement)).ToList();
        try
        {
            // 20 registrations each add 1 and call the next one down; the original squares what is left.
            Assert.Equal(20 + 30 * 30, StaticMethods.Square(50));
            Assert.Equal(20, depth);
        }
        finally
        {
            foreach (var r in regs) r.Dispose();
        }
    }

    [Fact]
    public void Other_flows_do_not_see_the_patch_but_the_flows_it_starts_do()
    {
        using (Trap.Patch<Func<int, int, int>>(StaticMethods.Add, (a, b) => a * b))
        {
            Assert.Equal(6, Task.Run(() => StaticMethods.Add(2, 3)).Result);
            // A thread, not Task.Run: a task that Wait/Result inlines runs in the waiter's context.
            var seen = 0;
            Thread unrelated;
            using (ExecutionContext.SuppressFlow())
            {
                unrelated = new Thread(() => seen = StaticMethods.Add(2, 3));
                unrelated.Start();
            }
            unrelated.Join();
            Assert.Equal(5, seen);
        }
    }

    [Fact]
    public void A_running_replacement_is_skipped_only_on_its_own_thread()
    {
        using (Trap.Patch<Func<int, int, int>>(StaticMethods.Add, (a, b) =>
               {
                   // Here Add is the original; on another thread of the same flow it is still patched.
                   var inside = StaticMethods.Add(a, b);
                   var elsewhere = -1;
                   if (a < 100)
                   {
                       // A thread, not Task.Run: Result could run the task inline on this thread.
                       var other = new Thread(() => elsewhere = StaticMethods.Add(a + 100, b));
                       other.Start();
                       other.Join();
                   }
                   return inside * 1000 + elsewhere;
               }))
        {
            // 5 * 1000 + (105 * 1000 + (-1)): the other thread ran the replacement once more.
            Assert.Equal(5 * 1000 + 105 * 1000 - 1, StaticMethods.Add(2, 3));
        }
    }

    [Fact]
    public void Inside_a_replacement_only_the_running_registrations_are_skipped()
    {
        var a = new Counter(10);
        var b = new Counter(20);
        using var every = Trap.Patch(typeof(Counter).GetMethod(nameof(Counter.Next))!, new Func<Counter, int>(c => c == a ? b.Next() * 1000 : -1));
        using var onlyB = Trap.Patch<Func<int>>(b.Next, () => 7);
        // a.Next: onlyB does not take a, so `every` runs. Inside it b.Next is a call onlyB takes,
        // and onlyB is not running, so it answers; `every`, running, is skipped.
        Assert.Equal(7000, a.Next());
        // Called directly, b.Next goes to the newest registration that takes it.
        Assert.Equal(7, b.Next());
    }

    [Fact]
    public void A_registration_index_reused_after_dispose_reaches_the_new_registration()
    {
        var first = Trap.Patch<Func<int, int, int>>(StaticMethods.Add, (a, b) => a * b);
        Assert.Equal(6, StaticMethods.Add(2, 3));
        var index = ((Registration)first).Index;
        first.Dispose();
        // The freed index goes to the next registration; this thread's old handler for it must not answer.
        using var second = Trap.Patch<Func<int, int>>(StaticMethods.Square, x => -x);
        Assert.Equal(index, ((Registration)second).Index);
        Assert.Equal(-3, StaticMethods.Square(3));
        Assert.Equal(5, StaticMethods.Add(2, 3));
    }

    [Fact]
    public void The_flow_cache_reads_the_execution_context_on_this_runtime()
    {
        // Without it every armed call pays a second thread-static read (docs/benchmarks.md).
        Assert.True(ExecutionContextAccess.IsAvailable);
    }

    [Fact]
    public void One_thread_switching_between_flows_sees_each_flow_s_patches()
    {
        var times = Capture(() => Trap.Patch<Func<int, int, int>>(StaticMethods.Add, (a, b) => a * b));
        var minus = Capture(() => Trap.Patch<Func<int, int, int>>(StaticMethods.Add, (a, b) => a - b));
        try
        {
            var seen = new List<int>();
            for (var i = 0; i < 3; i++)
            {
                ExecutionContext.Run(times.Context, _ => seen.Add(StaticMethods.Add(2, 3)), null);
                ExecutionContext.Run(minus.Context, _ => seen.Add(StaticMethods.Add(2, 3)), null);
                seen.Add(StaticMethods.Add(2, 3));
            }
            Assert.Equal(new[] { 6, -1, 5, 6, -1, 5, 6, -1, 5 }, seen);
        }
        finally
        {
            times.Registration.Dispose();
            minus.Registration.Dispose();
        }
    }

    /// <summary>Registers in a flow of its own and returns that flow's context, leaving the caller's untouched.</summary>
    static (ExecutionContext Context, IDisposable Registration) Capture(Func<IDisposable> register) =>
        Task.Run(() =>
        {
            var registration = register();
            return (ExecutionContext.Capture()!, registration);
        }).Result;
}
