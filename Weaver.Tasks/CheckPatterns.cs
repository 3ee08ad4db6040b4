using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Mono.Cecil;
using Trapweave.Fody.Core;
using Trapweave.Fody.Redirect;

namespace Trapweave.Tasks;

/// <summary>
/// Warns (<c>FodyWeavers.xml(line,col): warning TRAP012</c>) about each Include/Exclude pattern that
/// matches no method in the assemblies woven with it, and (TRAP014) about each Redirect pattern that
/// matches no member of another assembly they call: the own assembly (whether Fody or the task
/// wove it) and the References, together. Runs after the compiler, on whatever route wove them;
/// method names and the members called are the same before and after weaving.
/// </summary>
public sealed class CheckPatterns : Task
{
    [Required] public string ConfigFile { get; set; } = "";
    public string? WeaverConfiguration { get; set; }
    /// <summary>The assemblies woven with this configuration.</summary>
    public ITaskItem[] Assemblies { get; set; } = Array.Empty<ITaskItem>();

    public override bool Execute()
    {
        if (!ConfigReader.TryLoad(Log, ConfigFile, WeaverConfiguration, out var config) || config is null || !(config.HasPatterns || config.HasRedirectPatterns)) return !Log.HasLoggedErrors;
        var modules = new List<ModuleDefinition>();
        try
        {
            foreach (var path in Assemblies.Select(a => a.ItemSpec).Where(File.Exists).Distinct(StringComparer.OrdinalIgnoreCase))
            {
                try { modules.Add(ModuleDefinition.ReadModule(path, new ReaderParameters(ReadingMode.Deferred))); }
                catch (BadImageFormatException e) { Log.LogMessage(MessageImportance.Low, $"Trapweave: {path} not checked against Include/Exclude/Redirect: {e.Message}"); }
            }
            var file = string.IsNullOrWhiteSpace(WeaverConfiguration) ? ConfigFile : "$(WeaverConfiguration)";
            foreach (var unmatched in PatternCheck.Unmatched(config, modules))
                Log.LogWarning(null, PatternCheck.Code, null, file, unmatched.Line, unmatched.Column, 0, 0, unmatched.Message);
            foreach (var unmatched in RedirectPatternCheck.Unmatched(config, modules))
                Log.LogWarning(null, RedirectPatternCheck.Code, null, file, unmatched.Line, unmatched.Column, 0, 0, unmatched.Message);
        }
        finally
        {
            foreach (var module in modules) module.Dispose();
        }
        return !Log.HasLoggedErrors;
    }
}
