using System;
using System.IO;
using System.Linq;
using Trapweave.Fody.Core;

namespace Trapweave.Tasks;

/// <summary>
/// Whether Fody would have nothing to do: the only weaver configured anywhere Fody looks is
/// Trapweave, with Self="false" (Trapweave's task weaves the references; Fody would only load the
/// add-in to be told not to weave). Fody reads, and merges by element name, the solution-level
/// FodyWeavers.xml ($(SolutionDir), or the project folder's parent when that is undefined), the
/// project's FodyWeavers.xml and $(WeaverConfiguration).
/// </summary>
internal static class FodyWork
{
    public static bool IsNone(WeaverConfig config, string projectConfigFile, string? inlineXml, string? solutionDirectory)
    {
        if (config.Self) return false;
        try
        {
            var sources = new[]
            {
                WeaverConfigFile.WeaverNames(SolutionConfigFile(projectConfigFile, solutionDirectory)),
                WeaverConfigFile.WeaverNames(projectConfigFile),
                string.IsNullOrWhiteSpace(inlineXml) ? null : WeaverConfigFile.WeaverNames(null, inlineXml),
            };
            return sources.Where(s => s is not null).SelectMany(s => s!).All(name => name == WeaverConfigFile.ElementName);
        }
        catch (ConfigException)
        {
            // A file Fody reads is broken: let Fody report it.
            return false;
        }
    }

    static string? SolutionConfigFile(string projectConfigFile, string? solutionDirectory)
    {
        var directory = !string.IsNullOrEmpty(solutionDirectory) && solutionDirectory != "*Undefined*"
            ? solutionDirectory
            : Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(projectConfigFile)));
        if (directory is null) return null;
        var path = Path.GetFullPath(Path.Combine(directory, "FodyWeavers.xml"));
        return string.Equals(path, Path.GetFullPath(projectConfigFile), StringComparison.OrdinalIgnoreCase) ? null : path;
    }
}
