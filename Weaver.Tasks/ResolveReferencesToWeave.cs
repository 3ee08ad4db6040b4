using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Trapweave.Fody.Core;

namespace Trapweave.Tasks;

/// <summary>
/// Test-project weaving, step 1: validates the configuration and maps each name in
/// <c>References</c> to the copy-local file that would land in the output, so the targets can
/// weave a copy in obj/ and copy that one instead. The referenced project's own output is never touched.
/// </summary>
public sealed class ResolveReferencesToWeave : Task
{
    public const string NotReferenced = "TRAP005";

    [Required] public string ConfigFile { get; set; } = "";
    public string? WeaverConfiguration { get; set; }
    [Required] public string WovenDirectory { get; set; } = "";
    public ITaskItem[] ReferenceCopyLocalPaths { get; set; } = Array.Empty<ITaskItem>();
    public ITaskItem[] ReferencePaths { get; set; } = Array.Empty<ITaskItem>();
    /// <summary>The project's PackageReference and Reference items: the references TRAP005 names as candidates.</summary>
    public ITaskItem[] PackageReferences { get; set; } = Array.Empty<ITaskItem>();
    public ITaskItem[] ReferenceItems { get; set; } = Array.Empty<ITaskItem>();
    /// <summary>$(IsTestProject): a test project weaving only itself gets TRAP013.</summary>
    public bool IsTestProject { get; set; }
    /// <summary>$(DisableFody) as the project set it.</summary>
    public bool DisableFody { get; set; }
    /// <summary>$(SolutionDir), where Fody looks for a solution-level FodyWeavers.xml.</summary>
    public string? SolutionDirectory { get; set; }

    /// <summary>Assemblies to weave: the source path, with metadata WovenPath (and PdbPath/WovenPdbPath when a PDB goes with it).</summary>
    [Output] public ITaskItem[] ToWeave { get; private set; } = Array.Empty<ITaskItem>();
    /// <summary>Copy-local items to replace (assemblies and their PDBs).</summary>
    [Output] public ITaskItem[] Replaced { get; private set; } = Array.Empty<ITaskItem>();
    /// <summary>The woven replacements, carrying the original items' metadata.</summary>
    [Output] public ITaskItem[] Woven { get; private set; } = Array.Empty<ITaskItem>();
    /// <summary>Whether the project's own assembly is to be woven (Self).</summary>
    [Output] public bool WeaveSelf { get; private set; }
    /// <summary>Whether FodyWeavers.xml enables Trapweave at all.</summary>
    [Output] public bool Configured { get; private set; }
    /// <summary>Whether Fody has nothing to do (Trapweave with Self="false" is the only weaver configured), so its target can be skipped.</summary>
    [Output] public bool SkipFody { get; private set; }
    /// <summary>Whether Include, Exclude or Redirect are set, so the woven assemblies are checked for patterns that match nothing.</summary>
    [Output] public bool HasPatterns { get; private set; }

    public override bool Execute()
    {
        if (!ConfigReader.TryLoad(Log, ConfigFile, WeaverConfiguration, out var config)) return false;
        if (IsTestProject) AdviseTestProject(config);
        if (config is null) return true;
        Configured = true;
        WeaveSelf = config.Self;
        HasPatterns = config.HasPatterns || config.HasRedirectPatterns;
        SkipFody = !DisableFody && FodyWork.IsNone(config, ConfigFile, WeaverConfiguration, SolutionDirectory);
        if (SkipFody) Log.LogMessage(MessageImportance.Normal, "Trapweave: Fody is skipped: the only weaver configured is Trapweave with Self=\"false\", which Trapweave's MSBuild task handles.");

        var toWeave = new List<ITaskItem>();
        var replaced = new List<ITaskItem>();
        var woven = new List<ITaskItem>();
        var (line, column) = config.ReferencesLocation;
        foreach (var name in config.References)
        {
            var assembly = ReferenceCopyLocalPaths.FirstOrDefault(i => IsFile(i, name, ".dll"));
            if (assembly is null)
            {
                var (code, message) = Unresolved(name);
                Log.LogError(null, code, null, ConfigFile, line, column, 0, 0, message);
                continue;
            }
            if (AssemblyChecks.Problem(assembly.ItemSpec, name) is { } problem)
            {
                Log.LogError(null, problem.Code, null, ConfigFile, line, column, 0, 0, problem.Message);
                continue;
            }

            var wovenPath = Path.Combine(WovenDirectory, Path.GetFileName(assembly.ItemSpec));
            var source = new TaskItem(assembly.ItemSpec);
            source.SetMetadata("WovenPath", Path.GetFullPath(wovenPath));
            replaced.Add(assembly);
            woven.Add(WithPath(assembly, wovenPath));

            var pdb = ReferenceCopyLocalPaths.FirstOrDefault(i => IsFile(i, name, ".pdb"));
            if (pdb is not null)
            {
                var wovenPdb = Path.ChangeExtension(wovenPath, ".pdb");
                source.SetMetadata("PdbPath", pdb.ItemSpec);
                source.SetMetadata("WovenPdbPath", Path.GetFullPath(wovenPdb));
                replaced.Add(pdb);
                woven.Add(WithPath(pdb, wovenPdb));
            }
            toWeave.Add(source);
        }

        ToWeave = toWeave.ToArray();
        Replaced = replaced.ToArray();
        Woven = woven.ToArray();
        return !Log.HasLoggedErrors;
    }

    void AdviseTestProject(WeaverConfig? config)
    {
        var inline = !string.IsNullOrWhiteSpace(WeaverConfiguration);
        var advice = TestProjectAdvice.For(config, inline || File.Exists(ConfigFile), DisableFody, OwnReferences.ProjectNames(ReferenceCopyLocalPaths));
        if (advice is { } a)
            Log.LogWarning(null, TestProjectAdvice.Code, null, inline ? "$(WeaverConfiguration)" : ConfigFile, a.Line, a.Column, 0, 0, a.Message);
    }

    /// <summary>Why a name in References has no copy-local file: TRAP006 when the build only sees its reference assembly, else TRAP005.</summary>
    (string Code, string Message) Unresolved(string name)
    {
        var compiledAgainst = ReferencePaths.FirstOrDefault(i => IsFile(i, name, ".dll"));
        if (compiledAgainst is not null)
        {
            var framework = compiledAgainst.GetMetadata("FrameworkReferenceName");
            if (framework.Length > 0)
                return (AssemblyChecks.ReferenceAssembly, $"'{name}' is part of the shared framework {framework}: the build compiles against its reference assembly ({compiledAgainst.ItemSpec}) and the application runs the framework's own copy, so there is no copy to weave. Route calls to its members through traps with Redirect (for example Redirect=\"System.IO.File::*\"), or remove '{name}' from References.");
            if (AssemblyChecks.Problem(compiledAgainst.ItemSpec, name) is { Code: AssemblyChecks.ReferenceAssembly } refAssembly)
                return refAssembly;
            return (NotReferenced, $"'{name}' is referenced but not copied to this project's output (Private=\"false\" or a framework assembly), so there is no copy to weave. Copy it locally (Private=\"true\") or remove '{name}' from References.");
        }
        var own = string.Join(", ", OwnReferences.Names(ReferenceCopyLocalPaths, PackageReferences, ReferenceItems));
        return (NotReferenced, $"'{name}' in References is not referenced by this project. Add a ProjectReference or PackageReference to it, or fix the name (assembly names without .dll; this project's own references: {(own.Length == 0 ? "none" : own)}).");
    }

    static bool IsFile(ITaskItem item, string name, string extension) =>
        HasExtension(item, extension) && string.Equals(Path.GetFileNameWithoutExtension(item.ItemSpec), name, StringComparison.OrdinalIgnoreCase) &&
        string.IsNullOrEmpty(item.GetMetadata("DestinationSubDirectory"));

    static bool HasExtension(ITaskItem item, string extension) =>
        string.Equals(Path.GetExtension(item.ItemSpec), extension, StringComparison.OrdinalIgnoreCase);

    static ITaskItem WithPath(ITaskItem original, string path)
    {
        var item = new TaskItem(Path.GetFullPath(path));
        original.CopyMetadataTo(item);
        return item;
    }
}
