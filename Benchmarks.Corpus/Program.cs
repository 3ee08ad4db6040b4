using System.IO;

namespace Trapweave.Benchmarks.Corpus;

/// <summary>
/// Command line of the corpus cost benchmark. Every command prints one JSON object per line
/// (machine-readable: build/bench-corpus.sh and Tests/Corpus/CorpusBenchmarkRunnerTests read them).
/// </summary>
public static class Program
{
    const string Usage = """
        Trapweave.Benchmarks.Corpus <command> [options]

          prepare --out <dir> [--workload <name>]...
              Copies the corpus (this tool's Corpus/ folder) to <dir>/plain and <dir>/woven and weaves
              every corpus assembly of the woven copy (or only the libraries of the named workloads) with
              AssemblyFileWeaver.WeaveFile and WeaverConfig.Default. One line per assembly.

          weave-time [--repetitions <n>] [--only <assembly>]...
              Per corpus assembly: median time to read it from bytes, weave it and write it to a
              MemoryStream, against the median of reading and writing it unwoven (Mono.Cecil of
              FodyHelpers, one resolver per assembly, no symbols). Default 5 repetitions after one warm-up.

          run --folder <dir> --workload <name> [--quick] [--warmup-seconds <s>] [--measure-seconds <s>] [--skip-pass-through]
              Runs workload <name> over the copy in <dir> (plain or woven): time to the first result, JIT
              totals at that point, then steady-state iteration times (median, after a warm-up); over a
              woven copy, the same again with a pass-through interceptor on every woven method of the
              workload's libraries, registered before the timed part (unless --skip-pass-through).
        """;

    public static int Main(string[] args)
    {
        // The start of Main, before anything of the corpus is loaded: the in-process half of "time to first result".
        var mainStarted = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            if (args.Length == 0 || args[0] is "-h" or "--help") { Console.WriteLine(Usage); return args.Length == 0 ? 2 : 0; }
            var options = Options.Parse(args.Skip(1).ToArray());
            switch (args[0])
            {
                case "prepare": PrepareCommand.Run(options); return 0;
                case "weave-time": WeaveTimeCommand.Run(options); return 0;
                case "run": return RunCommand.Run(options, mainStarted);
                default: throw new UsageException($"unknown command '{args[0]}'");
            }
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine("error: " + e.Message);
            Console.Error.WriteLine(Usage);
            return 2;
        }
    }
}

public sealed class UsageException(string message) : Exception(message);

/// <summary>"--name value" pairs (a name may repeat) and "--flag" switches.</summary>
public sealed class Options
{
    readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);
    readonly HashSet<string> _flags = new(StringComparer.Ordinal);
    static readonly HashSet<string> Flags = new(StringComparer.Ordinal) { "--quick", "--skip-pass-through" };

    public static Options Parse(string[] args)
    {
        var options = new Options();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (!name.StartsWith("--", StringComparison.Ordinal)) throw new UsageException($"unexpected argument '{name}'");
            if (Flags.Contains(name)) { options._flags.Add(name); continue; }
            if (i + 1 >= args.Length) throw new UsageException($"{name} needs a value");
            if (!options._values.TryGetValue(name, out var list)) options._values[name] = list = new List<string>();
            list.Add(args[++i]);
        }
        return options;
    }

    public bool Has(string flag) => _flags.Contains(flag);

    public IReadOnlyList<string> All(string name) => _values.TryGetValue(name, out var list) ? list : Array.Empty<string>();

    public string Required(string name) => All(name).LastOrDefault() ?? throw new UsageException($"{name} is required");

    public double Number(string name, double fallback)
    {
        var text = All(name).LastOrDefault();
        if (text is null) return fallback;
        return double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value
            : throw new UsageException($"{name} takes a non-negative number, not '{text}'");
    }

    public string Directory(string name) => Path.GetFullPath(Required(name));
}
