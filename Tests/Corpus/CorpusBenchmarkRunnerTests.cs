using System.IO;
using System.Reflection;
using System.Text.Json;
using Trapweave.Tests.EndToEnd.Support;
using Trapweave.Tests.Weaving.Support;
using Xunit.Abstractions;

namespace Trapweave.Tests.Corpus;

/// <summary>
/// The corpus cost benchmark (Benchmarks.Corpus, driven by build/bench-corpus.sh) still works: it
/// prepares a woven copy, runs a workload over each copy in a fresh process and reports figures that
/// make sense, with identical results. One quick run of the Json workload; no timing is asserted.
/// </summary>
[Trait("Category", "Corpus")]
public class CorpusBenchmarkRunnerTests
{
    static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    readonly ITestOutputHelper _output;

    public CorpusBenchmarkRunnerTests(ITestOutputHelper output) => _output = output;

    static string Runner =>
        typeof(CorpusBenchmarkRunnerTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "CorpusBenchmarkRunner").Value!;

    [Fact]
    public void A_quick_run_of_one_workload_gives_sane_figures_and_identical_results_woven_and_unwoven()
    {
        Assert.True(File.Exists(Runner), $"the corpus benchmark is not built: {Runner} (Tests.csproj references Benchmarks.Corpus)");
        using var work = new TempDirectory("bench-corpus");

        var prepared = Lines(Tool(work.Path, "prepare", "--out", work.Path, "--workload", "Json"));
        var json = Assert.Single(prepared, l => l.TryGetProperty("prepared", out _));
        Assert.Equal("Newtonsoft.Json", json.GetProperty("prepared").GetString());
        Assert.Equal("Woven", json.GetProperty("outcome").GetString());
        Assert.True(json.GetProperty("methods_woven").GetInt32() > 1000);
        Assert.True(json.GetProperty("size_after").GetInt64() > json.GetProperty("size_before").GetInt64());
        var folders = prepared.Last();

        var plain = Assert.Single(Lines(Tool(work.Path, "run", "--folder", folders.GetProperty("plain").GetString()!, "--workload", "Json", "--quick")));
        var woven = Assert.Single(Lines(Tool(work.Path, "run", "--folder", folders.GetProperty("woven").GetString()!, "--workload", "Json", "--quick")));

        Assert.Equal(plain.GetProperty("results_sha256").GetString(), woven.GetProperty("results_sha256").GetString());
        Assert.True(plain.GetProperty("results").GetInt32() >= 4);
        Assert.Equal(0, plain.GetProperty("woven_methods").GetInt32());
        Assert.True(woven.GetProperty("woven_methods").GetInt32() > 1000);
        foreach (var side in new[] { plain, woven })
        {
            Assert.InRange(side.GetProperty("first_result_ms").GetDouble(), 1, 600_000);
            Assert.True(side.GetProperty("jit_methods").GetInt64() > 100);
            Assert.True(side.GetProperty("jit_ms").GetDouble() > 0);
            AssertSteady(side.GetProperty("steady"));
        }
        // The woven copy's methods carry a prologue: the same work JIT-compiles more IL.
        Assert.True(woven.GetProperty("jit_il_bytes").GetInt64() > plain.GetProperty("jit_il_bytes").GetInt64());

        Assert.Equal(JsonValueKind.Null, plain.GetProperty("pass_through").ValueKind);
        var passThrough = woven.GetProperty("pass_through");
        Assert.Equal(woven.GetProperty("woven_methods").GetInt32(), passThrough.GetProperty("interceptors").GetInt32());
        Assert.True(passThrough.GetProperty("intercepted_calls_per_run").GetInt64() > 1000, "the pass-through interceptors saw almost nothing: they are not armed in the workload's flow");
        Assert.True(passThrough.GetProperty("first_run_same").GetBoolean());
        AssertSteady(passThrough);
    }

    static void AssertSteady(JsonElement steady)
    {
        Assert.True(steady.GetProperty("iterations").GetInt32() >= 3);
        var (min, median, max) = (steady.GetProperty("min_ms").GetDouble(), steady.GetProperty("median_ms").GetDouble(), steady.GetProperty("max_ms").GetDouble());
        Assert.True(0 < min && min <= median && median <= max, $"min {min}, median {median}, max {max}");
        Assert.Equal(0, steady.GetProperty("runs_differing").GetInt32());
    }

    ProcessResult Tool(string directory, params string[] arguments)
    {
        var result = ProcessRunner.DotNet(directory, Timeout, new[] { Runner }.Concat(arguments).ToArray());
        _output.WriteLine(result.ToString());
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    static List<JsonElement> Lines(ProcessResult result) =>
        result.Lines.Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
}
