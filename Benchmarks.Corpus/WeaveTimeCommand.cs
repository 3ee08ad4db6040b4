using System.Diagnostics;
using System.IO;
using Mono.Cecil;
using Trapweave.Fody.Core;
using Trapweave.Tests.Corpus.Support;
using Trapweave.Tests.Weaving.Support;

namespace Trapweave.Benchmarks.Corpus;

/// <summary>
/// Weave time per corpus assembly, in memory: read from bytes, weave with <see cref="WeaverConfig.Default"/>,
/// write to a MemoryStream; against the same read and write with nothing woven (the floor any Cecil
/// rewrite pays). Stopwatch medians over the repetitions, the two alternating, after one untimed
/// round of each. No disk I/O and no symbols on either side (WeaveFile, in prepare, adds both).
/// </summary>
public static class WeaveTimeCommand
{
    public static void Run(Options options)
    {
        var repetitions = (int)options.Number("--repetitions", 5);
        if (repetitions < 1) throw new UsageException("--repetitions takes at least 1");
        var only = options.All("--only");
        var runtime = Path.GetDirectoryName(typeof(Trap).Assembly.Location)!;
        foreach (var library in CorpusLibrary.All.Where(l => only.Count == 0 || only.Contains(l.AssemblyName)))
        {
            var input = File.ReadAllBytes(Path.Combine(CorpusLibrary.Directory, library.FileName));
            // One resolver per assembly, shared by its repetitions (as Fody shares one per build).
            using var resolver = new WeavingAssemblyResolver(new[] { CorpusLibrary.Directory, runtime });
            var readWrite = new List<double>();
            var weave = new List<double>();
            var (trapped, size) = Weave(input, resolver);
            ReadWrite(input, resolver);
            for (var i = 0; i < repetitions; i++)
            {
                var watch = Stopwatch.StartNew();
                ReadWrite(input, resolver);
                readWrite.Add(watch.Elapsed.TotalMilliseconds);
                watch.Restart();
                Weave(input, resolver);
                weave.Add(watch.Elapsed.TotalMilliseconds);
            }
            Json.Line(new
            {
                Assembly = library.AssemblyName,
                MethodsWoven = trapped,
                SizeBefore = input.Length,
                SizeWrittenWithoutSymbols = size,
                Repetitions = repetitions,
                ReadWriteMs = Median(readWrite),
                WeaveMs = Median(weave),
                WeaveMsMax = weave.Max(),
            });
        }
    }

    static long ReadWrite(byte[] input, IAssemblyResolver resolver)
    {
        using var module = Read(input, resolver);
        return Write(module);
    }

    static (int Trapped, long Size) Weave(byte[] input, IAssemblyResolver resolver)
    {
        using var module = Read(input, resolver);
        var log = new RecordingLog();
        var weaver = new TrapWeaver(WeaverConfig.Default, log);
        weaver.Weave(module);
        if (log.Errors.Count > 0) throw new InvalidOperationException($"weaving {module.Name} failed: {string.Join("; ", log.Errors)}");
        return (weaver.TrappedCount, Write(module));
    }

    static ModuleDefinition Read(byte[] input, IAssemblyResolver resolver) =>
        ModuleDefinition.ReadModule(new MemoryStream(input, writable: false), new ReaderParameters { AssemblyResolver = resolver });

    static long Write(ModuleDefinition module)
    {
        using var output = new MemoryStream();
        module.Write(output, new WriterParameters { DeterministicMvid = true });
        return output.Length;
    }

    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
