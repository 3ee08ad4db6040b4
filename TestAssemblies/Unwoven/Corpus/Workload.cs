using System;
using System.Collections.Generic;
using System.Linq;

namespace Trapweave.Corpus;

/// <summary>
/// The workloads' entry points, called by reflection from a test or a benchmark that loaded this
/// assembly beside one copy of the corpus (woven or not). They take and return CoreLib types only,
/// so the caller needs no reference to any package. Every result is a deterministic rendering: the
/// same text for the same library behaviour, whatever the clock, culture or machine.
/// </summary>
public static class Workload
{
    static readonly (string Name, string[] Libraries, Action<Results> Run)[] All =
    {
        ("Json", new[] { "Newtonsoft.Json" }, JsonWorkload.Run),
        ("Humanizer", new[] { "Humanizer" }, HumanizerWorkload.Run),
        ("Dapper", new[] { "Dapper", "Microsoft.Data.Sqlite", "SQLitePCLRaw.core", "SQLitePCLRaw.provider.e_sqlite3", "SQLitePCLRaw.batteries_v2" }, DapperWorkload.Run),
        ("Polly", new[] { "Polly.Core" }, PollyWorkload.Run),
        ("AutoMapper", new[] { "AutoMapper" }, AutoMapperWorkload.Run),
        ("Markdig", new[] { "Markdig" }, MarkdigWorkload.Run),
        ("Yaml", new[] { "YamlDotNet" }, YamlWorkload.Run),
        ("Jint", new[] { "Jint", "Acornima" }, JintWorkload.Run),
        ("Serilog", new[] { "Serilog" }, SerilogWorkload.Run),
        ("DependencyInjection", new[] { "Microsoft.Extensions.DependencyInjection", "Microsoft.Extensions.DependencyInjection.Abstractions" }, DependencyInjectionWorkload.Run),
    };

    public static IReadOnlyList<string> Names => All.Select(w => w.Name).ToArray();

    /// <summary>The corpus assemblies (simple names) the workload drives.</summary>
    public static IReadOnlyList<string> Libraries(string name) => Find(name).Libraries;

    /// <summary>Runs the workload: its results by name.</summary>
    public static SortedDictionary<string, string> Run(string name)
    {
        var results = new Results();
        Find(name).Run(results);
        return results.All;
    }

    static (string Name, string[] Libraries, Action<Results> Run) Find(string name) =>
        All.FirstOrDefault(w => w.Name == name) is { Name: not null } found ? found : throw new ArgumentException($"No workload '{name}'; there are: {string.Join(", ", Names)}");
}

/// <summary>A workload's results by name; an exception a step throws is its result (type and message).</summary>
public sealed class Results
{
    public SortedDictionary<string, string> All { get; } = new(StringComparer.Ordinal);

    public void Add(string name, Func<object> step)
    {
        if (All.ContainsKey(name)) throw new InvalidOperationException("two results named " + name);
        string text;
        try { text = Render(step()); }
        catch (Exception e) { text = "threw " + e.GetType().FullName + ": " + e.Message; }
        All.Add(name, text);
    }

    static string Render(object value) => value switch
    {
        null => "null",
        string s => s,
        System.Collections.IEnumerable e => "[" + string.Join(", ", e.Cast<object>().Select(Render)) + "]",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
