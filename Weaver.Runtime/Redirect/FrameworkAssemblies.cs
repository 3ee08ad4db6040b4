using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Text.Json;

namespace Trapweave.Internal;

/// <summary>
/// Whether a loaded assembly is part of .NET itself. A framework-dependent process loads .NET from
/// <c>&lt;dotnet&gt;/shared/&lt;framework&gt;/&lt;version&gt;/</c>; a self-contained one has it in the
/// app's own directory, beside the app's assemblies, where only the app's deps.json tells them
/// apart: .NET's files are the assets of its libraries of type <c>runtimepack</c>.
/// </summary>
internal static class FrameworkAssemblies
{
    static readonly string CoreLibDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location) ?? "";

    /// <summary><c>&lt;dotnet&gt;/shared</c> when .NET runs from a shared framework; else null (self-contained).</summary>
    static readonly string? SharedRoot = SharedRootOf(CoreLibDirectory);

    static readonly Lazy<HashSet<string>> SelfContainedFiles = new(() => RuntimePackFilesOf(AppDepsFiles()));

    public static bool Contains(Assembly assembly)
    {
        if (assembly == typeof(object).Assembly) return true;
        var location = assembly.IsDynamic ? "" : assembly.Location;
        if (location.Length == 0) return false;
        if (SharedRoot is not null) return location.StartsWith(SharedRoot + Path.DirectorySeparatorChar, StringComparison.Ordinal);
        return string.Equals(Path.GetDirectoryName(location), CoreLibDirectory, StringComparison.Ordinal) &&
               SelfContainedFiles.Value.Contains(Path.GetFileName(location));
    }

    /// <summary><c>&lt;dotnet&gt;/shared/Microsoft.NETCore.App/&lt;version&gt;</c> gives <c>&lt;dotnet&gt;/shared</c>; any other directory null.</summary>
    internal static string? SharedRootOf(string coreLibDirectory)
    {
        var framework = Path.GetDirectoryName(coreLibDirectory);
        if (framework is null || Path.GetFileName(framework) != "Microsoft.NETCore.App") return null;
        return Path.GetDirectoryName(framework);
    }

    /// <summary>The file names of the runtime packs' assets in the given deps.json texts (unreadable ones add nothing).</summary>
    internal static HashSet<string> RuntimePackFilesOf(IEnumerable<string> depsJsonTexts)
    {
        var files = new HashSet<string>(StringComparer.Ordinal);
        foreach (var text in depsJsonTexts)
        {
            try
            {
                using var deps = JsonDocument.Parse(text);
                var root = deps.RootElement;
                if (!root.TryGetProperty("libraries", out var libraries) || !root.TryGetProperty("targets", out var targets)) continue;
                foreach (var target in targets.EnumerateObject())
                foreach (var library in target.Value.EnumerateObject())
                {
                    if (!libraries.TryGetProperty(library.Name, out var info) ||
                        !info.TryGetProperty("type", out var type) || type.GetString() != "runtimepack") continue;
                    if (!library.Value.TryGetProperty("runtime", out var runtime)) continue;
                    foreach (var asset in runtime.EnumerateObject()) files.Add(Path.GetFileName(asset.Name));
                }
            }
            catch (JsonException)
            {
                // Not the host's deps.json: it names no framework file.
            }
        }
        return files;
    }

    static IEnumerable<string> AppDepsFiles()
    {
        // The host's list of the deps.json files it read, ';'-separated.
        var list = AppContext.GetData("APP_CONTEXT_DEPS_FILES") as string ?? "";
        foreach (var path in list.Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries))
        {
            string text;
            try { text = File.ReadAllText(path); }
            catch (IOException) { continue; }
            catch (UnauthorizedAccessException) { continue; }
            yield return text;
        }
    }
}
