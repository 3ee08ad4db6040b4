using System.IO;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Trapweave.Tests.Weaving;
using Trapweave.Tracing;
using static Trapweave.Tests.Tracing.TraceSamples;

namespace Trapweave.Tests.Tracing;

public class TraceJsonTests
{
    static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromText(File.ReadAllText(Path.Combine(WovenCodeSnapshotTests.RepoRoot(), "docs", "trace.schema.json"))));

    /// <summary>A trace with every field in use: nesting, async across threads, an exception, an arranged call, one still running, a dropped call.</summary>
    internal static CallTrace Sample()
    {
        var builder = NewBuilder(new TraceLimits { MaxCalls = 6 }, new TraceCallFilter(new[] { "Shop.*" }, new[] { "Shop.Internal.*" }, 0, false));
        var outer = builder.BeginCall(0, Method("Outer"), null, null, 1, false, Ticks(1_000), 1);
        Call(builder, outer, "Add", new object[] { 1, 2 }, 2_000, 3_000, 3, true, arranged: true);
        Call(builder, outer, "Login", new object[] { "<ann & \"bob\">", "pw" }, 4_000, 5_000, exception: new InvalidOperationException("locked ✗"));
        var fetch = builder.BeginCall(outer, Method("FetchAsync"), null, new object[] { 9 }, 1, true, Ticks(6_000), 1);
        builder.EndCall(outer, Ticks(7_000), 1, null, false, null, false);
        builder.EndCall(fetch, Ticks(20_000), 4, 9, true, null, false);
        builder.BeginCall(0, Method("Save"), null, new object[] { new Order { Id = 3 } }, 2, false, Ticks(21_000), 2); // never ends
        builder.BeginCall(0, Method("Outer"), null, null, 1, false, Ticks(22_000), 1);
        builder.BeginCall(0, Method("Outer"), null, null, 1, false, Ticks(23_000), 1); // over the cap
        return builder.Build(Ticks(30_000));
    }

    static EvaluationResults Validate(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Schema.Value.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
    }

    static string Errors(EvaluationResults results) =>
        string.Join("\n", (results.Details ?? new List<EvaluationResults>()).Where(d => d.Errors is not null)
                                  .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key} {e.Value}")));

    [Fact]
    public void The_JSON_validates_against_the_documented_schema()
    {
        var trace = Sample();
        Assert.Equal(6, trace.CallCount);
        var json = TraceJson.Serialize(trace, indented: true);
        var results = Validate(json);
        Assert.True(results.IsValid, Errors(results));

        var root = JsonNode.Parse(json)!;
        Assert.Equal("trapweave-trace", (string)root["format"]);
        Assert.Equal(30_000, (long)root["durationNs"]);
        Assert.Equal("2026-12-01T12:00:00.0000000+00:00", (string)root["startedAt"]);
        Assert.Equal(1, (long)root["truncated"]!["droppedCalls"]);
        var login = root["roots"]![0]!["children"]![1]!;
        Assert.Equal("Trapweave.Tests.Tracing.TraceSamples.Login(string, string)", (string)login["method"]);
        // Readable text: no \u003C escapes for the renderer's angle brackets and quotes.
        Assert.Contains("\"value\": \"\\\"<ann & \\\\\\\"bob\\\\\\\">\\\"\"", json);
        Assert.Equal("locked ✗", (string)login["exception"]!["message"]);
        Assert.Equal("***", (string)login["arguments"]![1]!["value"]);
    }

    [Fact]
    public void The_example_in_the_format_document_validates_and_reads()
    {
        var doc = File.ReadAllText(Path.Combine(WovenCodeSnapshotTests.RepoRoot(), "docs", "trace-format.md"));
        int start = doc.IndexOf("```json\n", StringComparison.Ordinal) + "```json\n".Length;
        var example = doc.Substring(start, doc.IndexOf("\n```", start, StringComparison.Ordinal) - start);
        var results = Validate(example);
        Assert.True(results.IsValid, Errors(results));
        var trace = TraceJson.Parse(example);
        Assert.Equal(3, trace.AllCalls().Count());
        Assert.Equal("System.TimeoutException", trace.AllCalls().Last().Exception!.Type);
        // The example is what the writer writes, byte for byte (indented).
        Assert.Equal(example, TraceJson.Serialize(trace, indented: true));
    }

    [Fact]
    public void The_schema_rejects_what_the_format_does_not_allow()
    {
        var node = JsonNode.Parse(TraceJson.Serialize(Sample()))!;
        node["roots"]![0]!["children"]![0]!.AsObject().Remove("method");
        Assert.False(Validate(node.ToJsonString()).IsValid);

        node = JsonNode.Parse(TraceJson.Serialize(Sample()))!;
        node["roots"]![0]!["durationNs"] = 1.5;
        Assert.False(Validate(node.ToJsonString()).IsValid);

        node = JsonNode.Parse(TraceJson.Serialize(Sample()))!;
        node["truncated"]!["limit"] = "time";
        Assert.False(Validate(node.ToJsonString()).IsValid);
    }

    [Fact]
    public void Reading_gives_back_the_same_trace()
    {
        var trace = Sample();
        var json = TraceJson.Serialize(trace);
        var read = TraceJson.Parse(json);

        Assert.Equal(json, TraceJson.Serialize(read));
        Assert.Equal(trace.Name, read.Name);
        Assert.Equal(trace.StartedAt, read.StartedAt);
        Assert.Equal((4242, "testhost", ".NET test", "Linux"), (read.Process.Id, read.Process.Name, read.Process.Runtime, read.Process.Os));
        Assert.Equal(new[] { "Shop.*" }, read.Filter.Include);
        Assert.Equal(new[] { "Shop.Internal.*" }, read.Filter.Exclude);
        Assert.Equal((1L, 0L, "calls", 6L), (read.Truncated!.DroppedCalls, read.Truncated.DroppedValues, read.Truncated.Limit, read.Truncated.MaxCalls));
        var expected = trace.AllCalls().ToList();
        var actual = read.AllCalls().ToList();
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            var (e, a) = (expected[i], actual[i]);
            Assert.Equal((e.Id, e.Method, e.DeclaringType, e.RuntimeType, e.Result), (a.Id, a.Method, a.DeclaringType, a.RuntimeType, a.Result));
            Assert.Equal((e.StartNs, e.DurationNs, e.ThreadId, e.EndThreadId, e.FlowId), (a.StartNs, a.DurationNs, a.ThreadId, a.EndThreadId, a.FlowId));
            Assert.Equal((e.IsAsync, e.Arranged, e.Completed, e.Children.Count), (a.IsAsync, a.Arranged, a.Completed, a.Children.Count));
            Assert.Equal(e.Arguments.Select(x => x.ToString()), a.Arguments.Select(x => x.ToString()));
            Assert.Equal(e.Exception?.Rendered, a.Exception?.Rendered);
        }
        var fetch = actual.Single(c => c.Method.Contains("FetchAsync"));
        Assert.Equal((true, 4, "9", 14_000L), (fetch.IsAsync, fetch.EndThreadId.Value, fetch.Result, fetch.DurationNs));
        Assert.False(actual.Single(c => c.Method.Contains("Save")).Completed);
    }

    [Fact]
    public void A_very_deep_tree_is_written_and_read_without_recursion()
    {
        const int depth = 20_000;
        var builder = NewBuilder();
        long parent = 0;
        for (int i = 0; i < depth; i++) parent = builder.BeginCall(parent, Method("Inner"), null, new object[] { i }, 1, false, Ticks(i), 1);
        var trace = builder.Build(Ticks(depth));

        var read = TraceJson.Parse(TraceJson.Serialize(trace));
        Assert.Equal(depth, read.AllCalls().Count());
        var deepest = read.AllCalls().Last();
        Assert.Equal((depth - 1).ToString(), deepest.Arguments[0].Value);
    }

    [Fact]
    public void Bad_input_fails_naming_the_source_and_the_JSON_path()
    {
        var e = Assert.Throws<InvalidDataException>(() => TraceJson.Read(new MemoryStream("{\"format\":\"other\"}"u8.ToArray()), "out/t.json"));
        Assert.Equal("out/t.json: $.format is \"other\", expected \"trapweave-trace\": not a Trapweave trace", e.Message);

        var node = JsonNode.Parse(TraceJson.Serialize(Sample()))!;
        node["roots"]![0]!["children"]![1]!.AsObject().Remove("method");
        e = Assert.Throws<InvalidDataException>(() => TraceJson.Parse(node.ToJsonString()));
        Assert.Equal("trace JSON: $.roots[0].children[1].method is missing", e.Message);

        e = Assert.Throws<InvalidDataException>(() => TraceJson.Parse("{ not json"));
        Assert.StartsWith("trace JSON: not JSON (", e.Message);

        node = JsonNode.Parse(TraceJson.Serialize(Sample()))!;
        node["version"] = 2;
        e = Assert.Throws<InvalidDataException>(() => TraceJson.Parse(node.ToJsonString()));
        Assert.Equal("trace JSON: $.version is 2; this Trapweave reads version 1", e.Message);
    }
}
