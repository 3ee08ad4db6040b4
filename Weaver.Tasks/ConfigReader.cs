using Microsoft.Build.Utilities;
using Trapweave.Fody.Core;

namespace Trapweave.Tasks;

/// <summary>Loads the &lt;Trapweave&gt; configuration, reporting bad input as <c>file(line,col): error TRAPxxx</c>.</summary>
internal static class ConfigReader
{
    /// <summary>False when an error was logged; <paramref name="config"/> is null when Trapweave is not configured.</summary>
    public static bool TryLoad(TaskLoggingHelper log, string configFile, string? inlineXml, out WeaverConfig? config)
    {
        try
        {
            config = WeaverConfigFile.Load(configFile, inlineXml);
            return true;
        }
        catch (ConfigException e)
        {
            var file = string.IsNullOrWhiteSpace(inlineXml) ? configFile : "$(WeaverConfiguration)";
            log.LogError(null, e.Code, null, file, e.Line, e.Column, 0, 0, e.Message);
            config = null;
            return false;
        }
    }
}
