using System.Threading;
using Fixtures.Runtime;

namespace Trapweave.Tests.Runtime;

[Collection(Collection)]
public class ScopingTests
{
    /// <summary>Test classes that arm Scoping's methods and read their flags run one after another.</summary>
    public const string Collection = "Scoping";

    static IDisposable PatchValue(int value) => Trap.Patch<Func<int>>(Scoping.Value, () => value);

    [Fact]
    public async Task Registration_is_seen_by_everything_the_flow_starts_afterwards()
    {
        using var patch = PatchValue(7);
        Assert.Equal(7, Scoping.Value());

        await Task.Yield();
        Assert.Equal(7, Scoping.Value());
        Assert.Equal(7, await Task.Run(() => Scoping.Value()));

        var pooled = new TaskCompletionSource<int>();
        ThreadPool.QueueUserWorkItem(_ => pooled.SetResult(Scoping.Value()));
        Assert.Equal(7, await pooled.Task);

        var fromThread = 0;
        var thread = new Thread(() => fromThread = Scoping.Value());
        thread.Start();
        thread.Join();
        Assert.Equal(7, fromThread);

        var seen = new int[64];
        Parallel.For(0, seen.Length, i => seen[i] = Scoping.Value());
        Assert.All(seen, v => Assert.Equal(7, v));
    }

    [Fact]
    public async Task A_flow_started_with_SuppressFlow_sees_nothing()
    {
        using var patch = PatchValue(7);
        Task<int> suppressed;
        using (ExecutionContext.SuppressFlow())
        {
            suppressed = Task.Run(() => Scoping.Value());
        }
        Assert.Equal(0, await suppressed);
        Assert.Equal(7, Scoping.Value());
    }

    [Fact]
    public async Task A_flow_started_before_the_registration_does_not_see_it()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var earlier = Task.Run(async () =>
        {
            await gate.Task;
            return Scoping.Value();
        });
        using (PatchValue(7))
        {
            gate.SetResult();
            Assert.Equal(0, await earlier);
            Assert.Equal(7, Scoping.Value());
        }
    }

    [Fact]
    public async Task A_registration_made_in_a_child_flow_is_not_seen_by_the_parent()
    {
        var registered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var child = Task.Run(async () =>
        {
            using var patch = PatchValue(9);
            registered.SetResult();
            await release.Task;
            return Scoping.Value();
        });
        await registered.Task;
        Assert.Equal(0, Scoping.Value());
        release.SetResult();
        Assert.Equal(9, await child);
    }

    [Fact]
    public async Task Parallel_flows_patch_the_same_method_differently_without_cross_talk()
    {
        const int flows = 32, calls = 10_000;
        var ready = 0;
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var workers = Enumerable.Range(1, flows).Select(id => Task.Run(async () =>
        {
            using var patch = Trap.Patch<Func<int, int>>(Scoping.Echo, x => x * 1000 + id);
            if (Interlocked.Increment(ref ready) == flows) go.SetResult();
            await go.Task;
            var wrong = 0;
            for (var n = 0; n < calls; n++)
            {
                if (Scoping.Echo(n) != n * 1000 + id) wrong++;
                if (n % 250 == 0) await Task.Yield();
                if (n % 1000 == 0) wrong += await Task.Run(() => Scoping.Echo(3) == 3000 + id ? 0 : 1);
            }
            return wrong;
        })).ToArray();

        var mainWrong = 0;
        while (!workers.All(w => w.IsCompleted))
        {
            if (Scoping.Echo(5) != 5) mainWrong++;
            await Task.Yield();
        }
        var results = await Task.WhenAll(workers);
        Assert.All(results, wrong => Assert.Equal(0, wrong));
        Assert.Equal(0, mainWrong);
        Assert.Equal(5, Scoping.Echo(5));
    }

    [Fact]
    public void Registrations_stack_and_dispose_removes_exactly_one()
    {
        var first = PatchValue(1);
        var second = PatchValue(2);
        var third = PatchValue(3);
        Assert.Equal(3, Scoping.Value());
        second.Dispose();
        Assert.Equal(3, Scoping.Value());
        third.Dispose();
        Assert.Equal(1, Scoping.Value());
        third.Dispose(); // twice is harmless and removes nothing else
        Assert.Equal(1, Scoping.Value());
        first.Dispose();
        Assert.Equal(0, Scoping.Value());
    }

    [Fact]
    public void The_newest_registration_whose_arguments_match_wins_else_the_original_runs()
    {
        using var one = Trap.When(() => Scoping.Describe(1)).Returns("one");
        using var two = Trap.When(() => Scoping.Describe(2)).Returns("two");
        using var anyBig = Trap.When(() => Scoping.Describe(Arg.Is<int>(x => x > 100))).Returns("big");
        Assert.Equal("one", Scoping.Describe(1));
        Assert.Equal("two", Scoping.Describe(2));
        Assert.Equal("big", Scoping.Describe(101));
        Assert.Equal("original 3", Scoping.Describe(3));
    }

    [Fact]
    public async Task Scope_ends_everything_registered_inside_it_including_by_child_flows()
    {
        using var outside = Trap.When(() => Scoping.Describe(9)).Returns("outside");
        using (Trap.Scope())
        {
            PatchValue(4);
            Trap.When(() => Scoping.Describe(1)).Returns("one");
            Assert.Equal(4, Scoping.Value());
            var fromChild = await Task.Run(() =>
            {
                Trap.Patch<Func<int, int>>(Scoping.Echo, x => -x);
                return Scoping.Echo(2);
            });
            Assert.Equal(-2, fromChild);
            using (Trap.Scope())
            {
                PatchValue(5);
                Assert.Equal(5, Scoping.Value());
            }
            Assert.Equal(4, Scoping.Value());
        }
        Assert.Equal(0, Scoping.Value());
        Assert.Equal("original 1", Scoping.Describe(1));
        Assert.Equal("outside", Scoping.Describe(9));
        Assert.Equal(2, await Task.Run(() => Scoping.Echo(2)));
    }

    [Fact]
    public async Task Disposing_hides_a_registration_from_flows_already_started_with_it()
    {
        var patch = PatchValue(7);
        var started = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var child = Task.Run(async () =>
        {
            started.SetResult(Scoping.Value());
            await release.Task;
            return Scoping.Value();
        });
        Assert.Equal(7, await started.Task);
        patch.Dispose();
        release.SetResult();
        Assert.Equal(0, await child);
    }

    [Fact]
    public async Task Global_registrations_are_seen_by_every_flow_and_a_flow_registration_wins_over_them()
    {
        using (Trap.Global.Patch<Func<int, int>>(Scoping.Echo, x => x + 100))
        {
            Assert.Equal(101, Scoping.Echo(1));
            Task<int> suppressed;
            using (ExecutionContext.SuppressFlow()) suppressed = Task.Run(() => Scoping.Echo(1));
            Assert.Equal(101, await suppressed);
            using (Trap.Patch<Func<int, int>>(Scoping.Echo, x => x + 200))
            {
                Assert.Equal(201, Scoping.Echo(1));
            }
            Assert.Equal(101, Scoping.Echo(1));
        }
        Assert.Equal(1, Scoping.Echo(1));
    }

    [Fact]
    public void A_replacement_calling_the_method_it_replaces_reaches_the_original()
    {
        using var patch = Trap.Patch<Func<int, int>>(Scoping.Fib, n => Scoping.Fib(n) + 1000);
        // The replacement runs once; everything it calls, recursion included, is the original.
        Assert.Equal(1055, Scoping.Fib(10));
        using var outer = Trap.Patch<Func<int, int>>(Scoping.Fib, n => Scoping.Fib(n) * 2);
        Assert.Equal(2110, Scoping.Fib(10));
    }

    [Fact]
    public void The_flag_is_disarmed_when_the_last_registration_ends()
    {
        var patch = PatchValue(1);
        Assert.NotEqual(0, ArmedFlag(nameof(Scoping.Value)));
        patch.Dispose();
        Assert.Equal(0, ArmedFlag(nameof(Scoping.Value)));
    }

    [Fact]
    public async Task Inside_a_scope_a_registration_made_in_an_awaited_async_helper_reaches_the_caller()
    {
        using (Trap.Scope())
        {
            await ArrangeAsync(8);
            Assert.Equal(8, Scoping.Value());
            Assert.Equal(8, await Task.Run(() => Scoping.Value()));
        }
        Assert.Equal(0, Scoping.Value());
        Assert.Equal(0, ArmedFlag(nameof(Scoping.Value)));
    }

    [Fact]
    public async Task Outside_a_scope_an_awaited_async_helper_keeps_its_registration_to_itself()
    {
        // The AsyncLocal rule, unchanged where no scope collects: the helper's flow ends with it.
        using var patch = await ArrangeAsync(8);
        Assert.Equal(0, Scoping.Value());
    }

    static async Task<IDisposable> ArrangeAsync(int value)
    {
        await Task.Yield();
        var patch = PatchValue(value);
        Assert.Equal(value, Scoping.Value());
        return patch;
    }

    [Fact]
    public async Task Inside_a_scope_a_child_flows_registration_is_seen_by_the_parent_and_by_flows_started_before_it()
    {
        using (Trap.Scope())
        {
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var earlier = Task.Run(async () =>
            {
                await gate.Task;
                return Scoping.Value();
            });
            await Task.Run(() => PatchValue(6));
            Assert.Equal(6, Scoping.Value());
            gate.SetResult();
            Assert.Equal(6, await earlier);
        }
        Assert.Equal(0, Scoping.Value());
    }

    [Fact]
    public async Task Parallel_scopes_collect_separately_and_never_see_each_other()
    {
        const int flows = 16;
        var barrier = new Barrier(flows);
        var seen = await Task.WhenAll(Enumerable.Range(1, flows).Select(id => Task.Run(async () =>
        {
            using (Trap.Scope())
            {
                await ArrangeAsync(id);
                // Every flow has arranged before any of them reads.
                await Task.Run(() => barrier.SignalAndWait());
                return Scoping.Value();
            }
        })));
        Assert.Equal(Enumerable.Range(1, flows), seen);
        Assert.Equal(0, Scoping.Value());
    }

    [Fact]
    public void A_flow_outside_the_scope_never_sees_what_is_registered_in_it()
    {
        using (Trap.Scope())
        {
            PatchValue(3);
            var seenOutside = -1;
            using (ExecutionContext.SuppressFlow())
            {
                var thread = new Thread(() => seenOutside = Scoping.Value());
                thread.Start();
                thread.Join();
            }
            Assert.Equal(0, seenOutside);
            Assert.Equal(3, Scoping.Value());
        }
    }

    [Fact]
    public async Task Inner_scope_wins_over_outer_and_ends_alone()
    {
        using (Trap.Scope())
        {
            PatchValue(1);
            using (Trap.Scope())
            {
                await ArrangeAsync(2);
                Assert.Equal(2, Scoping.Value());
            }
            Assert.Equal(1, Scoping.Value());
        }
        Assert.Equal(0, Scoping.Value());
    }

    [Fact]
    public async Task A_flow_still_running_after_its_scope_ended_registers_for_itself_only()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<int> straggler;
        using (Trap.Scope())
        {
            PatchValue(1);
            straggler = Task.Run(async () =>
            {
                await release.Task;
                PatchValue(5);
                return Scoping.Value();
            });
        }
        release.SetResult();
        Assert.Equal(5, await straggler);
        // Not into the ended scope's flow, nor anywhere else.
        Assert.Equal(0, Scoping.Value());
    }

    internal static int ArmedFlag(string method)
    {
        Assert.True(Internal.IlScanner.TryFindTrap(typeof(Scoping).GetMethod(method), out var flag, out _));
        return (int)flag.GetValue(null);
    }
}
