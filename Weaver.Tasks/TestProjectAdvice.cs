using System.Collections.Generic;
using System.IO;
using Trapweave.Fody.Core;

namespace Trapweave.Tasks;

/// <summary>
/// A test project that would weave only its own assembly while it references the projects under
/// test: almost always the default &lt;Trapweave /&gt; (written by hand, or created by Fody when there
/// was no FodyWeavers.xml), where References="..." Self="false" was meant.
/// </summary>
internal static class TestProjectAdvice
{
    public const string Code = "TRAP013";

    /// <summary>The warning to give (position in the config file, message), or null when the configuration is deliberate or fine.</summary>
    public static (int Line, int Column, string Message)? For(WeaverConfig? config, bool configFileExists, bool fodyDisabled, IReadOnlyList<string> referencedProjects)
    {
        if (referencedProjects.Count == 0) return null;
        var names = string.Join(";", referencedProjects);
        var fix = $"<Trapweave References=\"{names}\" Self=\"false\" />";
        if (config is null)
        {
            if (configFileExists) return null; // FodyWeavers.xml without Trapweave: not enabled on purpose.
            var outcome = fodyDisabled
                ? "nothing is woven (DisableFody=true and no configuration)"
                : "Fody creates one with <Trapweave />, which weaves this test project's own assembly, not the code under test";
            return (0, 0, $"This test project has no FodyWeavers.xml, so {outcome}. To weave the copies of the referenced projects in this project's output, create FodyWeavers.xml with <Weavers>{fix}</Weavers>.");
        }
        if (config.References.Count > 0 || config.SelfIsExplicit) return null;
        var (line, column) = config.ElementLocation;
        return (line, column, $"<Trapweave /> in a test project weaves the test assembly itself, not the code under test ({string.Join(", ", referencedProjects)}). To weave the copies of the referenced projects in this project's output, write {fix}; to weave this project only, write Self=\"true\".");
    }
}
