using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Mono.Cecil;
using Trapweave.Fody.Core;

namespace Trapweave.Cli;

/// <summary>
/// What <c>trapweave weave</c> was pointed at: an app folder (its <c>*.deps.json</c> says which
/// assemblies are the app's) or one assembly file; and which of its assemblies are woven, and why
/// the others are not.
/// </summary>
sealed class WeaveTarget
{
    WeaveTarget(string folder, DepsFile? deps, IReadOnlyList<AssemblyCandidate> candidates, bool isFolder)
    {
        Folder = folder;
        Deps = deps;
        Candidates = candidates;
        IsFolder = isFolder;
    }

    /// <summary>The folder the backup and the runtime go into.</summary>
    public string Folder { get; }
    /// <summary>The app's deps.json, where the runtime must be entered; null for a lone assembly no deps.json lists.</summary>
    public DepsFile? Deps { get; }
    public IReadOnlyList<AssemblyCandidate> Candidates { get; }
    public bool IsFolder { get; }

    public IEnumerable<AssemblyCandidate> Selected => Candidates.Where(c => c.IsSelected);

    public static WeaveTarget Resolve(string input, WeaverConfig config, bool includeGiven)
    {
        var path = Path.GetFullPath(input);
        if (Directory.Exists(path)) return ForFolder(path, config, includeGiven);
        if (File.Exists(path)) return ForFile(path, config);
        throw new CliError($"'{path}' does not exist. Give a folder holding a built app (dotnet publish output) or an assembly file.");
    }

    /// <summary>
    /// The app's own code: the runtime assets of the deps.json's <c>project</c> libraries; with
    /// <c>--include</c> also its <c>package</c> libraries that have a selected method. Never the
    /// framework (runtime packs, the shared framework), Trapweave itself, resources or native assets.
    /// </summary>
    static WeaveTarget ForFolder(string folder, WeaverConfig config, bool includeGiven)
    {
        var deps = FindAppDeps(folder);
        var candidates = new List<AssemblyCandidate>();
        foreach (var library in deps.Libraries())
        {
            if (library.Type is not ("project" or "package")) continue;
            foreach (var asset in library.RuntimeAssets)
            {
                if (!asset.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) && !asset.EndsWith(".exe", StringComparison.OrdinalIgnoreCase)) continue;
                var file = LocateAsset(folder, asset);
                if (file is null)
                {
                    candidates.Add(new AssemblyCandidate(Path.Combine(folder, Path.GetFileName(asset)), "listed in the deps.json but not in the folder"));
                    continue;
                }
                if (library.Name.Equals(RuntimeReferences.RuntimeAssemblyName, StringComparison.OrdinalIgnoreCase) || library.Name.StartsWith("Trapweave.", StringComparison.OrdinalIgnoreCase))
                {
                    candidates.Add(new AssemblyCandidate(file, "Trapweave itself"));
                    continue;
                }
                var reason = library.Type == "package" && !includeGiven
                    ? $"a package ({library.Name} {library.Version}); an --include pattern naming its code weaves it"
                    : SkipReason(file, config);
                candidates.Add(new AssemblyCandidate(file, reason));
            }
        }
        return new WeaveTarget(folder, deps, candidates, isFolder: true);
    }

    static WeaveTarget ForFile(string file, WeaverConfig config)
    {
        var folder = Path.GetDirectoryName(file)!;
        if (!IsAssemblyFile(file))
            throw new CliError($"'{file}' is not a .NET assembly: it is not a PE image with CLI metadata. Give a .dll built by .NET, or the app folder.");
        var reason = SkipReason(file, config);
        if (reason is not null && reason != AlreadyWoven)
            throw new CliError($"'{file}' cannot be woven: {reason}.");
        // The deps.json of the app this file belongs to, if one in its folder lists it: the runtime goes in there too.
        var deps = Directory.EnumerateFiles(folder, "*.deps.json").Select(DepsFile.Read).FirstOrDefault(d => d.ListsRuntimeFile(Path.GetFileName(file)));
        return new WeaveTarget(folder, deps, new[] { new AssemblyCandidate(file, reason) }, isFolder: false);
    }

    public const string AlreadyWoven = "already woven";

    /// <summary>Why this assembly file is not woven, or null when it is.</summary>
    static string? SkipReason(string file, WeaverConfig config)
    {
        if (!IsAssemblyFile(file)) return "not a .NET assembly";
        var problem = Trapweave.Tasks.AssemblyChecks.Problem(file, Path.GetFileName(file));
        if (problem is { Code: Trapweave.Tasks.AssemblyChecks.ReferenceAssembly }) return "a reference assembly (no method bodies)";
        if (problem is { Code: Trapweave.Tasks.AssemblyChecks.MixedMode }) return "a mixed-mode assembly (native code), which cannot be rewritten";
        using var module = ModuleDefinition.ReadModule(file, new ReaderParameters(ReadingMode.Deferred));
        if (module.Assembly.Name.Name == RuntimeReferences.RuntimeAssemblyName) return "Trapweave itself";
        if (TrapTableBuilder.IsPresent(module)) return AlreadyWoven;
        if (module.Assembly.HasAttribute(CecilExtensions.NoTrapAttribute)) return "marked [assembly: NoTrap]";
        var selector = new MethodSelector(config);
        if (!module.GetTypes().Any(t => selector.SkipType(t) is null && t.Methods.Any(m => selector.Skip(m) is null)))
            return "no method selected by --include/--exclude";
        return null;
    }

    /// <summary>A published folder holds package assets by file name; a build output may keep the asset path.</summary>
    static string? LocateAsset(string folder, string asset)
    {
        var atPath = Path.Combine(folder, asset.Replace('/', Path.DirectorySeparatorChar));
        if (File.Exists(atPath)) return atPath;
        var byName = Path.Combine(folder, Path.GetFileName(asset));
        return File.Exists(byName) ? byName : null;
    }

    /// <summary>
    /// The app's deps.json: the one beside an app's runtimeconfig.json of the same name (a folder
    /// may also hold libraries' deps.json files), else the only one.
    /// </summary>
    static DepsFile FindAppDeps(string folder)
    {
        var all = Directory.EnumerateFiles(folder, "*.deps.json").OrderBy(p => p, StringComparer.Ordinal).ToArray();
        if (all.Length == 0)
            throw new CliError($"'{folder}' is not a .NET app folder: it has no *.deps.json (dotnet build and dotnet publish write one beside the app). To weave one assembly, give the file's path.");
        var apps = all.Where(p => File.Exists(p.Substring(0, p.Length - ".deps.json".Length) + ".runtimeconfig.json")).ToArray();
        var chosen = apps.Length == 1 ? apps[0] : all.Length == 1 ? all[0] : null;
        if (chosen is null)
            throw new CliError($"'{folder}' holds more than one app ({string.Join(", ", (apps.Length > 0 ? apps : all).Select(Path.GetFileName))}): weave their assemblies one by one, giving each file's path.");
        return DepsFile.Read(chosen);
    }

    /// <summary>Whether the file is a PE image with CLI metadata (not a native library, not some other file).</summary>
    static bool IsAssemblyFile(string file)
    {
        try
        {
            using var stream = File.OpenRead(file);
            using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
            return pe.HasMetadata;
        }
        catch (BadImageFormatException) { return false; }
        catch (IOException) { return false; }
    }
}
