using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using System.Reflection;
using Trapweave.Fody.Core;
using Trapweave.Tests.Weaving.Support;

namespace Trapweave.Tests.Corpus.Support;

/// <summary>What weaving one corpus assembly gave.</summary>
public sealed record CorpusWeave(CorpusLibrary Library, FileWeaveResult Result, RecordingLog Log, long SizeBefore, long SizeAfter);

/// <summary>
/// The corpus twice: the plain copy as restored (the test output's Corpus/ folder) and a woven copy in
/// a temporary folder, every package assembly of it woven whole with <see cref="WeaverConfig.Default"/>
/// (the default redirect set on). Each copy, with its unwoven workload assembly, is loaded into its own
/// collectible context, so both run side by side in one process. Made once per test run (xunit
/// collection fixture <see cref="CorpusCollection"/>); a benchmark can make one the same way.
/// </summary>
public sealed class CorpusCopies : IDisposable
{
    readonly TempDirectory _dir;
    readonly IsolatedContext _plainContext;
    readonly IsolatedContext _wovenContext;

    public CorpusCopies() : this(WeaverConfig.Default) { }

    /// <summary>The corpus woven with another configuration.</summary>
    public static CorpusCopies With(WeaverConfig config) => new(config);

    CorpusCopies(WeaverConfig config)
    {
        _dir = new TempDirectory("corpus");
        var plainDirectory = CorpusLibrary.Directory;
        var wovenDirectory = Directory.CreateDirectory(_dir["woven"]).FullName;
        foreach (var dll in Directory.GetFiles(plainDirectory, "*.dll")) File.Copy(dll, Path.Combine(wovenDirectory, Path.GetFileName(dll)));

        var weaves = new ConcurrentDictionary<string, CorpusWeave>();
        var watch = Stopwatch.StartNew();
        Parallel.ForEach(CorpusLibrary.All, new ParallelOptions { MaxDegreeOfParallelism = 2 }, library =>
        {
            var path = Path.Combine(wovenDirectory, library.FileName);
            var before = new FileInfo(path).Length;
            var log = new RecordingLog();
            var result = AssemblyFileWeaver.WeaveFile(path, config, log, new[] { TestFiles.RuntimeDirectory });
            weaves[library.AssemblyName] = new CorpusWeave(library, result, log, before, new FileInfo(path).Length);
        });
        WeaveTime = watch.Elapsed;
        Weaves = CorpusLibrary.All.Select(l => weaves[l.AssemblyName]).ToArray();

        var native = NativeDirectory(plainDirectory);
        _plainContext = new IsolatedContext("corpus-plain", plainDirectory, native);
        _wovenContext = new IsolatedContext("corpus-woven", wovenDirectory, native);
        Plain = new CorpusSide(_plainContext, plainDirectory);
        Woven = new CorpusSide(_wovenContext, wovenDirectory);
    }

    public IReadOnlyList<CorpusWeave> Weaves { get; }
    public TimeSpan WeaveTime { get; }
    public CorpusSide Plain { get; }
    public CorpusSide Woven { get; }

    public CorpusWeave Weave(string assemblyName) => Weaves.Single(w => w.Library.AssemblyName == assemblyName);

    /// <summary>Where this platform's native libraries of the packages are (SQLite's e_sqlite3).</summary>
    static string NativeDirectory(string corpus) =>
        Path.Combine(corpus, "runtimes", System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier, "native");

    public void Dispose()
    {
        _plainContext.Dispose();
        _wovenContext.Dispose();
        _dir.Dispose();
    }
}

/// <summary>One copy of the corpus, loaded: its assemblies and its workloads.</summary>
public sealed class CorpusSide
{
    readonly IsolatedContext _context;
    readonly string _directory;

    public CorpusSide(IsolatedContext context, string directory)
    {
        _context = context;
        _directory = directory;
    }

    public Assembly Load(CorpusLibrary library) => Load(library.AssemblyName);

    public Assembly Load(string assemblyName) => _context.LoadCopy(Path.Combine(_directory, assemblyName + ".dll"));

    /// <summary>The workloads (<c>Trapweave.Corpus.Workloads</c>), bound to this copy's libraries.</summary>
    public Workloads Workloads => new(Load(CorpusLibrary.WorkloadAssembly));
}

/// <summary>The corpus tests share one woven corpus (weaving it is the expensive part).</summary>
[CollectionDefinition(Name)]
public sealed class CorpusCollection : ICollectionFixture<CorpusCopies>
{
    public const string Name = "Corpus";
}
