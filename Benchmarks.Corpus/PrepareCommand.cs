using System.IO;
using System.Reflection.PortableExecutable;
using Trapweave.Fody.Core;
using Trapweave.Tests.Corpus.Support;
using Trapweave.Tests.Weaving.Support;

namespace Trapweave.Benchmarks.Corpus;

/// <summary>
/// The two folders a run compares: <c>plain</c>, the corpus as restored, and <c>woven</c>, the same
/// files with the corpus assemblies woven in place the way CorpusCopies does it
/// (<see cref="AssemblyFileWeaver.WeaveFile"/>, <see cref="WeaverConfig.Default"/>). Both are whole
/// copies (native SQLite under runtimes/ included), so either can be run from alone.
/// </summary>
public static class PrepareCommand
{
    public static void Run(Options options)
    {
        var output = options.Directory("--out");
        var plain = Path.Combine(output, "plain");
        var woven = Path.Combine(output, "woven");
        foreach (var folder in new[] { plain, woven })
        {
            if (System.IO.Directory.Exists(folder)) System.IO.Directory.Delete(folder, recursive: true);
            CopyTree(CorpusLibrary.Directory, folder);
        }

        var libraries = LibrariesToWeave(options.All("--workload"));
        var runtime = Path.GetDirectoryName(typeof(Trap).Assembly.Location)!;
        foreach (var library in libraries)
        {
            var path = Path.Combine(woven, library.FileName);
            var before = new FileInfo(path).Length;
            var readyToRun = IsReadyToRun(path);
            var log = new RecordingLog();
            var result = AssemblyFileWeaver.WeaveFile(path, WeaverConfig.Default, log, new[] { runtime });
            if (log.Errors.Count > 0) throw new InvalidOperationException($"weaving {library} failed: {string.Join("; ", log.Errors)}");
            Json.Line(new
            {
                Prepared = library.AssemblyName,
                Outcome = result.Outcome.ToString(),
                MethodsWoven = result.TrappedMethods,
                SizeBefore = before,
                SizeAfter = new FileInfo(path).Length,
                ReadyToRunBefore = readyToRun,
                WeaveFileMs = result.Elapsed.TotalMilliseconds,
                Warnings = log.Warnings.Count,
            });
        }
        Json.Line(new { Plain = plain, Woven = woven, AssembliesWoven = libraries.Count });
    }

    /// <summary>All corpus assemblies, or only those the named workloads drive (a quick run).</summary>
    static IReadOnlyList<CorpusLibrary> LibrariesToWeave(IReadOnlyList<string> workloads)
    {
        if (workloads.Count == 0) return CorpusLibrary.All;
        using var context = new IsolatedContext("corpus-names", CorpusLibrary.Directory);
        var entry = new Workloads(context.LoadCopy(Path.Combine(CorpusLibrary.Directory, CorpusLibrary.WorkloadAssembly + ".dll")));
        return workloads.SelectMany(entry.Libraries).Distinct().Select(CorpusLibrary.Named).ToArray();
    }

    /// <summary>Whether the package shipped precompiled native code (ReadyToRun), which a Cecil rewrite drops.</summary>
    static bool IsReadyToRun(string path)
    {
        using var reader = new PEReader(File.OpenRead(path));
        return reader.PEHeaders.CorHeader?.ManagedNativeHeaderDirectory.Size > 0;
    }

    static void CopyTree(string from, string to)
    {
        foreach (var directory in System.IO.Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
            System.IO.Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, directory)));
        System.IO.Directory.CreateDirectory(to);
        foreach (var file in System.IO.Directory.GetFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
    }
}
