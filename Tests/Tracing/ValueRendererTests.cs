using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Threading;
using Trapweave.Tracing;

namespace Trapweave.Tests.Tracing;

public class ValueRendererTests
{
    static readonly ValueRenderer Renderer = new();

    public class Node
    {
        public string Name { get; set; }
        public Node Next { get; set; }
    }

    public class Holder
    {
        public List<object> Items { get; } = new();
    }

    public class Broken
    {
        public int Good => 1;
        public int Bad => throw new InvalidOperationException("getter broke");
    }

    public class BadToString
    {
        public override string ToString() => throw new FormatException("no text");
    }

    public class Money
    {
        public decimal Amount;
        public string Currency;
        public override string ToString() => Amount.ToString(CultureInfo.InvariantCulture) + " " + Currency;
    }

    public record Person(string Name, int Age);

    public record Loop
    {
        public string Tag { get; init; }
        public Loop Self { get; set; }
    }

    public enum Color { Red, Green }

    [Flags]
    public enum Access { None = 0, Read = 1, Write = 2 }

    public struct Point
    {
        public int X;
        public int Y;
    }

    public class Deep
    {
        public Deep Inner { get; set; }
        public int Level { get; set; }
    }

    public class Wide
    {
        public int A0 { get; set; } public int A1 { get; set; } public int A2 { get; set; } public int A3 { get; set; }
        public int A4 { get; set; } public int A5 { get; set; }
    }

    public class WithSpanMember
    {
        public int Length => 3;
        public ReadOnlySpan<byte> Bytes => new byte[] { 1, 2, 3 };
    }

    static int Square(int x) => x * x;

    [Fact]
    public void Primitives_strings_and_invariant_values()
    {
        var before = CultureInfo.CurrentCulture;
        try
        {
            // A culture with a decimal comma must not leak into traces.
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            Assert.Equal("null", Renderer.Render(null));
            Assert.Equal("42", Renderer.Render(42));
            Assert.Equal("1.5", Renderer.Render(1.5));
            Assert.Equal("12.50", Renderer.Render(12.50m));
            Assert.Equal("true", Renderer.Render(true));
            Assert.Equal("'x'", Renderer.Render('x'));
            Assert.Equal("\"a\\\"b\\n\"", Renderer.Render("a\"b\n"));
            Assert.Equal("2026-12-01T10:20:30.0000000Z", Renderer.Render(new DateTime(2026, 12, 1, 10, 20, 30, DateTimeKind.Utc)));
            Assert.Equal("0f8fad5b-d9cb-469f-a165-70867728950e", Renderer.Render(Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e")));
            Assert.Equal("01:02:03", Renderer.Render(new TimeSpan(1, 2, 3)));
            Assert.Equal("ValueRendererTests.Color.Green", Renderer.Render(Color.Green));
            Assert.Equal("ValueRendererTests.Access.Read | ValueRendererTests.Access.Write", Renderer.Render(Access.Read | Access.Write));
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }

    [Fact]
    public void A_string_over_the_limit_is_cut_with_a_visible_marker_and_its_length()
    {
        var renderer = new ValueRenderer(new TraceRenderOptions { MaxStringLength = 5 });
        Assert.Equal("\"abcde…\" (26 chars)", renderer.Render("abcdefghijklmnopqrstuvwxyz"));
        Assert.Equal("\"abcde\"", renderer.Render("abcde"));
        // A surrogate pair is never split: the cut moves before it.
        Assert.Equal("\"abcd…\" (7 chars)", renderer.Render("abcd😀x"));
    }

    [Fact]
    public void A_cycle_is_cut_with_a_marker_naming_the_type()
    {
        var a = new Node { Name = "a" };
        var b = new Node { Name = "b", Next = a };
        a.Next = b;
        Assert.Equal("ValueRendererTests.Node { Name = \"a\", Next = ValueRendererTests.Node { Name = \"b\", Next = <cycle ValueRendererTests.Node> } }",
                     Renderer.Render(a));

        var holder = new Holder();
        holder.Items.Add(holder);
        holder.Items.Add(1);
        Assert.Equal("ValueRendererTests.Holder { Items = List<object>[2] { <cycle ValueRendererTests.Holder>, 1 } }", Renderer.Render(holder));
    }

    [Fact]
    public void A_shared_object_seen_twice_but_not_in_a_cycle_is_rendered_both_times()
    {
        var shared = new Node { Name = "s" };
        var list = new List<Node> { shared, shared };
        Assert.Equal("List<ValueRendererTests.Node>[2] { ValueRendererTests.Node { Name = \"s\", Next = null }, ValueRendererTests.Node { Name = \"s\", Next = null } }",
                     Renderer.Render(list));
    }

    [Fact]
    public void Records_are_rendered_by_members_not_by_their_unbounded_ToString()
    {
        Assert.Equal("ValueRendererTests.Person { Name = \"Ann\", Age = 41 }", Renderer.Render(new Person("Ann", 41)));
        // The compiler's record ToString would recurse forever here.
        var loop = new Loop { Tag = "x" };
        loop.Self = loop;
        Assert.Equal("ValueRendererTests.Loop { Tag = \"x\", Self = <cycle ValueRendererTests.Loop> }", Renderer.Render(loop));
    }

    [Fact]
    public void Tuples_anonymous_types_structs_and_pairs()
    {
        Assert.Equal("(1, \"a\", null)", Renderer.Render((1, "a", (string)null)));
        Assert.Equal("(1, 2)", Renderer.Render(Tuple.Create(1, 2)));
        Assert.Equal("{ Id = 7, Tag = \"t\" }", Renderer.Render(new { Id = 7, Tag = "t" }));
        Assert.Equal("ValueRendererTests.Point { X = 1, Y = 2 }", Renderer.Render(new Point { X = 1, Y = 2 }));
        Assert.Equal("[\"k\"] = 3", Renderer.Render(new KeyValuePair<string, int>("k", 3)));
    }

    [Fact]
    public void Collections_show_their_count_and_the_first_items_only()
    {
        var renderer = new ValueRenderer(new TraceRenderOptions { MaxCollectionItems = 3 });
        var huge = Enumerable.Range(0, 1_000_000).ToArray();
        Assert.Equal("int[1000000] { 0, 1, 2, … (+999997 more) }", renderer.Render(huge));
        Assert.Equal("List<string>[2] { \"a\", \"b\" }", renderer.Render(new List<string> { "a", "b" }));
        Assert.Equal("HashSet<int>[0] { }", renderer.Render(new HashSet<int>()));
        Assert.Equal("int[2, 3] { 1, 2, 3, … (+3 more) }", renderer.Render(new[,] { { 1, 2, 3 }, { 4, 5, 6 } }));
        Assert.Equal("Dictionary<string, int>[2] { [\"a\"] = 1, [\"b\"] = 2 }", renderer.Render(new Dictionary<string, int> { ["a"] = 1, ["b"] = 2 }));
        Assert.Equal("Hashtable[1] { [1] = \"one\" }", renderer.Render(new Hashtable { [1] = "one" }));
        Assert.Equal("ConcurrentDictionary<int, int>[1] { [5] = 6 }", renderer.Render(new ConcurrentDictionary<int, int>(new[] { new KeyValuePair<int, int>(5, 6) })));
    }

    [Fact]
    public void A_lazy_sequence_is_named_not_enumerated()
    {
        int pulled = 0;
        IEnumerable<int> Numbers()
        {
            while (true) yield return ++pulled;
        }
        var text = Renderer.Render(Numbers());
        Assert.StartsWith("<ValueRendererTests.<", text);
        Assert.EndsWith(": sequence, not enumerated>", text);
        Assert.Equal(0, pulled);
        var query = Renderer.Render(new[] { 1, 2 }.Where(x => x > 0));
        Assert.Matches(@"^<Enumerable\.\w*Where\w*Iterator<int>: sequence, not enumerated>$", query);
    }

    [Fact]
    public void Deep_nesting_stops_at_the_depth_limit()
    {
        Deep chain = null;
        for (int i = 10_000; i >= 0; i--) chain = new Deep { Inner = chain, Level = i };
        var renderer = new ValueRenderer(new TraceRenderOptions { MaxDepth = 2 });
        Assert.Equal("ValueRendererTests.Deep { Inner = ValueRendererTests.Deep { Inner = ValueRendererTests.Deep { … }, Level = 1 }, Level = 0 }",
                     renderer.Render(chain));
        // With the default depth the 10 001-deep chain still renders at once and within the length budget.
        Assert.True(Renderer.Render(chain).Length <= TraceRenderOptions.Default.MaxRenderedLength);
    }

    [Fact]
    public void Members_past_the_limit_are_counted()
    {
        var renderer = new ValueRenderer(new TraceRenderOptions { MaxMembers = 2 });
        Assert.Equal("ValueRendererTests.Wide { A0 = 0, A1 = 0, … (+4 members) }", renderer.Render(new Wide()));
    }

    [Fact]
    public void The_total_length_budget_ends_the_text_with_a_marker()
    {
        var renderer = new ValueRenderer(new TraceRenderOptions { MaxRenderedLength = 40, MaxCollectionItems = 1000 });
        var text = renderer.Render(Enumerable.Range(0, 1000).ToList());
        Assert.Equal(40, text.Length);
        Assert.Equal("List<int>[1000] { 0, 1, 2, 3…<truncated>", text);
    }

    [Fact]
    public void The_visit_budget_bounds_the_work_on_a_wide_graph()
    {
        // 2^20 paths through shared nodes: without a budget rendering this would take ages.
        var level = new Node { Name = "leaf" };
        object top = level;
        for (int i = 0; i < 20; i++) top = new object[] { top, top };
        var renderer = new ValueRenderer(new TraceRenderOptions { MaxDepth = 30, MaxValuesVisited = 50, MaxRenderedLength = 100_000 });
        var text = renderer.Render(top);
        Assert.EndsWith("…<truncated>", text);
        Assert.Equal(50, text.Split("object[2]").Length - 1 + text.Split("Node {").Length - 1 + text.Split("\"leaf\"").Length - 1 + text.Split("null").Length - 1);
    }

    [Fact]
    public void A_throwing_getter_is_rendered_in_place_and_the_rest_still_shows()
    {
        Assert.Equal("ValueRendererTests.Broken { Good = 1, Bad = <threw InvalidOperationException: getter broke> }", Renderer.Render(new Broken()));
    }

    [Fact]
    public void ToString_overrides_are_used_and_their_exceptions_caught()
    {
        Assert.Equal("12.5 EUR", Renderer.Render(new Money { Amount = 12.5m, Currency = "EUR" }));
        Assert.Equal("<ToString threw FormatException: no text>", Renderer.Render(new BadToString()));
        Assert.Equal("(<ToString threw FormatException: no text>, 1)", Renderer.Render((new BadToString(), 1)));
    }

    [Fact]
    public void Delegates_and_pointers_are_named_not_expanded()
    {
        Func<int, int> square = Square;
        Assert.Equal("<delegate Func<int, int>: ValueRendererTests.Square>", Renderer.Render(square));
        Action both = () => { };
        both += () => { };
        Assert.Matches(@"^<delegate Action: ValueRendererTests\.<>c\.<Delegates_and_pointers_are_named_not_expanded>b__\w+ \(\+1 more\)>$", Renderer.Render(both));
        Assert.Equal("nint(0x1f)", Renderer.Render((IntPtr)0x1f));
        var parameter = typeof(ValueRendererTests).GetMethod(nameof(TakesPointer), BindingFlags.NonPublic | BindingFlags.Static)!.GetParameters()[0];
        Assert.Equal("<pointer int* 0xbeef>", Renderer.RenderArgument(parameter, (IntPtr)0xbeef));
        Assert.Equal("<type System.Collections.Generic.List<int>>", Renderer.Render(typeof(List<int>)));
    }

    static unsafe void TakesPointer(int* p) { }

    [Fact]
    public void Tasks_are_rendered_by_status_and_never_waited_for()
    {
        Assert.Equal("Task<int> { Status = RanToCompletion, Result = 5 }", Renderer.Render(Task.FromResult(5)));
        var pending = new TaskCompletionSource<string>();
        Assert.Equal("Task<string> { Status = WaitingForActivation }", Renderer.Render(pending.Task));
        Assert.Equal("Task { Status = Faulted, Exception = InvalidOperationException: late }", Renderer.Render(Task.FromException(new InvalidOperationException("late"))));
        Assert.Equal("ValueTask<int> { IsCompleted = true }", Renderer.Render(new ValueTask<int>(3)));
        Assert.Equal("CancellationToken { IsCancellationRequested = false }", Renderer.Render(CancellationToken.None));
    }

    [Fact]
    public void Exceptions_show_their_message_and_what_the_derived_type_adds()
    {
        var e = new ArgumentException("bad value", "count", new FormatException("inner"));
        Assert.Equal("ArgumentException: bad value (Parameter 'count') { ParamName = \"count\", InnerException = FormatException: inner }", Renderer.Render(e));
    }

    [Fact]
    public void A_ref_struct_member_is_named_and_the_unavailable_marker_rendered()
    {
        Assert.Equal("ValueRendererTests.WithSpanMember { Length = 3, Bytes = <ref struct ReadOnlySpan<byte>> }", Renderer.Render(new WithSpanMember()));
        Assert.Equal("<ref struct: not captured>", Renderer.Render(Invocation.Unavailable));
    }

    [Fact]
    public void Rendering_marks_its_thread_so_the_code_it_runs_is_not_traced()
    {
        bool seen = false;
        var probe = new Probe(() => seen = ValueRenderer.IsRenderingOnThisThread);
        Assert.False(ValueRenderer.IsRenderingOnThisThread);
        Assert.Equal("probe", Renderer.Render(probe));
        Assert.True(seen);
        Assert.False(ValueRenderer.IsRenderingOnThisThread);
    }

    sealed class Probe
    {
        readonly Action _onToString;
        public Probe(Action onToString) => _onToString = onToString;
        public override string ToString() { _onToString(); return "probe"; }
    }

    [Fact]
    public void Bad_options_are_refused_naming_the_option()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new ValueRenderer(new TraceRenderOptions { MaxDepth = -1 }));
        Assert.Contains("TraceRenderOptions.MaxDepth", e.Message);
    }
}
