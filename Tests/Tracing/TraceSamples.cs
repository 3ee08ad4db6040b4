using System.Diagnostics;
using System.Reflection;
using System.Threading;
using Trapweave.Tracing;

namespace Trapweave.Tests.Tracing;

/// <summary>Methods to stand for traced calls (the builder only needs their MethodBase), and helpers to build traces at exact times.</summary>
internal static class TraceSamples
{
    public static int Add(int a, int b) => a + b;
    public static void Login(string user, string password) { }
    public static void Store([TraceSecret] string key, string value) { }
    [return: TraceSecret]
    public static string IssueKey(string user) => "k-" + user;
    public static void Save(Order order) { }
    public static Task<int> FetchAsync(int id) => Task.FromResult(id);
    public static void Outer() { }
    public static string Echo(string text) => text;
    public static void Inner(int depth) { }
    public static void TryGet(string key, out int value) => value = 1;
    public static unsafe void Poke(int* address, [TraceSecret] int pin) { }

    public class Order
    {
        public int Id { get; set; }
        public List<string> Lines { get; } = new();
        public string ApiKey { get; set; }
    }

    public class Repository
    {
        public virtual int Count() => 0;
    }

    public sealed class SqlRepository : Repository
    {
        public override int Count() => 1;
    }

    public static MethodInfo Method(string name) => typeof(TraceSamples).GetMethod(name)!;

    /// <summary>Stopwatch ticks for nanoseconds since the builder's start, so tests state times in ns on any clock.</summary>
    public static long Ticks(long ns) => Origin + ns * Stopwatch.Frequency / 1_000_000_000;

    public const long Origin = 1_000_000;

    public static TraceBuilder NewBuilder(TraceLimits limits = null, TraceCallFilter filter = null, TraceRenderOptions render = null, string name = "sample") =>
        new(new ValueRenderer(render), limits, filter, name, new TraceProcess(4242, "testhost", ".NET test", "Linux"),
            startTimestamp: Origin, startedAt: new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

    /// <summary>Begin and end a call at the given ns, on thread 1 of flow 1 unless told.</summary>
    public static long Call(TraceBuilder builder, long parent, string method, object[] args, long startNs, long endNs,
                            object result = null, bool hasResult = false, Exception exception = null, long flow = 1, bool isAsync = false, bool arranged = false)
    {
        var id = builder.BeginCall(parent, Method(method), null, args, flow, isAsync, Ticks(startNs), 1);
        builder.EndCall(id, Ticks(endNs), 1, result, hasResult, exception, arranged);
        return id;
    }
}
