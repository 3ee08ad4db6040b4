using System.Diagnostics;
using Trapweave.Fody.Core;
using Trapweave.Tests.Corpus.Support;
using Trapweave.Tests.Weaving.Support;
using Xunit.Abstractions;

namespace Trapweave.Tests.Corpus;

/// <summary>
/// Every assembly of the corpus, woven whole with the default configuration (default redirect set on):
/// no weaving error, and every method of the woven copy JIT-compiles as the unwoven one does.
/// </summary>
[Collection(CorpusCollection.Name)]
[Trait("Category", "Corpus")]
public class CorpusWeavingTests
{
    readonly CorpusCopies _corpus;
    readonly ITestOutputHelper _output;

    public CorpusWeavingTests(CorpusCopies corpus, ITestOutputHelper output)
    {
        _corpus = corpus;
        _output = output;
    }

    public static TheoryData<string> Libraries()
    {
        var data = new TheoryData<string>();
        foreach (var library in CorpusLibrary.All) data.Add(library.AssemblyName);
        return data;
    }

    [Fact]
    public void The_corpus_has_the_packages_asked_for()
    {
        var packages = CorpusLibrary.All.Select(l => l.Package).Distinct().ToList();
        _output.WriteLine(string.Join(Environment.NewLine, CorpusLibrary.All.Select(l => $"{l.FileName} ({l.Package} {l.Version})")));
        foreach (var package in new[] { "Newtonsoft.Json", "Humanizer.Core", "Dapper", "Microsoft.Data.Sqlite.Core", "Polly.Core", "Serilog", "AutoMapper", "CsvHelper", "YamlDotNet", "Markdig", "Jint", "Acornima", "MessagePack", "protobuf-net", "Microsoft.Extensions.DependencyInjection" })
            Assert.Contains(package, packages);
        Assert.True(CorpusLibrary.All.Count >= 10);
        _output.WriteLine($"woven in {_corpus.WeaveTime.TotalSeconds:F1} s (2 at a time)");
    }

    [Theory]
    [MemberData(nameof(Libraries))]
    public void It_is_woven_whole_without_errors(string assemblyName)
    {
        var weave = _corpus.Weave(assemblyName);
        _output.WriteLine(weave.Result.ToString());
        foreach (var (reason, count) in weave.Result.SkippedByReason) _output.WriteLine($"skipped {count}: {reason}");
        foreach (var warning in weave.Log.Warnings) _output.WriteLine("warning: " + warning);

        Assert.Empty(weave.Log.Errors);
        Assert.Empty(weave.Log.Warnings);
        Assert.Equal(FileWeaveOutcome.Woven, weave.Result.Outcome);
        Assert.True(weave.Result.TrappedMethods > 0);
        var woven = _corpus.Woven.Load(assemblyName);
        Assert.Equal(_corpus.Plain.Load(assemblyName).GetName().FullName, woven.GetName().FullName);
    }

    [Theory]
    [MemberData(nameof(Libraries))]
    public void Every_method_of_it_compiles(string assemblyName)
    {
        var weave = _corpus.Weave(assemblyName);
        var watch = Stopwatch.StartNew();
        var woven = MethodPreparer.PrepareAll(_corpus.Woven.Load(assemblyName));
        _output.WriteLine($"woven: {woven.Prepared} methods ({woven.Instantiations} compilations) in {watch.ElapsedMilliseconds} ms, {woven.NoInstantiation} generic without instantiation, {woven.Failures.Count} failures");
        foreach (var failure in woven.Failures.Take(30)) _output.WriteLine("woven failure: " + failure);
        Assert.Equal(0, woven.InvalidProgram);

        var plainAssembly = _corpus.Plain.Load(assemblyName);
        if (woven.Failures.Count > 0)
        {
            // Nothing fails woven that does not fail unwoven (compiling the unwoven copy too only then: it doubles the time).
            var plain = MethodPreparer.PrepareAll(plainAssembly);
            Assert.Equal(plain.Failures, woven.Failures);
        }
        // The same methods, plus both stubs (inline and armed) of each redirected member and the handler shapes' dispatchers.
        var wovenAssembly = _corpus.Woven.Load(assemblyName);
        Assert.Equal(MethodPreparer.MethodsWithBodies(plainAssembly) + 2 * weave.Result.RedirectedMembers + MethodPreparer.Dispatchers(wovenAssembly),
            woven.Prepared + woven.NoInstantiation + woven.Failures.Count);
        Assert.True(woven.Prepared + woven.NoInstantiation >= weave.Result.TrappedMethods, $"{woven.Prepared} compiled, {weave.Result.TrappedMethods} trapped");
    }
}

/// <summary>Debug info of the corpus assemblies that embed a PDB: the woven copy's still maps every method to the same lines.</summary>
[Collection(CorpusCollection.Name)]
[Trait("Category", "Corpus")]
public class CorpusDebugInfoTests
{
    readonly CorpusCopies _corpus;
    readonly ITestOutputHelper _output;

    public CorpusDebugInfoTests(CorpusCopies corpus, ITestOutputHelper output)
    {
        _corpus = corpus;
        _output = output;
    }

    [Fact]
    public void Its_debug_info_still_maps()
    {
        var withSymbols = _corpus.Weaves.Where(w => w.Result.Symbols != SymbolKind.None).ToList();
        _output.WriteLine("with symbols: " + string.Join(", ", withSymbols.Select(w => $"{w.Library.AssemblyName} ({w.Result.Symbols})")));
        _output.WriteLine("without: " + string.Join(", ", _corpus.Weaves.Where(w => w.Result.Symbols == SymbolKind.None).Select(w => w.Library.AssemblyName)));
        Assert.NotEmpty(withSymbols);
        foreach (var weave in withSymbols)
        {
            var plain = SequencePoints.Of(System.IO.Path.Combine(CorpusLibrary.Directory, weave.Library.FileName));
            var woven = SequencePoints.Of(weave.Result.AssemblyPath);
            _output.WriteLine($"{weave.Library.AssemblyName}: {plain.Count} methods with visible sequence points, {plain.Values.Sum(v => v.Count)} points");
            Assert.True(plain.Count * 2 > weave.Result.TrappedMethods, $"{weave.Library.AssemblyName}: only {plain.Count} methods with sequence points of {weave.Result.TrappedMethods} trapped");
            Assert.Equal(plain.Keys.OrderBy(k => k, StringComparer.Ordinal), woven.Keys.Where(plain.ContainsKey).OrderBy(k => k, StringComparer.Ordinal));
            foreach (var (method, points) in plain)
                Assert.True(points.SequenceEqual(woven[method]), $"{weave.Library.AssemblyName} {method}: the woven copy's lines differ");
        }
    }
}
