using System.Text.Json;
using Trapweave.Tracing;
using static Trapweave.Tests.Tracing.TraceSamples;

namespace Trapweave.Tests.Tracing;

public class ChromeTraceTests
{
    sealed record Event(string Name, string Ph, double Ts, double Dur, int Pid, int Tid, JsonElement Args);

    static (List<Event> Events, JsonElement Root, JsonDocument Document) Parse(string json)
    {
        var document = JsonDocument.Parse(json);
        var events = document.RootElement.GetProperty("traceEvents").EnumerateArray().Select(e => new Event(
            e.GetProperty("name").GetString(), e.GetProperty("ph").GetString(),
            e.TryGetProperty("ts", out var ts) ? ts.GetDouble() : 0, e.TryGetProperty("dur", out var dur) ? dur.GetDouble() : 0,
            e.GetProperty("pid").GetInt32(), e.GetProperty("tid").GetInt32(),
            e.TryGetProperty("args", out var args) ? args : default)).ToList();
        return (events, document.RootElement, document);
    }

    /// <summary>
    /// Complete events on one track must nest strictly, as the viewers read the numbers: chrome://tracing
    /// adds ts + dur as doubles, Perfetto turns ts and dur into integer nanoseconds (truncating or rounding).
    /// </summary>
    static void AssertNestStrictlyPerTrack(IEnumerable<Event> events)
    {
        foreach (var track in events.Where(e => e.Ph == "X").GroupBy(e => (e.Pid, e.Tid)))
        {
            var open = new Stack<Event>();
            // As the viewers sort: by start, the longer first.
            foreach (var e in track.OrderBy(e => e.Ts).ThenByDescending(e => e.Dur))
            {
                while (open.Count > 0 && open.Peek().Ts + open.Peek().Dur <= e.Ts)
                {
                    // Ended before e starts as chrome://tracing reads it: so must it as Perfetto reads it.
                    var done = open.Pop();
                    Assert.True((long)(done.Ts * 1000) + (long)(done.Dur * 1000) <= (long)(e.Ts * 1000), $"track {track.Key.Tid}: {done.Name} ends after {e.Name} starts in truncated ns");
                    Assert.True(Math.Round(done.Ts * 1000) + Math.Round(done.Dur * 1000) <= Math.Round(e.Ts * 1000), $"track {track.Key.Tid}: {done.Name} ends after {e.Name} starts in rounded ns");
                }
                if (open.Count == 0) { open.Push(e); continue; }
                var outer = open.Peek();
                Assert.True(e.Ts + e.Dur <= outer.Ts + outer.Dur, $"track {track.Key.Tid}: {e.Name} [{e.Ts}, +{e.Dur}] overlaps {outer.Name} [{outer.Ts}, +{outer.Dur}]");
                Assert.True((long)(e.Ts * 1000) + (long)(e.Dur * 1000) <= (long)(outer.Ts * 1000) + (long)(outer.Dur * 1000), $"track {track.Key.Tid}: {e.Name} ends after {outer.Name} in truncated ns");
                Assert.True(Math.Round(e.Ts * 1000) + Math.Round(e.Dur * 1000) <= Math.Round(outer.Ts * 1000) + Math.Round(outer.Dur * 1000), $"track {track.Key.Tid}: {e.Name} ends after {outer.Name} in rounded ns");
                open.Push(e);
            }
        }
    }

    static Dictionary<int, string> TrackNames(List<Event> events) =>
        events.Where(e => e.Ph == "M" && e.Name == "thread_name").ToDictionary(e => e.Tid, e => e.Args.GetProperty("name").GetString());

    static Event Single(List<Event> events, Func<Event, bool> which) => Assert.Single(events, e => e.Ph == "X" && which(e));

    [Fact]
    public void Each_flow_has_its_own_named_track_and_calls_carry_their_values()
    {
        var (events, root, document) = Parse(ChromeTrace.Serialize(TraceJsonTests.Sample()));
        using var _ = document;
        AssertNestStrictlyPerTrack(events);

        var process = Assert.Single(events, e => e.Ph == "M" && e.Name == "process_name");
        Assert.Equal(4242, process.Pid);
        Assert.Equal("testhost (4242) sample", process.Args.GetProperty("name").GetString());

        var names = TrackNames(events);
        var outer = Single(events, e => e.Name == "TraceSamples.Outer" && e.Ts == 1.0);
        var add = Single(events, e => e.Name == "TraceSamples.Add");
        var login = Single(events, e => e.Name == "TraceSamples.Login");
        var save = Single(events, e => e.Name == "TraceSamples.Save");
        Assert.Equal("flow 1", names[outer.Tid]);
        Assert.Equal("flow 2", names[save.Tid]);
        Assert.Equal((outer.Tid, outer.Tid), (add.Tid, login.Tid));
        Assert.Equal((1.0, 6.0), (outer.Ts, outer.Dur));
        Assert.Equal((2.0, 1.0), (add.Ts, add.Dur));

        Assert.Equal("Trapweave.Tests.Tracing.TraceSamples.Add(int, int)", add.Args.GetProperty("method").GetString());
        Assert.Equal("1", add.Args.GetProperty("arguments").GetProperty("a").GetString());
        Assert.Equal("3", add.Args.GetProperty("result").GetString());
        Assert.True(add.Args.GetProperty("arranged").GetBoolean());
        Assert.Equal(outer.Args.GetProperty("id").GetInt64(), add.Args.GetProperty("parent").GetInt64());
        Assert.Equal("System.InvalidOperationException: locked ✗", login.Args.GetProperty("exception").GetString());
        Assert.Equal("***", login.Args.GetProperty("arguments").GetProperty("password").GetString());
        Assert.True(save.Args.GetProperty("incomplete").GetBoolean());
        // Still running when the trace was taken at 30 µs: drawn up to the trace's end.
        Assert.Equal((21.0, 9.0), (save.Ts, save.Dur));

        Assert.Equal(1, root.GetProperty("otherData").GetProperty("droppedCalls").GetInt64());
        Assert.Equal(0, root.GetProperty("otherData").GetProperty("droppedEvents").GetInt64());
    }

    [Fact]
    public void An_async_call_that_outlives_its_caller_goes_to_another_track_of_its_flow_unclipped()
    {
        var (events, _, document) = Parse(ChromeTrace.Serialize(TraceJsonTests.Sample()));
        using var _d = document;
        var outer = Single(events, e => e.Name == "TraceSamples.Outer" && e.Ts == 1.0);
        var fetch = Single(events, e => e.Name == "TraceSamples.FetchAsync");
        Assert.NotEqual(outer.Tid, fetch.Tid);
        Assert.Equal("flow 1 · 2", TrackNames(events)[fetch.Tid]);
        Assert.Equal((6.0, 14.0), (fetch.Ts, fetch.Dur));
        Assert.Equal(outer.Args.GetProperty("id").GetInt64(), fetch.Args.GetProperty("parent").GetInt64());
        Assert.Equal(4, fetch.Args.GetProperty("endThread").GetInt32());
        Assert.True(fetch.Args.GetProperty("async").GetBoolean());
        // The later root call of flow 1 starts after the parent ended: back on the flow's first track.
        var later = Single(events, e => e.Name == "TraceSamples.Outer" && e.Ts == 22.0);
        Assert.Equal(outer.Tid, later.Tid);
    }

    [Fact]
    public void Parallel_children_of_one_call_overlap_so_all_but_one_move_to_extra_tracks_and_their_callees_follow()
    {
        var builder = NewBuilder();
        var parent = builder.BeginCall(0, Method("Outer"), null, null, 1, false, Ticks(0), 1);
        var a = builder.BeginCall(parent, Method("Inner"), null, new object[] { 1 }, 1, true, Ticks(1_000), 1);
        var b = builder.BeginCall(parent, Method("Inner"), null, new object[] { 2 }, 1, true, Ticks(2_000), 2);
        var c = builder.BeginCall(parent, Method("Inner"), null, new object[] { 3 }, 1, true, Ticks(3_000), 3);
        var bChild = builder.BeginCall(b, Method("Add"), null, new object[] { 5, 5 }, 1, false, Ticks(4_000), 2);
        builder.EndCall(bChild, Ticks(5_000), 2, 10, true, null, false);
        foreach (var id in new[] { a, b, c }) builder.EndCall(id, Ticks(8_000), 1, null, false, null, false);
        // After all three ended, the next child fits its parent's track again.
        var d = builder.BeginCall(parent, Method("Inner"), null, new object[] { 4 }, 1, false, Ticks(8_000), 1);
        builder.EndCall(d, Ticks(9_000), 1, null, false, null, false);
        builder.EndCall(parent, Ticks(10_000), 1, null, false, null, false);

        var (events, _, document) = Parse(ChromeTrace.Serialize(builder.Build(Ticks(10_000))));
        using var _d = document;
        AssertNestStrictlyPerTrack(events);
        Event Inner(int n) => Single(events, e => e.Name == "TraceSamples.Inner" && e.Args.GetProperty("arguments").GetProperty("depth").GetString() == n.ToString());
        var p = Single(events, e => e.Name == "TraceSamples.Outer");
        Assert.Equal(p.Tid, Inner(1).Tid);
        Assert.Equal(3, new[] { Inner(1).Tid, Inner(2).Tid, Inner(3).Tid }.Distinct().Count());
        Assert.Equal(Inner(2).Tid, Single(events, e => e.Name == "TraceSamples.Add").Tid);
        Assert.Equal(p.Tid, Inner(4).Tid);
        Assert.Equal(new[] { "flow 1", "flow 1 · 2", "flow 1 · 3" }, TrackNames(events).OrderBy(k => k.Key).Select(k => k.Value));
    }

    [Fact]
    public void Random_deep_trees_with_shared_end_times_far_from_zero_nest_as_the_viewers_read_them()
    {
        // An hour into the trace µs doubles lose the last ns bits: ends that coincide in ns must still nest after rounding.
        const long offset = 3_600_000_000_123;
        var random = new Random(11);
        var builder = NewBuilder(new TraceLimits { MaxCalls = 100_000 });
        int made = 0;
        void Grow(long parentId, long start, long end, int depth, long flow)
        {
            long at = start;
            while (at < end && made < 5_000)
            {
                long childEnd = random.Next(4) == 0 ? end : Math.Min(end, at + 1 + random.Next(1_000_000));
                // Now and then a child that overlaps its sibling (parallel) or outlives its parent (fire and forget).
                if (random.Next(10) == 0) childEnd = end + 1 + random.Next(500);
                var id = builder.BeginCall(parentId, Method("Inner"), null, new object[] { depth }, flow, false, Ticks(offset + at), 1);
                made++;
                if (depth < 6) Grow(id, at, Math.Min(childEnd, end), depth + 1, flow);
                builder.EndCall(id, Ticks(offset + childEnd), 1, null, false, null, false);
                at = random.Next(5) == 0 ? at + 1 : Math.Min(childEnd, end) + random.Next(3);
            }
        }
        for (int flow = 1; flow <= 3; flow++)
        {
            var root = builder.BeginCall(0, Method("Outer"), null, null, flow, false, Ticks(offset + flow * 7), 1);
            made++;
            Grow(root, flow * 7, 50_000_000 + flow, 1, flow);
            builder.EndCall(root, Ticks(offset + 50_000_000 + flow), 1, null, false, null, false);
        }
        var trace = builder.Build(Ticks(offset + 60_000_000));

        var (events, _, document) = Parse(ChromeTrace.Serialize(trace));
        using var _d = document;
        Assert.Equal(trace.CallCount, events.Count(e => e.Ph == "X"));
        Assert.Equal(trace.AllCalls().Select(c => c.Id).Order(), events.Where(e => e.Ph == "X").Select(e => e.Args.GetProperty("id").GetInt64()).Order());
        AssertNestStrictlyPerTrack(events);
        // Tracks never mix flows.
        var names = TrackNames(events);
        foreach (var e in events.Where(e => e.Ph == "X"))
            Assert.StartsWith($"flow {e.Args.GetProperty("flow").GetInt64()}", names[e.Tid]);
    }

    [Fact]
    public void Past_the_byte_limit_the_latest_calls_are_left_out_and_counted()
    {
        var builder = NewBuilder();
        for (int i = 0; i < 2_000; i++) Call(builder, 0, "Add", new object[] { i, i }, i * 1_000, i * 1_000 + 500, i * 2, true);
        var trace = builder.Build(Ticks(3_000_000));
        var json = ChromeTrace.Serialize(trace, new ChromeTraceOptions { MaxBytes = 50_000 });

        Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(json), 40_000, 50_000);
        var (events, root, document) = Parse(json);
        using var _d = document;
        var written = events.Where(e => e.Ph == "X").ToList();
        long dropped = root.GetProperty("otherData").GetProperty("droppedEvents").GetInt64();
        Assert.Equal(2_000, written.Count + dropped);
        Assert.InRange(dropped, 1, 1_999);
        // The earliest calls are kept, in order; the marker says how many are missing.
        Assert.Equal(Enumerable.Range(0, written.Count).Select(i => i.ToString()), written.Select(e => e.Args.GetProperty("arguments").GetProperty("a").GetString()));
        var marker = Assert.Single(events, e => e.Ph == "i" && e.Name == "trapweave: truncated");
        Assert.Equal(dropped, marker.Args.GetProperty("droppedEvents").GetInt64());
    }

    [Fact]
    public void Long_values_are_cut_in_event_args()
    {
        var builder = NewBuilder(render: new TraceRenderOptions { MaxStringLength = 5_000, MaxRenderedLength = 10_000 });
        Call(builder, 0, "Echo", new object[] { new string('y', 3_000) }, 0, 1_000);
        var (events, _, document) = Parse(ChromeTrace.Serialize(builder.Build(Ticks(2_000)), new ChromeTraceOptions { MaxValueLength = 100 }));
        using var _d = document;
        var text = Single(events, e => e.Name == "TraceSamples.Echo").Args.GetProperty("arguments").GetProperty("text").GetString();
        Assert.Equal("\"" + new string('y', 99) + "…", text);
    }
}
