using System.Threading;
using Fixtures.Tracing;
using Trapweave.Tracing;

namespace Trapweave.Tests.Tracing;

/// <summary>
/// Traces recorded from real woven calls (Trap.Trace): exact trees for sync, async, parallel,
/// recursive and throwing code, values rendered at the call, flows kept apart. Every trace here
/// takes only the fixture's namespace, so no other test's methods are armed by these.
/// </summary>
[Collection(TracedFixtures.Name)]
public class TracedCallsTests
{
    static readonly CallTraceOptions Fixture = new() { Filter = new TraceCallFilter(include: new[] { "Fixtures.Tracing" }) };

    static string Name(TraceCall call)
    {
        var method = call.Method[(call.DeclaringType.Length + 1)..];
        return method[..method.IndexOf('(')];
    }

    static string Shape(TraceCall call) =>
        Name(call) + (call.Children.Count == 0 ? "" : "[" + string.Join(",", call.Children.Select(Shape)) + "]");

    static string Args(TraceCall call) => string.Join(", ", call.Arguments.Select(a => a.ToString()));

    [Fact]
    public void A_sync_call_tree_is_recorded_with_arguments_results_and_order()
    {
        CallTrace trace;
        using (var session = Trap.Trace(Fixture))
        {
            Assert.Equal(4.5m, TracedCalls.Total(new[] { 1, 2 }, 1.5m));
            trace = session.Stop();
        }
        var root = Assert.Single(trace.Roots);
        Assert.Equal("Total[Price[Round],Price[Round]]", Shape(root));
        Assert.Equal("4.5", root.Result);
        Assert.Equal(new[] { "quantity = 1, unitPrice = 1.5", "quantity = 2, unitPrice = 1.5" }, root.Children.Select(Args));
        Assert.Equal(new[] { "1.5", "3.0" }, root.Children.Select(c => c.Result));
        Assert.True(root.Children[0].EndNs <= root.Children[1].StartNs);
        Assert.All(trace.AllCalls(), c => Assert.True(c.Completed && !c.IsAsync && c.ThreadId == root.ThreadId && c.FlowId == root.FlowId));
        Assert.All(root.Children, c => Assert.InRange(c.StartNs, root.StartNs, root.EndNs));
        Assert.Equal(5, trace.CallCount);
    }

    [Fact]
    public void Recursion_is_traced_at_every_level()
    {
        using var session = Trap.Trace(Fixture);
        Assert.Equal(3, TracedCalls.Fibonacci(4));
        var trace = session.Stop();
        var root = Assert.Single(trace.Roots);
        Assert.Equal("Fibonacci[Fibonacci[Fibonacci[Fibonacci,Fibonacci],Fibonacci],Fibonacci[Fibonacci,Fibonacci]]", Shape(root));
        Assert.Equal(new[] { "n = 3", "n = 2" }, root.Children.Select(Args));
        Assert.Equal(new[] { "2", "1" }, root.Children.Select(c => c.Result));
    }

    [Fact]
    public void An_exception_is_recorded_where_it_passes_and_still_reaches_the_catch()
    {
        using var session = Trap.Trace(Fixture);
        Assert.Equal(-1, TracedCalls.Checked(3));
        var root = Assert.Single(session.Stop().Roots);
        Assert.Equal("Checked[Fail]", Shape(root));
        Assert.Equal("-1", root.Result);
        Assert.Null(root.Exception);
        var failed = root.Children[0];
        Assert.Equal("System.InvalidOperationException", failed.Exception?.Type);
        Assert.Equal("no 3", failed.Exception?.Message);
        Assert.Null(failed.Result);
        Assert.True(failed.Completed);
    }

    [Fact]
    public void An_exception_thrown_through_a_traced_method_keeps_its_stack_trace()
    {
        using var session = Trap.Trace(Fixture);
        var thrown = Assert.Throws<InvalidOperationException>(() => TracedCalls.Fail(1));
        session.Stop();
        Assert.Contains(nameof(TracedCalls.Fail), thrown.StackTrace);
        Assert.DoesNotContain("Trace_", thrown.StackTrace);
    }

    [Fact]
    public async Task An_async_call_is_timed_to_its_task_and_its_awaited_callees_hang_under_it()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var session = Trap.Trace(Fixture);
        var loading = TracedCalls.LoadAsync(5, gate.Task);

        var running = Assert.Single(session.Snapshot().Roots);
        Assert.Equal("LoadAsync[FetchAsync]", Shape(running));
        Assert.False(running.Completed);
        Assert.False(running.Children[0].Completed);

        gate.SetResult();
        Assert.Equal(10, await loading);
        var root = Assert.Single(session.Stop().Roots);
        Assert.Equal("LoadAsync[FetchAsync[Double],Price[Round]]", Shape(root));
        Assert.True(root.IsAsync && root.Completed);
        Assert.Equal("10", root.Result);
        var fetch = root.Children[0];
        Assert.Equal(("10", true), (fetch.Result, fetch.IsAsync));
        // Its callee ran after the await, on a continuation: still its child, and within its time.
        Assert.InRange(fetch.Children[0].StartNs, fetch.StartNs, fetch.EndNs);
        Assert.True(root.EndNs >= fetch.EndNs);
        Assert.True(root.Children[1].StartNs >= fetch.EndNs);
    }

    [Fact]
    public async Task An_async_failure_is_recorded_when_the_task_faults()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var session = Trap.Trace(Fixture);
        var failing = TracedCalls.FailLaterAsync(gate.Task);
        Assert.Null(Assert.Single(session.Snapshot().Roots).Exception);
        gate.SetResult();
        await Assert.ThrowsAsync<ArgumentException>(() => failing);
        var root = Assert.Single(session.Stop().Roots);
        Assert.Equal(("System.ArgumentException", "later"), (root.Exception?.Type, root.Exception?.Message));
    }

    [Fact]
    public async Task A_task_stands_in_for_the_original_with_every_exception_and_its_cancellation()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cancel = new CancellationTokenSource();
        using var session = Trap.Trace(Fixture);
        var both = TracedCalls.BothFailAsync(gate.Task);
        var canceled = TracedCalls.CancelLaterAsync(gate.Task, cancel.Token);
        cancel.Cancel();
        gate.SetResult();
        await Assert.ThrowsAnyAsync<Exception>(() => both);
        Assert.Equal(2, both.Exception!.InnerExceptions.Count);
        var thrown = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => canceled);
        Assert.True(canceled.IsCanceled);
        Assert.Equal(cancel.Token, thrown.CancellationToken);
        var roots = session.Stop().Roots;
        Assert.Equal("System.AggregateException", roots[0].Exception?.Type);
        Assert.Equal("System.OperationCanceledException", roots[1].Exception?.Type);
    }

    [Fact]
    public async Task A_task_not_started_yet_is_handed_back_as_it_is_and_ends_when_it_runs()
    {
        using var session = Trap.Trace(Fixture);
        var cold = TracedCalls.Cold(21);
        Assert.Equal(TaskStatus.Created, cold.Status);
        cold.Start();
        Assert.Equal(42, await cold);
        var root = Assert.Single(session.Stop().Roots);
        Assert.Equal(("Cold", "42"), (Name(root), root.Result));
    }

    [Fact]
    public async Task ValueTasks_are_timed_to_completion_and_still_give_the_caller_their_result()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var session = Trap.Trace(Fixture);
        Assert.Equal(6, await TracedCalls.ValueNow(3));
        var later = TracedCalls.ValueLaterAsync(4, gate.Task);
        Assert.False(later.IsCompleted);
        gate.SetResult();
        Assert.Equal(8, await later);
        var roots = session.Stop().Roots;
        Assert.Equal(new[] { "ValueNow[Double]", "ValueLaterAsync[Double]" }, roots.Select(Shape));
        Assert.Equal(new[] { "6", "8" }, roots.Select(r => r.Result));
        Assert.All(roots, r => Assert.True(r.IsAsync && r.Completed));
    }

    [Fact]
    public async Task Parallel_branches_hang_under_the_call_that_started_them_each_on_a_flow_of_its_own()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var session = Trap.Trace(Fixture);
        var both = TracedCalls.BothAsync(gate.Task);
        // Both branches have started (and wait at the gate) before it opens.
        await WaitFor(() => session.Snapshot().CallCount == 3);
        gate.SetResult();
        Assert.Equal(6, await both);
        var root = Assert.Single(session.Stop().Roots);
        Assert.Equal("BothAsync[FetchAsync[Double],FetchAsync[Double]]", Shape(root));
        Assert.Equal(new[] { "id = 1", "id = 2" }, root.Children.Select(c => c.Arguments[0].ToString()).OrderBy(a => a));
        // Two branches open at once cannot share a track: at least one runs on a flow of its own.
        Assert.NotEqual(root.Children[0].FlowId, root.Children[1].FlowId);
        Assert.All(root.Children, c => Assert.Equal(c.FlowId, c.Children[0].FlowId));
    }

    [Fact]
    public void A_call_on_a_new_thread_hangs_under_the_call_that_started_the_thread()
    {
        using var session = Trap.Trace(Fixture);
        Assert.Equal(8, TracedCalls.OnThread(4));
        var root = Assert.Single(session.Stop().Roots);
        Assert.Equal("OnThread[Double]", Shape(root));
        Assert.NotEqual(root.ThreadId, root.Children[0].ThreadId);
    }

    [Fact]
    public async Task Two_flows_tracing_at_once_each_get_only_their_own_calls()
    {
        using var bothStarted = new Barrier(2);
        async Task<CallTrace> TraceIn(int quantity)
        {
            await Task.Yield();
            using var session = Trap.Trace(Fixture);
            bothStarted.SignalAndWait();
            TracedCalls.Price(quantity, 1m);
            bothStarted.SignalAndWait();
            TracedCalls.Price(quantity, 2m);
            return session.Stop();
        }
        var traces = await Task.WhenAll(Task.Run(() => TraceIn(1)), Task.Run(() => TraceIn(2)));
        Assert.Equal(new[] { "quantity = 1, unitPrice = 1", "quantity = 1, unitPrice = 2" }, traces[0].Roots.Select(Args));
        Assert.Equal(new[] { "quantity = 2, unitPrice = 1", "quantity = 2, unitPrice = 2" }, traces[1].Roots.Select(Args));
    }

    [Fact]
    public async Task A_flow_trace_does_not_see_other_flows_and_a_global_one_sees_them_all()
    {
        using var flow = Trap.Trace(Fixture);
        using var global = Trap.Global.Trace(Fixture);
        TracedCalls.Double(1);
        Task elsewhere;
        using (ExecutionContext.SuppressFlow()) elsewhere = Task.Run(() => TracedCalls.Double(2));
        await elsewhere;
        Assert.Equal(new[] { "x = 1" }, flow.Stop().Roots.Select(Args));
        Assert.Equal(new[] { "x = 1", "x = 2" }, global.Stop().Roots.Select(Args).OrderBy(a => a));
    }

    [Fact]
    public void What_a_traced_method_sets_in_an_AsyncLocal_for_its_caller_still_reaches_it()
    {
        using var session = Trap.Trace(Fixture);
        TracedCalls.SetAmbient("set by the callee");
        Assert.Equal("set by the callee", TracedCalls.Ambient.Value);
        TracedCalls.Double(1);
        // The trace's own current call is the caller's again: the next call is a root, not a child.
        Assert.Equal(new[] { "SetAmbient", "Double" }, session.Stop().Roots.Select(Name));
    }

    [Fact]
    public void Arguments_are_rendered_as_they_were_at_the_call()
    {
        using var session = Trap.Trace(Fixture);
        var items = new List<int> { 1, 2 };
        Assert.Equal(2, TracedCalls.Count(items));
        items.Add(3);
        var call = Assert.Single(session.Stop().Roots);
        Assert.Equal("items = List<int>[2] { 1, 2 }", Args(call));
    }

    [Fact]
    public void Cycles_throwing_ToString_and_secrets_are_rendered_safely()
    {
        var a = new Node("a");
        var b = new Node("b") { Next = a };
        a.Next = b;
        using var session = Trap.Trace(Fixture);
        Assert.Same(a, TracedCalls.Link(a));
        Assert.Equal(nameof(ThrowsOnToString), TracedCalls.Describe(new ThrowsOnToString()));
        Assert.Equal("ann:7", TracedCalls.Login("ann", "hunter2"));
        var roots = session.Stop().Roots;
        var link = roots.Single(r => Name(r) == "Link");
        Assert.Contains("cycle", link.Arguments[0].Value, StringComparison.OrdinalIgnoreCase);
        var describe = roots.Single(r => Name(r) == "Describe");
        Assert.Contains("InvalidOperationException", describe.Arguments[0].Value);
        var login = roots.Single(r => Name(r) == "Login");
        Assert.Equal("user = \"ann\", password = ***", Args(login));
        Assert.DoesNotContain("hunter2", string.Concat(roots.SelectMany(r => r.Arguments).Select(x => x.Value)));
    }

    [Fact]
    public void A_call_an_arrangement_or_a_patch_answered_is_marked_arranged()
    {
        using var session = Trap.Trace(Fixture);
        using (Trap.When(() => TracedCalls.Double(3)).Returns(100))
        {
            Assert.Equal(100, TracedCalls.Double(3));
            Assert.Equal(8, TracedCalls.Double(4));
        }
        using (Trap.Patch<Func<int, int>>(TracedCalls.Double, x => x + 1)) Assert.Equal(6, TracedCalls.Double(5));
        Assert.Equal(10, TracedCalls.Double(5));
        var roots = session.Stop().Roots;
        Assert.Equal(new[] { "100", "8", "6", "10" }, roots.Select(r => r.Result));
        Assert.Equal(new[] { true, false, true, false }, roots.Select(r => r.Arranged));
    }

    [Fact]
    public void A_patch_that_calls_the_original_shows_the_original_call_under_it()
    {
        using var session = Trap.Trace(Fixture);
        using (Trap.Patch<Func<int, int>>(TracedCalls.Double, x => TracedCalls.Double(x) + 1)) Assert.Equal(7, TracedCalls.Double(3));
        var root = Assert.Single(session.Stop().Roots);
        Assert.Equal("Double[Double]", Shape(root));
        Assert.Equal(("7", true), (root.Result, root.Arranged));
        Assert.Equal(("6", false), (root.Children[0].Result, root.Children[0].Arranged));
    }

    [Fact]
    public void Filters_choose_the_methods_and_only_those_are_armed()
    {
        var onlyPrices = new CallTraceOptions { Filter = new TraceCallFilter(include: new[] { "Fixtures.Tracing.TracedCalls" }, exclude: new[] { "*.Round" }) };
        using var session = Trap.Trace(onlyPrices);
        Assert.NotEqual(0, FlagOf(typeof(TracedCalls), nameof(TracedCalls.Price)));
        Assert.Equal(0, FlagOf(typeof(TracedCalls), nameof(TracedCalls.Round)));
        Assert.Equal(0, FlagOf(typeof(Untraced), nameof(Untraced.Helper)));
        TracedCalls.Total(new[] { 1 }, 1m);
        Assert.Equal(5, Untraced.Helper(2));
        var roots = session.Stop().Roots;
        Assert.Equal(new[] { "Total[Price]", "Double" }, roots.Select(Shape));
        Assert.Equal(0, FlagOf(typeof(TracedCalls), nameof(TracedCalls.Price)));
    }

    [Fact]
    public void Asking_for_redirected_calls_is_refused_saying_so()
    {
        var e = Assert.Throws<ArgumentException>(() => Trap.Trace(new CallTraceOptions { Filter = new TraceCallFilter(redirected: true) }));
        Assert.Contains("not supported yet", e.Message);
        Assert.Equal(0, FlagOf(typeof(TracedCalls), nameof(TracedCalls.Price)));
    }

    [Fact]
    public void A_minimum_duration_leaves_out_shorter_calls()
    {
        var slowOnly = new CallTraceOptions { Filter = new TraceCallFilter(include: new[] { "Fixtures.Tracing" }, minDurationNs: 1_000_000_000_000) };
        using var session = Trap.Trace(slowOnly);
        TracedCalls.Total(new[] { 1 }, 1m);
        Assert.Empty(session.Stop().Roots);
    }

    [Fact]
    public void Past_the_call_cap_the_trace_is_marked_truncated()
    {
        var capped = new CallTraceOptions { Filter = Fixture.Filter, Limits = new TraceLimits { MaxCalls = 5 } };
        using var session = Trap.Trace(capped);
        Assert.Equal(5, TracedCalls.Fibonacci(5));
        var trace = session.Stop();
        Assert.Equal(5, trace.CallCount);
        Assert.Equal(10, trace.Truncated?.DroppedCalls);
    }

    [Fact]
    public void Generic_instantiations_and_constructors_are_recorded()
    {
        using var session = Trap.Trace(Fixture);
        Assert.Equal("x", TracedCalls.Identity("x"));
        Assert.Equal(5, TracedCalls.Identity(5));
        var node = new Node("n");
        Assert.Equal(1, node.Depth());
        var roots = session.Stop().Roots;
        Assert.Equal(new[] { "Identity<string>", "Identity<int>", ".ctor", "Depth" }, roots.Select(Name));
        Assert.Equal(new[] { "value = \"x\"", "value = 5", "name = \"n\"" }, roots.Take(3).Select(Args));
        Assert.Equal("Fixtures.Tracing.Node", roots[3].RuntimeType);
    }

    [Fact]
    public void A_trace_started_in_a_scope_ends_with_it()
    {
        TraceSession session;
        using (Trap.Scope())
        {
            session = Trap.Trace(Fixture);
            TracedCalls.Double(1);
        }
        Assert.False(session.IsRecording);
        TracedCalls.Double(2);
        Assert.Equal(new[] { "x = 1" }, session.Stop().Roots.Select(Args));
        Assert.Equal(0, FlagOf(typeof(TracedCalls), nameof(TracedCalls.Double)));
    }

    [Fact]
    public void After_a_trace_stops_traced_calls_allocate_nothing()
    {
        using (var session = Trap.Trace(Fixture)) TracedCalls.Price(1, 1m);
        TracedCalls.Price(1, 1m);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++) TracedCalls.Price(i, 1m);
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    static int FlagOf(Type type, string method)
    {
        Assert.True(Internal.IlScanner.TryFindTrap(type.GetMethod(method)!, out var flag, out _));
        return (int)flag!.GetValue(null)!;
    }

    static async Task WaitFor(Func<bool> condition)
    {
        // Polls a condition another thread makes true (no fixed sleep): yields until it holds.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The condition did not become true within 30 s.");
            await Task.Yield();
        }
    }
}

/// <summary>
/// The classes that trace Fixtures.Tracing: not beside each other, since one's trace arms methods
/// another asserts unarmed (and would record another's calls in a process-wide trace).
/// </summary>
[CollectionDefinition(Name)]
public sealed class TracedFixtures
{
    public const string Name = "Traced fixtures";
}
