using System;
using System.IO;
using System.Linq;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Trapweave.Fody.Core;

namespace Trapweave.Tasks;

/// <summary>
/// Weaves the project's own assembly in obj/ right after the compiler ran, for projects that do
/// not run Fody (<c>DisableFody=true</c>). The later copy to bin/ then copies the woven file.
/// A failed weave leaves the compiler's assembly and PDB as they were and writes
/// <see cref="FailureMarker"/>, which the targets add to the compiler's inputs: the next build
/// compiles and weaves again instead of finding the unwoven assembly up to date.
/// </summary>
public sealed class WeaveOwnAssembly : Task
{
    [Required] public string AssemblyPath { get; set; } = "";
    [Required] public string ConfigFile { get; set; } = "";
    public string? WeaverConfiguration { get; set; }
    public string? KeyFile { get; set; }
    public ITaskItem[] ReferencePaths { get; set; } = Array.Empty<ITaskItem>();
    /// <summary>A file written when weaving fails and deleted when it succeeds (or is not asked for).</summary>
    public string? FailureMarker { get; set; }

    public override bool Execute()
    {
        var ok = Weave();
        if (ok) DeleteMarker();
        else WriteMarker();
        return ok;
    }

    bool Weave()
    {
        if (!ConfigReader.TryLoad(Log, ConfigFile, WeaverConfiguration, out var config)) return false;
        if (config is null || !config.Self) return true;
        var name = Path.GetFileNameWithoutExtension(AssemblyPath);
        if (AssemblyChecks.Problem(AssemblyPath, name) is { } problem)
        {
            Log.LogError(null, problem.Code, null, ConfigFile, 0, 0, 0, 0, problem.Message);
            return false;
        }
        try
        {
            var searchDirectories = ReferencePaths.Select(r => Path.GetDirectoryName(r.ItemSpec)!).Distinct();
            var key = string.IsNullOrWhiteSpace(KeyFile) ? null : KeyFile;
            var result = AssemblyFileWeaver.WeaveFile(AssemblyPath, config, new TaskLog(Log), searchDirectories, key);
            Log.LogMessage(MessageImportance.High, $"Trapweave: wove {Path.GetFileName(AssemblyPath)} ({result.Summary})");
        }
        catch (WeavingError e)
        {
            Log.LogError(null, TaskLog.WeaveError, null, AssemblyPath, 0, 0, 0, 0, e.Message);
        }
        return !Log.HasLoggedErrors;
    }

    void WriteMarker()
    {
        if (string.IsNullOrEmpty(FailureMarker)) return;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(FailureMarker))!);
            File.WriteAllText(FailureMarker, $"Weaving {AssemblyPath} failed; the next build compiles and weaves it again.{Environment.NewLine}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.LogWarning($"Trapweave: could not write '{FailureMarker}' ({e.Message}); delete {AssemblyPath} so that the next build weaves it again.");
        }
    }

    void DeleteMarker()
    {
        if (string.IsNullOrEmpty(FailureMarker) || !File.Exists(FailureMarker)) return;
        try { File.Delete(FailureMarker); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { Log.LogMessage(MessageImportance.Low, $"Trapweave: could not delete '{FailureMarker}': {e.Message}"); }
    }
}
