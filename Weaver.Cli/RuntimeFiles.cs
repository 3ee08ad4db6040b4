using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;

namespace Trapweave.Cli;

/// <summary>
/// The Trapweave runtime the tool carries (the <c>Trapweave.dll</c> it runs on itself, so the same
/// build as its weaver) and the assemblies that runtime needs from beside it (Iced, for the native
/// fallback): what a woven app must have next to it.
/// </summary>
static class RuntimeFiles
{
    public const string RuntimeFileName = "Trapweave.dll";

    public sealed record File(string Path, string Name, string AssemblyVersion, string FileVersion)
    {
        public string FileName => System.IO.Path.GetFileName(Path);
    }

    /// <summary>The runtime first, then its dependencies found beside it (framework assemblies are not).</summary>
    public static IReadOnlyList<File> Shipped()
    {
        var runtime = typeof(Trapweave.Trap).Assembly;
        var directory = System.IO.Path.GetDirectoryName(runtime.Location)!;
        var files = new List<File> { Describe(runtime.Location) };
        foreach (var reference in runtime.GetReferencedAssemblies())
        {
            var candidate = System.IO.Path.Combine(directory, reference.Name + ".dll");
            if (System.IO.File.Exists(candidate)) files.Add(Describe(candidate));
        }
        return files;
    }

    static File Describe(string path)
    {
        var name = AssemblyName.GetAssemblyName(path);
        var fileVersion = FileVersionInfo.GetVersionInfo(path).FileVersion ?? name.Version?.ToString() ?? "0.0.0.0";
        return new File(path, name.Name!, name.Version?.ToString() ?? "0.0.0.0", fileVersion);
    }

    /// <summary>The version a deps.json names the runtime's library by: the informational version (the package version), else the assembly version.</summary>
    public static string LibraryVersion(File file)
    {
        var info = FileVersionInfo.GetVersionInfo(file.Path).ProductVersion;
        if (string.IsNullOrEmpty(info)) return file.AssemblyVersion;
        var plus = info!.IndexOf('+');
        return plus < 0 ? info : info.Substring(0, plus);
    }
}
