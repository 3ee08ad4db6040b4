using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using Fixtures.Tracing;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Trapweave.Tracing;
using FixtureActivities = Fixtures.Tracing.TraceActivities;

namespace Trapweave.Tests.Tracing;

/// <summary>
/// Traced calls as OpenTelemetry spans: the real SDK, listening to the "Trapweave" ActivitySource,
/// exports them to its in-memory exporter, nested as the calls are and under the span current where
/// the traced code was called.
/// </summary>
[Collection(TracedFixtures.Name)]
public class TraceActivitiesTests
{
    static readonly CallTraceOptions Fixture = new() { Filter = new TraceCallFilter(include: new[] { "Fixtures.Tracing" }) };
    const string TestSource = "Trapweave.Tests.Activities";

    static (TracerProvider Provider, List<Activity> Exported) Pipeline(params string[] more)
    {
        var exported = new List<Activity>();
        var provider = Sdk.CreateTracerProviderBuilder()
            .AddSource(new[] { Trapweave.Tracing.TraceActivities.SourceName, TestSource }.Concat(more).ToArray())
            .AddInMemoryExporter(exported)
            .Build()!;
        return (provider, exported);
    }

    // Spans of other tests' traces running at the same time (other flows) are left out by trace id.
    static List<Activity> Of(List<Activity> exported, ActivityTraceId traceId) => exported.Where(a => a.TraceId == traceId).ToList();

    [Fact]
    public void Calls_become_spans_nested_as_the_calls_under_the_current_span()
    {
        var (provider, exported) = Pipeline();
        using var source = new ActivitySource(TestSource);
        ActivityTraceId traceId;
        ActivitySpanId testSpan;
        using (provider)
        {
            using var session = Trap.Trace(Fixture);
            using (var test = source.StartActivity("test")!)
            {
                traceId = test.TraceId;
                testSpan = test.SpanId;
                Assert.Equal(4.5m, TracedCalls.Total(new[] { 1, 2 }, 1.5m));
                // The caller's span is current again after the call.
                Assert.Same(test, Activity.Current);
            }
            session.Stop();
            provider.ForceFlush();
        }
        var spans = Of(exported, traceId);
        var total = spans.Single(s => s.DisplayName == "TracedCalls.Total");
        Assert.Equal(testSpan, total.ParentSpanId);
        var prices = spans.Where(s => s.DisplayName == "TracedCalls.Price").ToList();
        Assert.Equal(2, prices.Count);
        Assert.All(prices, p => Assert.Equal(total.SpanId, p.ParentSpanId));
        var rounds = spans.Where(s => s.DisplayName == "TracedCalls.Round").ToList();
        Assert.Equal(prices.Select(p => p.SpanId).OrderBy(i => i.ToHexString()), rounds.Select(r => r.ParentSpanId).OrderBy(i => i.ToHexString()));
        Assert.Equal("Fixtures.Tracing.TracedCalls", total.GetTagItem("code.namespace"));
        Assert.Equal("Total", total.GetTagItem("code.function"));
        Assert.Equal("4.5", total.GetTagItem("trapweave.result"));
        Assert.Equal(new[] { "1", "2" }, prices.Select(p => (string)p.GetTagItem("trapweave.arg.quantity")!).OrderBy(q => q));
        Assert.All(spans, s => Assert.Equal(ActivityKind.Internal, s.Kind));
    }

    [Fact]
    public async Task An_async_span_lasts_until_its_task_completes_and_a_failure_is_an_error()
    {
        var (provider, exported) = Pipeline();
        using var source = new ActivitySource(TestSource);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        ActivityTraceId traceId;
        using (provider)
        {
            using var session = Trap.Trace(Fixture);
            using (var test = source.StartActivity("test")!)
            {
                traceId = test.TraceId;
                var loading = TracedCalls.LoadAsync(5, gate.Task);
                var failing = TracedCalls.FailLaterAsync(gate.Task);
                Assert.Same(test, Activity.Current);
                gate.SetResult();
                Assert.Equal(10, await loading);
                await Assert.ThrowsAsync<ArgumentException>(() => failing);
            }
            session.Stop();
            provider.ForceFlush();
        }
        var spans = Of(exported, traceId);
        var load = spans.Single(s => s.DisplayName == "TracedCalls.LoadAsync");
        var fetch = spans.Single(s => s.DisplayName == "TracedCalls.FetchAsync");
        var doubled = spans.Single(s => s.DisplayName == "TracedCalls.Double");
        Assert.Equal(load.SpanId, fetch.ParentSpanId);
        Assert.Equal(fetch.SpanId, doubled.ParentSpanId);
        // Ran after the await, inside the awaited call's span.
        Assert.True(doubled.StartTimeUtc >= fetch.StartTimeUtc && doubled.StartTimeUtc + doubled.Duration <= fetch.StartTimeUtc + fetch.Duration);
        Assert.True(load.StartTimeUtc + load.Duration >= fetch.StartTimeUtc + fetch.Duration);
        Assert.Equal(true, load.GetTagItem("trapweave.async"));
        var failed = spans.Single(s => s.DisplayName == "TracedCalls.FailLaterAsync");
        Assert.Equal(ActivityStatusCode.Error, failed.Status);
        Assert.Equal("later", failed.StatusDescription);
        var exception = Assert.Single(failed.Events);
        Assert.Equal("exception", exception.Name);
        Assert.Equal("System.ArgumentException", exception.Tags.Single(t => t.Key == "exception.type").Value);
    }

    [Fact]
    public void Without_a_listener_no_span_is_made_and_with_Activities_off_none_is_exported()
    {
        // No listener at all: the trace still records, nothing becomes current.
        using (var session = Trap.Trace(Fixture))
        {
            var before = Activity.Current;
            TracedCalls.Price(1, 1m);
            Assert.Same(before, Activity.Current);
            Assert.Single(session.Stop().Roots);
        }
        var (provider, exported) = Pipeline();
        using var source = new ActivitySource(TestSource);
        ActivityTraceId traceId;
        using (provider)
        {
            using var session = Trap.Trace(new CallTraceOptions { Filter = Fixture.Filter, Activities = false });
            using (var test = source.StartActivity("test")!)
            {
                traceId = test.TraceId;
                TracedCalls.Price(1, 1m);
            }
            Assert.Single(session.Stop().Roots);
            provider.ForceFlush();
        }
        Assert.Equal(new[] { "test" }, Of(exported, traceId).Select(s => s.DisplayName));
    }

    [Fact]
    public async Task An_http_request_made_in_a_traced_call_carries_its_W3C_trace_context()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var received = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            using var stream = client.GetStream();
            var reader = new StreamReader(stream);
            var headers = new List<string>();
            for (var line = await reader.ReadLineAsync(); !string.IsNullOrEmpty(line); line = await reader.ReadLineAsync()) headers.Add(line);
            var response = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"u8.ToArray();
            await stream.WriteAsync(response);
            return headers;
        });

        // HttpClient's own span too: the request's context is its, and its parent the traced call's.
        var (provider, exported) = Pipeline("System.Net.Http");
        using var source = new ActivitySource(TestSource);
        ActivityTraceId traceId;
        using (provider)
        {
            using var session = Trap.Trace(Fixture);
            using var http = new HttpClient();
            using (var test = source.StartActivity("test")!)
            {
                traceId = test.TraceId;
                Assert.Equal("4", await FixtureActivities.FetchAsync(http, $"http://127.0.0.1:{port}/"));
            }
            session.Stop();
            provider.ForceFlush();
        }
        var headers = await received;
        var traceparent = headers.Single(h => h.StartsWith("traceparent:", StringComparison.OrdinalIgnoreCase)).Split(':', 2)[1].Trim();
        var parts = traceparent.Split('-');
        Assert.Equal(traceId.ToHexString(), parts[1]);
        var spans = Of(exported, traceId);
        var fetch = spans.Single(s => s.DisplayName == "TraceActivities.FetchAsync");
        var request = spans.Single(s => s.SpanId.ToHexString() == parts[2]);
        Assert.Equal("System.Net.Http", request.Source.Name);
        Assert.Equal(fetch.SpanId, request.ParentSpanId);
    }
}
