using System.Diagnostics;
using System.IO;
using System.Reflection;
using System.Threading;
using Trapweave.Tests.Corpus.Support;
using Trapweave.Tests.Weaving.Support;
using Xunit.Abstractions;

namespace Trapweave.Tests.Corpus;

/// <summary>
/// The workloads (TestAssemblies/Unwoven/Corpus) give the same results over the woven corpus as over
/// the unwoven one: with nothing armed, with an interceptor armed on every woven method of the
/// libraries they drive in another flow, and with a pass-through interceptor on every one of those
/// methods in the workload's own flow.
/// </summary>
[Collection(CorpusCollection.Name)]
[Trait("Category", "Corpus")]
public class CorpusBehaviourTests
{
    readonly CorpusCopies _corpus;
    readonly ITestOutputHelper _output;

    public CorpusBehaviourTests(CorpusCopies corpus, ITestOutputHelper output)
    {
        _corpus = corpus;
        _output = output;
    }

    public static TheoryData<string> Names()
    {
        // The names, read from a throwaway copy (listing them touches no package).
        var data = new TheoryData<string>();
        using var context = new IsolatedContext("corpus-names", CorpusLibrary.Directory);
        foreach (var name in new Workloads(context.LoadCopy(Path.Combine(CorpusLibrary.Directory, CorpusLibrary.WorkloadAssembly + ".dll"))).Names) data.Add(name);
        return data;
    }

    [Fact]
    public void There_are_workloads_for_at_least_six_libraries()
    {
        var workloads = _corpus.Plain.Workloads;
        var libraries = workloads.Names.SelectMany(workloads.Libraries).Distinct().ToList();
        _output.WriteLine(string.Join(", ", workloads.Names) + ": " + string.Join(", ", libraries));
        Assert.True(workloads.Names.Count >= 6);
        Assert.All(libraries, l => CorpusLibrary.Named(l));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void It_gives_the_same_results_woven_and_unwoven(string name)
    {
        var expected = _corpus.Plain.Workloads.Run(name);
        var actual = _corpus.Woven.Workloads.Run(name);
        AssertSame(expected, actual);
        // The woven copy is what ran: its libraries' methods are trapped.
        foreach (var library in _corpus.Woven.Workloads.Libraries(name))
            Assert.NotEmpty(WovenMethods.Of(_corpus.Woven.Load(library)).Methods.Take(1));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task It_gives_the_same_results_while_every_method_is_intercepted_in_another_flow(string name)
    {
        var expected = _corpus.Plain.Workloads.Run(name);
        var methods = MethodsOf(name);
        var leaks = 0;
        var armed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ran = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var otherFlow = Task.Run(async () =>
        {
            // A hostile interceptor: any call it saw would fail with this exception.
            var registrations = methods.Select(m => Trap.Intercept(m, call => { Interlocked.Increment(ref leaks); call.Exception = new InvalidOperationException("intercepted in the other flow"); })).ToList();
            try
            {
                armed.SetResult();
                await ran.Task;
                // Still armed here: the same workload in this flow is intercepted.
                return Differs(expected, () => _corpus.Woven.Workloads.Run(name));
            }
            finally
            {
                foreach (var registration in registrations) registration.Dispose();
            }
        });

        await Task.WhenAny(armed.Task, otherFlow);
        if (otherFlow.IsCompleted) await otherFlow; // it failed before arming: show why
        SortedDictionary<string, string> actual;
        int seenByLeaks;
        try
        {
            actual = _corpus.Woven.Workloads.Run(name);
        }
        finally
        {
            // Read before the other flow is released: from then on it runs the workload itself, intercepted.
            seenByLeaks = Volatile.Read(ref leaks);
            ran.SetResult();
        }
        var otherFlowDiffered = await otherFlow;

        AssertSame(expected, actual);
        Assert.Equal(0, seenByLeaks);
        Assert.True(otherFlowDiffered, "the interceptors were armed in the other flow, yet its run of the workload was not intercepted");
        Assert.True(leaks > 0);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void It_gives_the_same_results_with_a_pass_through_interceptor_on_every_method_in_its_flow(string name)
    {
        var expected = _corpus.Plain.Workloads.Run(name);
        var methods = MethodsOf(name);
        var calls = 0;
        var seen = new HashSet<MethodBase>();
        var watch = Stopwatch.StartNew();
        var registrations = methods.Select(m => Trap.Intercept(m, call => { Interlocked.Increment(ref calls); lock (seen) seen.Add(m); })).ToList();
        _output.WriteLine($"{registrations.Count} interceptors registered in {watch.ElapsedMilliseconds} ms");
        SortedDictionary<string, string> actual;
        try
        {
            watch.Restart();
            actual = _corpus.Woven.Workloads.Run(name);
            _output.WriteLine($"ran in {watch.ElapsedMilliseconds} ms: {calls} intercepted calls to {seen.Count} methods");
        }
        finally
        {
            foreach (var registration in registrations) registration.Dispose();
        }
        AssertSame(expected, actual);
        Assert.True(seen.Count >= 20, $"only {seen.Count} methods were intercepted");
    }

    /// <summary>
    /// The workloads traced in every run: the quicker ones. Recording every call of Newtonsoft.Json,
    /// Markdig, Jint and YamlDotNet takes 5-20 s each; <c>TRAPWEAVE_CORPUS_TRACE=all</c> runs them too.
    /// </summary>
    public static TheoryData<string> TracedNames()
    {
        var all = Environment.GetEnvironmentVariable("TRAPWEAVE_CORPUS_TRACE") == "all";
        string[] quick = { "Humanizer", "Polly", "Dapper", "Serilog", "DependencyInjection", "AutoMapper" };
        var data = new TheoryData<string>();
        foreach (var row in Names())
            if (all || quick.Contains(row)) data.Add(row);
        return data;
    }

    [Theory]
    [MemberData(nameof(TracedNames))]
    public void It_gives_the_same_results_while_its_libraries_are_traced(string name)
    {
        var expected = _corpus.Plain.Workloads.Run(name);
        // The libraries' own namespaces: the trace arms every woven method there, generic ones included.
        var namespaces = _corpus.Woven.Workloads.Libraries(name)
            .SelectMany(library => _corpus.Woven.Load(library).GetTypes())
            .Select(t => t.Namespace).Where(n => !string.IsNullOrEmpty(n) && !n.StartsWith("FxResources", StringComparison.Ordinal)).Distinct().ToList();
        var options = new Trapweave.Tracing.CallTraceOptions { Filter = new Trapweave.Tracing.TraceCallFilter(include: namespaces!) };
        var watch = Stopwatch.StartNew();
        Trapweave.Tracing.CallTrace trace;
        SortedDictionary<string, string> actual;
        using (var session = Trap.Trace(options))
        {
            actual = _corpus.Woven.Workloads.Run(name);
            trace = session.Stop();
        }
        _output.WriteLine($"traced {string.Join(", ", namespaces)} in {watch.ElapsedMilliseconds} ms: {trace.CallCount} calls recorded, {trace.Truncated?.DroppedCalls ?? 0} over the cap");
        AssertSame(expected, actual);
        Assert.True(trace.CallCount >= 100, $"only {trace.CallCount} calls were traced");
        Assert.All(trace.AllCalls(), c => Assert.True(c.Completed, $"{c.Method} did not complete"));
    }

    /// <summary>Every woven method of the libraries the workload drives that a registration can name.</summary>
    List<MethodBase> MethodsOf(string name)
    {
        var methods = new List<MethodBase>();
        foreach (var library in _corpus.Woven.Workloads.Libraries(name))
        {
            var (found, generic) = WovenMethods.Of(_corpus.Woven.Load(library));
            _output.WriteLine($"{library}: {found.Count} woven methods intercepted, {generic} generic definitions left out");
            methods.AddRange(found);
        }
        return methods;
    }

    static bool Differs(SortedDictionary<string, string> expected, Func<SortedDictionary<string, string>> run)
    {
        try { return !expected.SequenceEqual(run()); }
        catch (Exception) { return true; }
    }

    void AssertSame(SortedDictionary<string, string> expected, SortedDictionary<string, string> actual)
    {
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (name, text) in expected)
            Assert.True(text == actual[name], $"{name} differs, woven:{Environment.NewLine}{actual[name]}{Environment.NewLine}unwoven:{Environment.NewLine}{text}");
        var threw = expected.Where(p => p.Value.StartsWith("threw ", StringComparison.Ordinal)).ToList();
        _output.WriteLine($"{expected.Count} results, {expected.Values.Sum(v => v.Length)} characters, identical; {threw.Count} of them exceptions:");
        foreach (var (name, text) in threw) _output.WriteLine($"  {name}: {text[..Math.Min(text.Length, 200)]}");
        Assert.True(expected.Count >= 4, $"only {expected.Count} results");
        Assert.True(threw.Count * 2 < expected.Count, "most results are exceptions: the workload does not exercise the library");
    }
}
