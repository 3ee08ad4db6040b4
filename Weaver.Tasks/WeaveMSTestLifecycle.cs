using System;
using System.IO;
using System.Linq;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Trapweave.Fody.Core;
using Trapweave.Fody.Testing;

namespace Trapweave.Tasks;

/// <summary>
/// Gives an MSTest test assembly's [ClassInitialize] and [AssemblyInitialize] methods their level's
/// Trap scope (<see cref="MSTestLifecycleWeaver"/>), in obj/ right after the compiler ran, before Fody
/// or the own-assembly weave. A failure leaves the assembly as the compiler wrote it and writes
/// <see cref="FailureMarker"/>, which the targets add to the compiler's inputs, so the next build
/// compiles and tries again instead of running tests without the scopes.
/// </summary>
public sealed class WeaveMSTestLifecycle : Task
{
    [Required] public string AssemblyPath { get; set; } = "";
    public string? KeyFile { get; set; }
    public ITaskItem[] ReferencePaths { get; set; } = Array.Empty<ITaskItem>();
    public string? FailureMarker { get; set; }

    public override bool Execute()
    {
        var log = new TaskLog(Log);
        try
        {
            var changed = 0;
            var searchDirectories = ReferencePaths.Select(r => Path.GetDirectoryName(r.ItemSpec)!).Distinct();
            var key = string.IsNullOrWhiteSpace(KeyFile) ? null : KeyFile;
            AssemblyFileWeaver.RewriteFile(AssemblyPath, log, searchDirectories, key, module => (changed = MSTestLifecycleWeaver.Weave(module, log)) > 0);
            if (changed > 0) Log.LogMessage(MessageImportance.Normal, $"Trapweave: {changed} MSTest class and assembly lifecycle methods of {Path.GetFileName(AssemblyPath)} open their level's scope.");
        }
        catch (WeavingError e)
        {
            Log.LogError(null, TaskLog.WeaveError, null, AssemblyPath, 0, 0, 0, 0, e.Message);
        }
        Marker(!Log.HasLoggedErrors);
        return !Log.HasLoggedErrors;
    }

    void Marker(bool ok)
    {
        if (string.IsNullOrEmpty(FailureMarker)) return;
        try
        {
            if (ok) { if (File.Exists(FailureMarker)) File.Delete(FailureMarker); }
            else
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(FailureMarker))!);
                File.WriteAllText(FailureMarker, $"Giving {AssemblyPath} its MSTest lifecycle scopes failed; the next build compiles it again.{Environment.NewLine}");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.LogWarning($"Trapweave: could not update '{FailureMarker}' ({e.Message}); delete {AssemblyPath} so that the next build compiles it again.");
        }
    }
}
