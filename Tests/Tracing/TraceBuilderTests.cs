using System.Threading;
using Trapweave.Tracing;
using static Trapweave.Tests.Tracing.TraceSamples;

namespace Trapweave.Tests.Tracing;

public class TraceBuilderTests
{
    [Fact]
    public void A_call_tree_keeps_methods_arguments_results_times_and_order()
    {
        var builder = NewBuilder();
        var outer = builder.BeginCall(TraceBuilder.NoParent, Method("Outer"), null, Array.Empty<object>(), 7, false, Ticks(1_000), 3);
        // Children are stored as they begin; the tree orders them by start, whatever order they ended in.
        var second = builder.BeginCall(outer, Method("Add"), null, new object[] { 3, 4 }, 7, false, Ticks(5_000), 3);
        builder.EndCall(second, Ticks(6_000), 3, 7, true, null, arranged: true);
        var first = builder.BeginCall(outer, Method("Add"), null, new object[] { 1, 2 }, 7, false, Ticks(2_000), 3);
        builder.EndCall(first, Ticks(4_000), 3, 3, true, null, false);
        builder.EndCall(outer, Ticks(9_000), 3, null, false, null, false);

        var trace = builder.Build(Ticks(10_000));

        Assert.Equal("sample", trace.Name);
        Assert.Equal(10_000, trace.DurationNs);
        Assert.Equal(3, trace.CallCount);
        Assert.Null(trace.Truncated);
        var root = Assert.Single(trace.Roots);
        Assert.Equal("Trapweave.Tests.Tracing.TraceSamples.Outer()", root.Method);
        Assert.Equal("Trapweave.Tests.Tracing.TraceSamples", root.DeclaringType);
        Assert.Equal((1_000, 8_000), (root.StartNs, root.DurationNs));
        Assert.Equal((3, 7L), (root.ThreadId, root.FlowId));
        Assert.Null(root.Result);
        Assert.Equal(new[] { "3", "7" }, root.Children.Select(c => c.Result));
        Assert.Equal(new[] { 2_000L, 5_000L }, root.Children.Select(c => c.StartNs));
        Assert.Equal(new[] { 2_000L, 1_000L }, root.Children.Select(c => c.DurationNs));
        Assert.Equal(new[] { false, true }, root.Children.Select(c => c.Arranged));
        Assert.Equal("Trapweave.Tests.Tracing.TraceSamples.Add(int, int)", root.Children[0].Method);
        Assert.Equal(new[] { "a = 1", "b = 2" }, root.Children[0].Arguments.Select(a => a.ToString()));
    }

    [Fact]
    public void Arguments_are_rendered_at_the_call_so_later_mutation_does_not_reach_the_trace()
    {
        // xgo#83: arguments mutated after the call were recorded with their new values.
        var builder = NewBuilder();
        var order = new Order { Id = 1 };
        order.Lines.Add("apple");
        var id = builder.BeginCall(TraceBuilder.NoParent, Method("Save"), null, new object[] { order }, 1, false, Ticks(0), 1);
        order.Id = 2;
        order.Lines.Add("pear");
        builder.EndCall(id, Ticks(1_000), 1, null, false, null, false);

        var saved = Assert.Single(builder.Build(Ticks(2_000)).Roots).Arguments[0];
        Assert.Equal("order", saved.Name);
        Assert.Equal("TraceSamples.Order { Id = 1, Lines = List<string>[1] { \"apple\" }, ApiKey = *** }", saved.Value);
    }

    [Fact]
    public void Secrets_are_masked_by_attribute_by_name_pattern_and_on_results()
    {
        var builder = NewBuilder();
        Call(builder, 0, "Login", new object[] { "ann", "hunter2" }, 0, 1_000);
        Call(builder, 0, "Store", new object[] { "private-key", "visible" }, 2_000, 3_000);
        Call(builder, 0, "IssueKey", new object[] { "ann" }, 4_000, 5_000, result: "k-ann", hasResult: true);
        var roots = builder.Build(Ticks(6_000)).Roots;

        Assert.Equal(new[] { "user = \"ann\"", "password = ***" }, roots[0].Arguments.Select(a => a.ToString()));
        Assert.Equal(new[] { "key = ***", "value = \"visible\"" }, roots[1].Arguments.Select(a => a.ToString()));
        Assert.Equal("***", roots[2].Result);
        Assert.DoesNotContain(roots.SelectMany(r => r.Arguments), a => a.Value.Contains("hunter2") || a.Value.Contains("private-key"));
    }

    [Fact]
    public void Configured_patterns_replace_the_default_ones()
    {
        var builder = NewBuilder(render: new TraceRenderOptions { SecretNamePatterns = new[] { "us*r" } });
        Call(builder, 0, "Login", new object[] { "ann", "hunter2" }, 0, 1_000);
        var call = Assert.Single(builder.Build(Ticks(2_000)).Roots);
        Assert.Equal(new[] { "user = ***", "password = \"hunter2\"" }, call.Arguments.Select(a => a.ToString()));
    }

    [Fact]
    public void Out_parameters_the_receiver_type_and_exceptions_are_recorded()
    {
        var builder = NewBuilder();
        var tryGet = builder.BeginCall(0, Method("TryGet"), null, new object[] { "k", 0 }, 1, false, Ticks(0), 1);
        builder.EndCall(tryGet, Ticks(1_000), 1, null, false, new KeyNotFoundException("no k"), false);
        var count = builder.BeginCall(0, typeof(Repository).GetMethod("Count")!, new SqlRepository(), Array.Empty<object>(), 1, false, Ticks(2_000), 1);
        builder.EndCall(count, Ticks(3_000), 1, 1, true, null, false);

        var roots = builder.Build(Ticks(4_000)).Roots;
        Assert.Equal("Trapweave.Tests.Tracing.TraceSamples.TryGet(string, out int)", roots[0].Method);
        Assert.Equal(new[] { "key = \"k\"", "value = <out>" }, roots[0].Arguments.Select(a => a.ToString()));
        Assert.Equal("System.Collections.Generic.KeyNotFoundException", roots[0].Exception!.Type);
        Assert.Equal("no k", roots[0].Exception.Message);
        Assert.Equal("KeyNotFoundException: no k", roots[0].Exception.Rendered);
        Assert.Null(roots[0].Result);
        Assert.Equal("Trapweave.Tests.Tracing.TraceSamples.Repository", roots[1].DeclaringType);
        Assert.Equal("Trapweave.Tests.Tracing.TraceSamples.SqlRepository", roots[1].RuntimeType);
        Assert.Null(roots[0].RuntimeType);

        // Pointers arrive as IntPtr: named by the parameter's type. The secret attribute is read once per method, and holds on every call.
        Call(builder, 0, "Poke", new object[] { (IntPtr)0x10, 1234 }, 5_000, 6_000);
        Call(builder, 0, "Poke", new object[] { (IntPtr)0x20, 5678 }, 7_000, 8_000);
        var pokes = builder.Build(Ticks(9_000)).Roots.Skip(2).ToList();
        Assert.Equal(new[] { "address = <pointer int* 0x10>", "pin = ***" }, pokes[0].Arguments.Select(a => a.ToString()));
        Assert.Equal(new[] { "address = <pointer int* 0x20>", "pin = ***" }, pokes[1].Arguments.Select(a => a.ToString()));
    }

    [Fact]
    public void An_async_call_ends_when_its_task_completes_on_another_thread_with_the_tasks_result()
    {
        var builder = NewBuilder();
        var id = builder.BeginCall(0, Method("FetchAsync"), null, new object[] { 5 }, 1, isAsync: true, Ticks(0), threadId: 1);
        // The synchronous return of the Task is not the end; the continuation reports it later, elsewhere.
        var open = Assert.Single(builder.Build(Ticks(2_000)).Roots);
        Assert.False(open.Completed);
        Assert.Equal(2_000, open.DurationNs);
        builder.EndCall(id, Ticks(50_000), threadId: 9, 5, true, null, false);

        var call = Assert.Single(builder.Build(Ticks(60_000)).Roots);
        Assert.True(call.Completed);
        Assert.True(call.IsAsync);
        Assert.Equal(50_000, call.DurationNs);
        Assert.Equal((1, 9), (call.ThreadId, call.EndThreadId));
        Assert.Equal("5", call.Result);
    }

    [Fact]
    public void The_call_cap_drops_further_calls_with_their_callees_and_counts_them()
    {
        var builder = NewBuilder(new TraceLimits { MaxCalls = 3 });
        var kept = new List<long>();
        for (int i = 0; i < 3; i++) kept.Add(Call(builder, 0, "Add", new object[] { i, i }, i * 1_000, i * 1_000 + 500, i + i, true));
        var dropped = builder.BeginCall(0, Method("Outer"), null, null, 1, false, Ticks(10_000), 1);
        Assert.Equal(TraceBuilder.Dropped, dropped);
        var droppedChild = builder.BeginCall(dropped, Method("Add"), null, new object[] { 1, 1 }, 1, false, Ticks(10_100), 1);
        Assert.Equal(TraceBuilder.Dropped, droppedChild);
        // Ending a dropped call is harmless.
        builder.EndCall(dropped, Ticks(10_500), 1, null, false, null, false);

        var trace = builder.Build(Ticks(11_000));
        Assert.Equal(3, trace.CallCount);
        Assert.Equal(new[] { "0", "2", "4" }, trace.Roots.Select(r => r.Result));
        Assert.NotNull(trace.Truncated);
        Assert.Equal(2, trace.Truncated!.DroppedCalls);
        Assert.Equal("calls", trace.Truncated.Limit);
        Assert.Equal(3, trace.Truncated.MaxCalls);
    }

    [Fact]
    public void The_byte_cap_drops_calls_whose_rendered_arguments_do_not_fit_and_results_that_do_not()
    {
        // One call's arguments: user = "xxx…" (1000 chars) is 276 chars, password = *** 11: 574 bytes. Two fit in 1 200.
        var builder = NewBuilder(new TraceLimits { MaxRenderedBytes = 1_200 });
        var big = new string('x', 1_000);
        Call(builder, 0, "Login", new object[] { big, "p" }, 0, 1_000);
        Call(builder, 0, "Login", new object[] { big, "p" }, 2_000, 3_000);
        Call(builder, 0, "Login", new object[] { big, "p" }, 4_000, 5_000);
        var trace = builder.Build(Ticks(6_000));

        Assert.Equal(2, trace.CallCount);
        Assert.Equal((1L, 0L), (trace.Truncated!.DroppedCalls, trace.Truncated.DroppedValues));
        Assert.Equal("bytes", trace.Truncated.Limit);
        Assert.All(trace.Roots, r => Assert.Equal("\"" + new string('x', 256) + "…\" (1000 chars)", r.Arguments[0].Value));

        // A result too big for what is left: the call stays, its result is dropped and counted.
        var small = NewBuilder(new TraceLimits { MaxRenderedBytes = 300 });
        Call(small, 0, "Echo", new object[] { "hi" }, 0, 1_000, result: big, hasResult: true);
        var echo = small.Build(Ticks(2_000));
        var call = Assert.Single(echo.Roots);
        Assert.Equal("text = \"hi\"", call.Arguments[0].ToString());
        Assert.Null(call.Result);
        Assert.True(call.Completed);
        Assert.Equal((0L, 1L), (echo.Truncated!.DroppedCalls, echo.Truncated.DroppedValues));
    }

    [Fact]
    public void Concurrent_appends_from_many_threads_of_one_flow_all_land_under_their_parent()
    {
        const int threads = 8, perThread = 2_000;
        var builder = NewBuilder(new TraceLimits { MaxCalls = 1 + threads * perThread * 2 });
        var parent = builder.BeginCall(0, Method("Outer"), null, null, 1, false, Ticks(0), 1);
        using var start = new Barrier(threads);
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            for (int i = 0; i < perThread; i++)
            {
                var child = builder.BeginCall(parent, Method("Add"), null, new object[] { t, i }, 1, false, Ticks(1_000 + i), 10 + t);
                var grandChild = builder.BeginCall(child, Method("Inner"), null, new object[] { i }, 1, false, Ticks(1_000 + i), 10 + t);
                builder.EndCall(grandChild, Ticks(1_000 + i), 10 + t, null, false, null, false);
                builder.EndCall(child, Ticks(1_000 + i + 1), 10 + t, t + i, true, null, false);
            }
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());
        builder.EndCall(parent, Ticks(1_000_000), 1, null, false, null, false);

        var trace = builder.Build(Ticks(2_000_000));
        Assert.Null(trace.Truncated);
        Assert.Equal(1 + threads * perThread * 2, trace.CallCount);
        var root = Assert.Single(trace.Roots);
        Assert.Equal(threads * perThread, root.Children.Count);
        foreach (var child in root.Children)
        {
            var grandChild = Assert.Single(child.Children);
            var t = int.Parse(child.Arguments[0].Value);
            var i = int.Parse(child.Arguments[1].Value);
            // Each child kept its own arguments, thread, result and grandchild: nothing crossed over.
            Assert.Equal(10 + t, child.ThreadId);
            Assert.Equal((t + i).ToString(), child.Result);
            Assert.Equal(i.ToString(), grandChild.Arguments[0].Value);
            Assert.Equal(child.ThreadId, grandChild.ThreadId);
        }
        Assert.Equal(threads * perThread, root.Children.Select(c => (c.Arguments[0].Value, c.Arguments[1].Value)).Distinct().Count());
        // Children are in start order.
        Assert.True(root.Children.Zip(root.Children.Skip(1)).All(p => p.First.StartNs <= p.Second.StartNs));
    }

    [Fact]
    public void The_cap_under_concurrent_appends_keeps_exactly_the_cap_and_counts_the_rest()
    {
        const int threads = 8, perThread = 1_000, cap = 1_500;
        var builder = NewBuilder(new TraceLimits { MaxCalls = cap });
        using var start = new Barrier(threads);
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            for (int i = 0; i < perThread; i++)
                Call(builder, 0, "Add", new object[] { t, i }, i, i + 1);
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());

        var trace = builder.Build(Ticks(10_000));
        Assert.Equal(cap, trace.CallCount);
        Assert.Equal(threads * perThread - cap, trace.Truncated!.DroppedCalls);
    }

    [Fact]
    public void Minimum_duration_leaves_out_short_completed_calls_with_their_subtrees_but_keeps_running_ones()
    {
        var builder = NewBuilder(filter: new TraceCallFilter(minDurationNs: 10_000));
        var slow = builder.BeginCall(0, Method("Outer"), null, null, 1, false, Ticks(0), 1);
        var fast = builder.BeginCall(slow, Method("Inner"), null, new object[] { 1 }, 1, false, Ticks(1_000), 1);
        var fastChild = builder.BeginCall(fast, Method("Inner"), null, new object[] { 2 }, 1, false, Ticks(1_500), 1);
        builder.EndCall(fastChild, Ticks(1_800), 1, null, false, null, false);
        builder.EndCall(fast, Ticks(2_000), 1, null, false, null, false);
        builder.BeginCall(slow, Method("Inner"), null, new object[] { 3 }, 1, false, Ticks(3_000), 1); // still running
        builder.EndCall(slow, Ticks(20_000), 1, null, false, null, false);

        var trace = builder.Build(Ticks(5_000 + 20_000));
        var root = Assert.Single(trace.Roots);
        var running = Assert.Single(root.Children);
        Assert.Equal("3", running.Arguments[0].Value);
        Assert.False(running.Completed);
        Assert.Equal(2, trace.CallCount);
        Assert.Equal(10_000, trace.Filter.MinDurationNs);
    }

    [Fact]
    public void A_very_deep_call_chain_builds_without_recursion()
    {
        const int depth = 50_000;
        var builder = NewBuilder();
        var ids = new long[depth];
        long parent = 0;
        for (int i = 0; i < depth; i++) parent = ids[i] = builder.BeginCall(parent, Method("Inner"), null, new object[] { i }, 1, false, Ticks(i), 1);
        for (int i = depth - 1; i >= 0; i--) builder.EndCall(ids[i], Ticks(2 * depth - i), 1, null, false, null, false);

        var trace = builder.Build(Ticks(3 * depth));
        Assert.Equal(depth, trace.CallCount);
        var call = Assert.Single(trace.Roots);
        int levels = 1;
        while (call.Children.Count == 1) { call = call.Children[0]; levels++; }
        Assert.Equal(depth, levels);
        Assert.Equal((depth - 1).ToString(), call.Arguments[0].Value);
    }

    [Fact]
    public void A_throwing_renderer_input_never_reaches_the_caller()
    {
        var builder = NewBuilder();
        // A MethodBase whose parameters cannot be read (a dynamic method's are fine; this one throws on purpose).
        var id = builder.BeginCall(0, new ThrowingMethod(), null, new object[] { 1 }, 1, false, Ticks(0), 1);
        Assert.Equal(TraceBuilder.Dropped, id);
        builder.EndCall(id, Ticks(1), 1, null, false, null, false);
        var trace = builder.Build(Ticks(2));
        Assert.Equal(0, trace.CallCount);
        Assert.Equal(1, trace.Truncated!.DroppedCalls);
    }

    sealed class ThrowingMethod : System.Reflection.MethodInfo
    {
        public override System.Reflection.ParameterInfo[] GetParameters() => throw new InvalidOperationException("broken metadata");
        public override string Name => "Broken";
        public override Type DeclaringType => typeof(TraceSamples);
        public override Type ReflectedType => typeof(TraceSamples);
        public override System.Reflection.MethodAttributes Attributes => System.Reflection.MethodAttributes.Static;
        public override RuntimeMethodHandle MethodHandle => throw new NotSupportedException();
        public override System.Reflection.ICustomAttributeProvider ReturnTypeCustomAttributes => throw new NotSupportedException();
        public override System.Reflection.MethodInfo GetBaseDefinition() => this;
        public override object[] GetCustomAttributes(bool inherit) => Array.Empty<object>();
        public override object[] GetCustomAttributes(Type attributeType, bool inherit) => Array.Empty<object>();
        public override System.Reflection.MethodImplAttributes GetMethodImplementationFlags() => default;
        public override object Invoke(object obj, System.Reflection.BindingFlags invokeAttr, System.Reflection.Binder binder, object[] parameters, System.Globalization.CultureInfo culture) => null;
        public override bool IsDefined(Type attributeType, bool inherit) => false;
    }
}
