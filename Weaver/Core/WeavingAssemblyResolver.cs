using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Mono.Cecil;

namespace Trapweave.Fody.Core;

/// <summary>
/// Resolves a woven module's references in the given directories only, then in the running .NET's
/// shared frameworks. Cecil would also look through the trusted assemblies of whatever process is
/// weaving (MSBuild, a test host), which could make the woven module bind to the weaver's own copy
/// of an assembly, such as the Trapweave runtime, rather than the one shipped beside it.
/// </summary>
public sealed class WeavingAssemblyResolver : DefaultAssemblyResolver
{
    readonly string? _sharedFrameworks;

    public WeavingAssemblyResolver(IEnumerable<string> directories)
    {
        // The defaults ("." and "bin") depend on the current directory: search only where asked.
        foreach (var directory in GetSearchDirectories()) RemoveSearchDirectory(directory);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var directory in directories)
        {
            if (string.IsNullOrWhiteSpace(directory)) continue;
            var full = Path.GetFullPath(directory);
            if (Directory.Exists(full) && seen.Add(full)) AddSearchDirectory(full);
        }

        // <dotnet>/shared/Microsoft.NETCore.App/<version>/System.Private.CoreLib.dll -> <dotnet>/shared
        var framework = Path.GetDirectoryName(typeof(object).Assembly.Location);
        _sharedFrameworks = framework is null ? null : Path.GetDirectoryName(Path.GetDirectoryName(framework));
    }

    public override AssemblyDefinition Resolve(AssemblyNameReference name, ReaderParameters parameters)
    {
        var assembly = base.Resolve(name, parameters);
        if (IsAllowed(assembly.MainModule.FileName)) return assembly;
        assembly.Dispose();
        throw new AssemblyResolutionException(name);
    }

    bool IsAllowed(string? file)
    {
        if (string.IsNullOrEmpty(file)) return true; // not from a file: a ResolveFailure handler's answer
        var directory = Path.GetDirectoryName(Path.GetFullPath(file));
        if (GetSearchDirectories().Any(d => string.Equals(d, directory, StringComparison.Ordinal))) return true;
        return _sharedFrameworks is not null && directory!.StartsWith(_sharedFrameworks + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }
}
