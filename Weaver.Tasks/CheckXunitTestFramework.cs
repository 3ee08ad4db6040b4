using System;
using System.IO;
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
            foreach (var (name, line, column) in XunitTestFrameworkDeclarations.Find(File.ReadAllText(path)))
                Log.LogError(null, OwnTestFramework, null, source.ItemSpec, line, column, 0, 0,
                    $"This project declares its own xunit [assembly: {name}]. {Fix}");
        }
        return !Log.HasLoggedErrors;
    }

    const string Fix =
        "Trapweave's per-test scopes need that attribute for their own test framework (xunit reads only one). " +
        "Remove yours, or keep it and set <TrapweaveTestScopes>false</TrapweaveTestScopes> in the project " +
        "(then registrations made in async setup hooks do not reach the test).";
}
