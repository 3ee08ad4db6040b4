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
        var wovenTime = watch.Elapsed;
        watch.Restart();
        var plain = MethodPreparer.PrepareAll(_corpus.Plain.Load(assemblyName));
        _output.WriteLine($"woven: {woven.Prepared} methods ({woven.Instantiations} compilations) in {wovenTime.TotalMilliseconds:F0} ms, {woven.NoInstantiation} generic without instantiation, {woven.Failures.Count} failures");
        _output.WriteLine($"plain: {plain.Prepared} methods ({plain.Instantiations} compilations) in {watch.Elapsed.TotalMilliseconds:F0} ms, {plain.NoInstantiation} generic without instantiation, {plain.Failures.Count} failures");
        foreach (var failure in woven.Failures.Take(30)) _output.WriteLine("woven failure: " + failure);

        Assert.Equal(0, woven.InvalidProgram);
        // Nothing fails woven that does not fail unwoven.
        Assert.Equal(plain.Failures, woven.Failures);
        // The same methods, plus both stubs (inline and armed) of each redirected member.
        Assert.Equal(plain.Prepared + plain.NoInstantiation + 2 * weave.Result.RedirectedMembers, woven.Prepared + woven.NoInstantiation);
        Assert.True(woven.Prepared + woven.NoInstantiation >= weave.Result.TrappedMethods, $"{woven.Prepared} compiled, {weave.Result.TrappedMethods} trapped");
    }
}
