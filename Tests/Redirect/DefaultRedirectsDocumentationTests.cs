using System.IO;
using Trapweave.Fody.Redirect;
using Trapweave.Tests.Weaving;

namespace Trapweave.Tests.Redirect;

/// <summary>README's "Default redirect set" table is <see cref="DefaultRedirects.Entries"/>, row for row.</summary>
public class DefaultRedirectsDocumentationTests
{
    const string Heading = "## Default redirect set";

    /// <summary>The table as README shows it: one row per entry, in the list's order.</summary>
    public static string GeneratedTable() =>
        string.Join("\n", new[] { "| pattern | covers |", "| --- | --- |" }
            .Concat(DefaultRedirects.Entries.Select(e => $"| `{e.Pattern}` | {e.Covers} |")));

    [Fact]
    public void README_table_is_the_default_set()
    {
        var readme = Path.Combine(WovenCodeSnapshotTests.RepoRoot(), "README.md");
        var table = TableOf(File.ReadAllLines(readme), readme);
        var expected = GeneratedTable();
        Assert.True(table == expected,
            $"{readme}: the table under '{Heading}' {(table is null ? "is missing" : "differs from Weaver/Redirect/DefaultRedirects.cs")}. Write this one there:\n\n{expected}\n");
    }

    [Fact]
    public void The_generated_table_has_a_row_per_entry_and_no_empty_cell()
    {
        var rows = GeneratedTable().Split('\n').Skip(2).ToList();
        Assert.Equal(DefaultRedirects.Entries.Count, rows.Count);
        Assert.Equal(DefaultRedirects.Entries.Count, DefaultRedirects.Entries.Select(e => e.Pattern).Distinct(StringComparer.Ordinal).Count());
        Assert.All(DefaultRedirects.Entries, e =>
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Covers), e.Pattern);
            // A '|' would split the row into more cells.
            Assert.DoesNotContain("|", e.Pattern + e.Covers);
        });
    }

    /// <summary>The first table (consecutive lines starting with '|') in README's section, lines joined by '\n'; null when the section has none.</summary>
    static string TableOf(string[] lines, string path)
    {
        var start = Array.FindIndex(lines, l => l.TrimEnd() == Heading);
        Assert.True(start >= 0, $"{path} has no '{Heading}' section.");
        var end = Array.FindIndex(lines, start + 1, l => l.StartsWith("## ", StringComparison.Ordinal));
        if (end < 0) end = lines.Length;
        var first = Array.FindIndex(lines, start + 1, end - start - 1, l => l.StartsWith("|", StringComparison.Ordinal));
        if (first < 0) return null;
        var table = lines.Skip(first).TakeWhile(l => l.StartsWith("|", StringComparison.Ordinal)).Select(l => l.TrimEnd());
        return string.Join("\n", table);
    }
}
