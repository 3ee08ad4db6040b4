using System;
using System.IO;
using System.Text.RegularExpressions;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Trapweave.Tasks;

/// <summary>
/// Per-test scopes for xunit select Trapweave's test framework with <c>[assembly: TestFramework]</c>,
/// and xunit reads only one. Before that attribute is added, this finds the project's own (in a C#
/// source file, or an <c>AssemblyAttribute</c> item as some packages add it) and reports TRAP020 at
/// its file and line, naming the opt-out, instead of the compiler's duplicate-attribute error.
/// </summary>
public sealed class CheckXunitTestFramework : Task
{
    public const string OwnTestFramework = "TRAP020";

    // An assembly-level attribute list on one line that names TestFramework (xunit v2 and v3 spell it alike).
    static readonly Regex AssemblyTestFramework = new(
        @"^[ \t]*\[[ \t]*assembly[ \t]*:[^\]\r\n]*?\b(?<name>(global::)?(Xunit\.(v3\.)?)?TestFramework(Attribute)?)\b[ \t]*[(\],]",
        RegexOptions.Multiline | RegexOptions.CultureInvariant);

    public ITaskItem[] SourceFiles { get; set; } = Array.Empty<ITaskItem>();
    public ITaskItem[] AssemblyAttributes { get; set; } = Array.Empty<ITaskItem>();
    [Required] public string ProjectFile { get; set; } = "";

    public override bool Execute()
    {
        foreach (var attribute in AssemblyAttributes)
        {
            if (attribute.ItemSpec is "Xunit.TestFrameworkAttribute" or "Xunit.TestFramework" or "Xunit.v3.TestFrameworkAttribute")
                Log.LogError(null, OwnTestFramework, null, ProjectFile, 0, 0, 0, 0,
                    $"An <AssemblyAttribute Include=\"{attribute.ItemSpec}\"> item adds an xunit [assembly: TestFramework] ({attribute.GetMetadata("_Parameter1")}). {Fix}");
        }
        foreach (var source in SourceFiles)
        {
            var path = source.GetMetadata("FullPath");
            if (!path.EndsWith(".cs", StringComparison.OrdinalIgnoreCase) || !File.Exists(path)) continue;
            var text = File.ReadAllText(path);
            if (text.IndexOf("TestFramework", StringComparison.Ordinal) < 0) continue;
            foreach (Match match in AssemblyTestFramework.Matches(text))
            {
                var at = match.Groups["name"].Index;
                var line = 1 + CountNewlines(text, at);
                var column = at - text.LastIndexOf('\n', Math.Max(0, at - 1));
                Log.LogError(null, OwnTestFramework, null, source.ItemSpec, line, column, 0, 0,
                    $"This project declares its own xunit [assembly: {match.Groups["name"].Value}]. {Fix}");
            }
        }
        return !Log.HasLoggedErrors;
    }

    const string Fix =
        "Trapweave's per-test scopes need that attribute for their own test framework (xunit reads only one). " +
        "Remove yours, or keep it and set <TrapweaveTestScopes>false</TrapweaveTestScopes> in the project " +
        "(then registrations made in async setup hooks do not reach the test).";

    static int CountNewlines(string text, int end)
    {
        var count = 0;
        for (var i = 0; i < end; i++) if (text[i] == '\n') count++;
        return count;
    }
}
