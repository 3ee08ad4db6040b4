using System;
using System.IO;
using System.Linq;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Trapweave.Fody.Core;

namespace Trapweave.Tasks;

/// <summary>
/// Test-project weaving, step 2: copies each referenced assembly (and PDB) into obj/ and weaves the copy.
/// </summary>
public sealed class WeaveReferences : Task
{
    [Required] public ITaskItem[] Sources { get; set; } = Array.Empty<ITaskItem>();
    [Required] public string ConfigFile { get; set; } = "";
    public string? WeaverConfiguration { get; set; }
    public ITaskItem[] ReferencePaths { get; set; } = Array.Empty<ITaskItem>();

    public override bool Execute()
    {
        if (!ConfigReader.TryLoad(Log, ConfigFile, WeaverConfiguration, out var config) || config is null) return !Log.HasLoggedErrors;
        var searchDirectories = ReferencePaths.Select(r => Path.GetDirectoryName(r.ItemSpec)!).Distinct().ToArray();
        var log = new TaskLog(Log);
        foreach (var source in Sources)
        {
            var wovenPath = source.GetMetadata("WovenPath");
            var pdb = source.GetMetadata("PdbPath");
            var wovenPdb = source.GetMetadata("WovenPdbPath");
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(wovenPath)!);
                File.Copy(source.ItemSpec, wovenPath, overwrite: true);
                if (pdb.Length > 0) File.Copy(pdb, wovenPdb, overwrite: true);
                var result = AssemblyFileWeaver.WeaveFile(wovenPath, config, log, searchDirectories);
                Log.LogMessage(MessageImportance.High, $"Trapweave: {Path.GetFileName(source.ItemSpec)} -> {wovenPath} ({result.Summary})");
            }
            catch (WeavingError e)
            {
                // No half-woven copy may stay behind to be mistaken for an up-to-date output.
                TryDelete(wovenPath);
                TryDelete(wovenPdb);
                Log.LogError(null, TaskLog.WeaveError, null, source.ItemSpec, 0, 0, 0, 0, e.Message);
            }
        }
        return !Log.HasLoggedErrors;
    }

    static void TryDelete(string path)
    {
        if (path.Length == 0) return;
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
