using System.IO;
using System.Xml.Linq;

namespace Trapweave.Tests.EndToEnd.Support;

/// <summary>One test result of a TRX file (VSTest's <c>--logger trx</c>), whatever the framework.</summary>
public sealed record TrxResult(string Name, string Outcome, string Output, string Message)
{
    public bool Passed => Outcome == "Passed";

    public override string ToString() => $"{Name}: {Outcome}{(Message.Length > 0 ? " (" + Message.Trim() + ")" : "")}";
}

/// <summary>Reads the results of a <c>dotnet test --logger "trx;LogFileName=..."</c> run.</summary>
public static class TrxResults
{
    static readonly XNamespace Ns = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";

    /// <summary>The results in the file, by test name (a test case's name carries its arguments).</summary>
    public static IReadOnlyDictionary<string, TrxResult> Read(string path, ProcessResult run)
    {
        Assert.True(File.Exists(path), $"no test results at {path}: " + run);
        return XDocument.Load(path).Descendants(Ns + "UnitTestResult")
            .Select(r => new TrxResult(
                (string)r.Attribute("testName"),
                (string)r.Attribute("outcome"),
                (string)r.Element(Ns + "Output")?.Element(Ns + "StdOut") ?? "",
                (string)r.Element(Ns + "Output")?.Element(Ns + "ErrorInfo")?.Element(Ns + "Message") ?? ""))
            .ToDictionary(r => r.Name, StringComparer.Ordinal);
    }

    /// <summary>Every expected test ran (no more, no fewer) and passed.</summary>
    public static void AssertAllPassed(IReadOnlyDictionary<string, TrxResult> results, IEnumerable<string> expected, ProcessResult run)
    {
        Assert.True(new SortedSet<string>(expected, StringComparer.Ordinal).SetEquals(results.Keys),
            $"tests that ran: {string.Join(", ", results.Keys.Order(StringComparer.Ordinal))}; expected: {string.Join(", ", expected.Order(StringComparer.Ordinal))}");
        var failed = results.Values.Where(r => !r.Passed).ToArray();
        Assert.True(failed.Length == 0, "failed: " + string.Join("; ", failed.Select(f => f.ToString())) + Environment.NewLine + run);
    }
}
