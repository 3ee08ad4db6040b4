using Trapweave.Tracing;
using static Trapweave.Tests.Tracing.TraceSamples;

namespace Trapweave.Tests.Tracing;

/// <summary>Traces for the HTML viewer's tests: a small one with every kind of call, and a big one.</summary>
internal static class TraceViewerSamples
{
    public const string ImgInjection = "<img src=x onerror=\"window.__pwned=1\">";
    public const string ScriptBreakout = "</script><script>window.__pwned2=1</script><!--<script>";

    /// <summary>Ids: 1 Outer, 2 Add (arranged), 3 Login (threw), 4 Echo, 5 Inner, 6 Inner, 7 FetchAsync (async, ends on thread 4), 8 Save (flow 2), 9 Count; a 10th call over the cap.</summary>
    public static CallTrace Small()
    {
        var builder = NewBuilder(new TraceLimits { MaxCalls = 9 }, new TraceCallFilter(new[] { "Trapweave.Tests.*" }, new[] { "*.Internal.*" }, 0, false), name: "Checkout places an order");
        var outer = builder.BeginCall(0, Method("Outer"), null, null, 1, false, Ticks(1_000), 1);
        Call(builder, outer, "Add", new object[] { 1, 2 }, 2_000, 3_000, 3, true, arranged: true);
        Call(builder, outer, "Login", new object[] { ImgInjection, "hunter2" }, 4_000, 5_000, exception: new InvalidOperationException("account locked"));
        var echo = builder.BeginCall(outer, Method("Echo"), null, new object[] { ScriptBreakout }, 1, false, Ticks(6_000), 1);
        var inner = builder.BeginCall(echo, Method("Inner"), null, new object[] { 1 }, 1, false, Ticks(6_500), 1);
        Call(builder, inner, "Inner", new object[] { 2 }, 6_600, 6_900);
        builder.EndCall(inner, Ticks(7_000), 1, null, false, null, false);
        builder.EndCall(echo, Ticks(8_000), 1, ScriptBreakout, true, null, false);
        var fetch = builder.BeginCall(outer, Method("FetchAsync"), null, new object[] { 9 }, 1, true, Ticks(9_000), 1);
        builder.EndCall(outer, Ticks(12_000), 1, null, false, null, false);
        builder.EndCall(fetch, Ticks(40_000), 4, 9, true, null, false);

        var save = builder.BeginCall(0, Method("Save"), null, new object[] { new Order { Id = 3, Lines = { "tea" } } }, 2, false, Ticks(10_000), 2);
        var count = builder.BeginCall(save, typeof(Repository).GetMethod(nameof(Repository.Count)), new SqlRepository(), null, 2, false, Ticks(11_000), 2);
        builder.EndCall(count, Ticks(20_000), 2, 1, true, null, false);
        builder.EndCall(save, Ticks(30_000), 2, null, false, null, false);
        builder.BeginCall(0, Method("Outer"), null, null, 1, false, Ticks(41_000), 1); // over the cap: dropped
        return builder.Build(Ticks(45_000));
    }

    /// <summary>Recursion <paramref name="depth"/> calls deep: Inner(1) calls Inner(2) … each 10 ns inside its caller.</summary>
    public static CallTrace Deep(int depth)
    {
        var builder = NewBuilder(new TraceLimits { MaxCalls = depth + 1 }, name: "deep");
        var ids = new long[depth];
        long parent = 0;
        for (int d = 0; d < depth; d++) parent = ids[d] = builder.BeginCall(parent, Method("Inner"), null, new object[] { d + 1 }, 1, false, Ticks(d * 10L), 1);
        for (int d = depth - 1; d >= 0; d--) builder.EndCall(ids[d], Ticks(depth * 20L - d * 10L), 1, null, false, null, false);
        return builder.Build(Ticks(depth * 20L + 10));
    }

    /// <summary><paramref name="roots"/> root calls of <paramref name="children"/> callees each, one of them (the first) with <paramref name="wide"/> more.</summary>
    public static CallTrace Big(int roots, int children, int wide)
    {
        var builder = NewBuilder(new TraceLimits { MaxCalls = roots * (children + 1) + wide + 10 }, name: "big");
        long t = 0;
        for (int r = 0; r < roots; r++)
        {
            var root = builder.BeginCall(0, Method("Outer"), null, null, 1 + r % 4, false, Ticks(t), 1);
            int count = children + (r == 0 ? wide : 0);
            for (int c = 0; c < count; c++)
            {
                t += 10;
                Call(builder, root, c % 2 == 0 ? "Add" : "Echo", c % 2 == 0 ? new object[] { c, r } : new object[] { "item " + c }, t, t + 5,
                     c % 2 == 0 ? c + r : "item " + c, hasResult: true, flow: 1 + r % 4, exception: c % 97 == 0 ? new TimeoutException("slow " + c) : null);
            }
            t += 10;
            builder.EndCall(root, Ticks(t), 1, null, false, null, false);
        }
        return builder.Build(Ticks(t + 10));
    }
}
