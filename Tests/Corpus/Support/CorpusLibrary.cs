using System.IO;
using System.Text.Json;

namespace Trapweave.Tests.Corpus.Support;

/// <summary>One assembly of the corpus: which package and version it comes from, and its file name.</summary>
public sealed record CorpusLibrary(string Package, string Version, string FileName)
{
    public string AssemblyName => Path.GetFileNameWithoutExtension(FileName);

    public override string ToString() => AssemblyName;

    /// <summary>The folder of the test output the corpus project is copied into (Tests.csproj's CopyCorpus).</summary>
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Corpus");

    /// <summary>The workload assembly, compiled against the packages; it is never woven.</summary>
    public const string WorkloadAssembly = "Trapweave.Corpus.Workloads";

    /// <summary>
    /// Every managed assembly the corpus packages bring (the packages named in the corpus project and
    /// what they depend on), read from the workload assembly's deps.json: the restore decides, not a list here.
    /// </summary>
    public static IReadOnlyList<CorpusLibrary> All { get; } = Read();

    static CorpusLibrary[] Read()
    {
        var depsFile = Path.Combine(Directory, WorkloadAssembly + ".deps.json");
        // Not an assertion: the corpus benchmark (Benchmarks.Corpus) shares this file without xunit.
        if (!File.Exists(depsFile)) throw new FileNotFoundException($"The corpus is missing: {depsFile} (Tests.csproj and Benchmarks.Corpus.csproj copy TestAssemblies/Unwoven/Corpus's output there)", depsFile);
        using var deps = JsonDocument.Parse(File.ReadAllText(depsFile));
        var libraries = deps.RootElement.GetProperty("libraries");
        var found = new List<CorpusLibrary>();
        foreach (var target in deps.RootElement.GetProperty("targets").EnumerateObject().First().Value.EnumerateObject())
        {
            if (libraries.GetProperty(target.Name).GetProperty("type").GetString() != "package") continue;
            if (!target.Value.TryGetProperty("runtime", out var runtime)) continue;
            var (package, version) = (target.Name[..target.Name.IndexOf('/')], target.Name[(target.Name.IndexOf('/') + 1)..]);
            foreach (var asset in runtime.EnumerateObject())
            {
                var fileName = Path.GetFileName(asset.Name);
                if (fileName.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)) found.Add(new CorpusLibrary(package, version, fileName));
            }
        }
        return found.OrderBy(l => l.AssemblyName, StringComparer.Ordinal).ToArray();
    }

    public static CorpusLibrary Named(string assemblyName) =>
        All.SingleOrDefault(l => l.AssemblyName == assemblyName) ?? throw new ArgumentException($"{assemblyName} is not in the corpus: {string.Join(", ", All)}");
}
