using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.Build.Framework;
using Trapweave.Fody.Core;

namespace Trapweave.Tasks;

/// <summary>
/// The copy-local assemblies that come from the project's own reference items, named in messages
/// as what References could list: ProjectReference outputs (the SDK adds transitive project
/// references to these items too), the assemblies of packages the project file lists in
/// PackageReference (not implicit ones), and &lt;Reference&gt; items. Left out are assemblies that
/// arrive only through other packages' dependencies (the ~20 test-platform and xunit assemblies a
/// test project gets from Microsoft.NET.Test.Sdk and xunit), and the Trapweave runtime, which is never woven.
/// </summary>
internal static class OwnReferences
{
    public static IReadOnlyList<string> Names(IEnumerable<ITaskItem> copyLocal, IEnumerable<ITaskItem> packageReferences, IEnumerable<ITaskItem> referenceItems)
    {
        var packages = new HashSet<string>(
            packageReferences.Where(p => !string.Equals(p.GetMetadata("IsImplicitlyDefined"), "true", StringComparison.OrdinalIgnoreCase)).Select(p => p.ItemSpec),
            StringComparer.OrdinalIgnoreCase);
        // The SDK turns package compile assets into Reference items too (ExternallyResolved, with NuGetPackageId): not the project's own.
        var references = new HashSet<string>(
            referenceItems.Where(r => r.GetMetadata("NuGetPackageId").Length == 0 && !string.Equals(r.GetMetadata("ExternallyResolved"), "true", StringComparison.OrdinalIgnoreCase)).Select(ReferenceName),
            StringComparer.OrdinalIgnoreCase);

        return copyLocal
            .Where(i => string.Equals(Path.GetExtension(i.ItemSpec), ".dll", StringComparison.OrdinalIgnoreCase) && string.IsNullOrEmpty(i.GetMetadata("DestinationSubDirectory")))
            .Where(i => string.Equals(i.GetMetadata("ReferenceSourceTarget"), "ProjectReference", StringComparison.OrdinalIgnoreCase)
                        || packages.Contains(i.GetMetadata("NuGetPackageId"))
                        || references.Contains(Path.GetFileNameWithoutExtension(i.ItemSpec)))
            .Select(i => Path.GetFileNameWithoutExtension(i.ItemSpec))
            .Where(n => !string.Equals(n, RuntimeReferences.RuntimeAssemblyName, StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .OrderBy(n => n, StringComparer.OrdinalIgnoreCase)
            .ToArray();
    }

    /// <summary>The referenced projects' assembly names, as References wants them.</summary>
    public static IReadOnlyList<string> ProjectNames(IEnumerable<ITaskItem> copyLocal) =>
        copyLocal
            .Where(i => string.Equals(Path.GetExtension(i.ItemSpec), ".dll", StringComparison.OrdinalIgnoreCase) && string.IsNullOrEmpty(i.GetMetadata("DestinationSubDirectory")))
            .Where(i => string.Equals(i.GetMetadata("ReferenceSourceTarget"), "ProjectReference", StringComparison.OrdinalIgnoreCase))
            .Select(i => Path.GetFileNameWithoutExtension(i.ItemSpec))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .OrderBy(n => n, StringComparer.OrdinalIgnoreCase)
            .ToArray();

    /// <summary><c>Include="Name, Version=..."</c> or a HintPath: the assembly's simple name.</summary>
    static string ReferenceName(ITaskItem item)
    {
        var hint = item.GetMetadata("HintPath");
        return hint.Length > 0 ? Path.GetFileNameWithoutExtension(hint) : item.ItemSpec.Split(',')[0].Trim();
    }
}
