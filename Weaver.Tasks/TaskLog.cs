using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Mono.Cecil;
using Trapweave.Fody.Core;

namespace Trapweave.Tasks;

/// <summary>Weaver reports as MSBuild messages, warnings and errors, located at the method's source line when known.</summary>
internal sealed class TaskLog : IWeaverLog
{
    /// <summary>Code of a method left untrapped (weaving goes on).</summary>
    public const string MethodWarning = "TRAP009";
    /// <summary>Code of a weaving failure.</summary>
    public const string WeaveError = "TRAP008";

    readonly TaskLoggingHelper _log;

    public TaskLog(TaskLoggingHelper log) => _log = log;

    public void Info(string message) => _log.LogMessage(MessageImportance.Normal, message);

    public void Warning(string message, MethodDefinition? method = null)
    {
        var (file, line, column) = Where(method);
        _log.LogWarning(null, MethodWarning, null, file, line, column, 0, 0, message);
    }

    public void Error(string message, MethodDefinition? method = null)
    {
        var (file, line, column) = Where(method);
        _log.LogError(null, WeaveError, null, file, line, column, 0, 0, message);
    }

    static (string? File, int Line, int Column) Where(MethodDefinition? method) =>
        method?.FirstSequencePoint() is { } point ? (point.Document.Url, point.StartLine, point.StartColumn) : (null, 0, 0);
}
