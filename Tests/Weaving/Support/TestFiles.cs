using System.IO;
using System.Text.RegularExpressions;

namespace Trapweave.Tests.Weaving.Support;

/// <summary>Where the weaving fixtures are: copied beside the test assembly by the project references.</summary>
public static class TestFiles
{
    public static string OutputDirectory => AppContext.BaseDirectory;

    /// <summary>The directory of the Trapweave runtime the tests run against: the search directory that makes weaving resolve it.</summary>
    public static string RuntimeDirectory => Path.GetDirectoryName(typeof(Trap).Assembly.Location)!;

    public static string InOutput(string relative)
    {
        var path = Path.Combine(OutputDirectory, relative);
        Assert.True(File.Exists(path), $"Test fixture missing: {path}");
        return path;
    }

    public static string DebugInfo => InOutput("Trapweave.DebugInfo.dll");
    public static string DebugInfoPdb => InOutput("Trapweave.DebugInfo.pdb");
    public static string DebugInfoEmbedded => InOutput("Trapweave.DebugInfo.Embedded.dll");
    public static string StrongNamed => InOutput("Trapweave.StrongNamed.dll");
    public static string TestKey => InOutput(Path.Combine("WeavingFixtures", "TestKey.snk"));
    public static string NewtonsoftJson => InOutput(Path.Combine("WeavingFixtures", "Newtonsoft.Json", "Newtonsoft.Json.dll"));

    /// <summary>
    /// The lines marked <c>// line:NAME</c> in a fixture source file, by NAME (1-based line numbers).
    /// </summary>
    public static Dictionary<string, int> MarkedLines(string sourceFile)
    {
        var lines = File.ReadAllLines(sourceFile);
        var marks = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Length; i++)
        {
            var m = Regex.Match(lines[i], @"// line:(\S+)");
            if (m.Success) marks[m.Groups[1].Value] = i + 1;
        }
        return marks;
    }
}
