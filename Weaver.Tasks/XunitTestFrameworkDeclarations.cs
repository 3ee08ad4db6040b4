using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace Trapweave.Tasks;

/// <summary>Where a C# source declares an xunit <c>[assembly: TestFramework]</c> (xunit v2 and v3 spell it alike).</summary>
public static class XunitTestFrameworkDeclarations
{
    // An assembly-level attribute list on one line that names TestFramework; a line commented out with // never matches.
    static readonly Regex AssemblyTestFramework = new(
        @"^[ \t]*\[[ \t]*assembly[ \t]*:[^\]\r\n]*?\b(?<name>(global::)?(Xunit\.(v3\.)?)?TestFramework(Attribute)?)\b[ \t]*[(\],]",
        RegexOptions.Multiline | RegexOptions.CultureInvariant);

    /// <summary>The attribute name as written, with its 1-based line and column, for each declaration in <paramref name="text"/>.</summary>
    public static IEnumerable<(string Name, int Line, int Column)> Find(string text)
    {
        if (text.IndexOf("TestFramework", StringComparison.Ordinal) < 0) yield break;
        foreach (Match match in AssemblyTestFramework.Matches(text))
        {
            var at = match.Groups["name"].Index;
            var lineStart = at == 0 ? 0 : text.LastIndexOf('\n', at - 1) + 1;
            yield return (match.Groups["name"].Value, 1 + CountNewlines(text, lineStart), 1 + at - lineStart);
        }
    }

    static int CountNewlines(string text, int end)
    {
        var count = 0;
        for (var i = 0; i < end; i++) if (text[i] == '\n') count++;
        return count;
    }
}
