using System.Collections.Generic;
using System.IO;
using Mono.Cecil;
using Trapweave.Fody.Core;

namespace Trapweave.Cli;

/// <summary>
/// The weaver's messages for one assembly: kept (the tool prints one line per assembly), and
/// written out as they come with <c>--verbose</c>.
/// </summary>
sealed class CollectingWeaverLog : IWeaverLog
{
    readonly TextWriter? _verbose;

    public CollectingWeaverLog(TextWriter? verbose) => _verbose = verbose;

    public List<string> Warnings { get; } = new();
    public List<string> Errors { get; } = new();

    public void Info(string message) => _verbose?.WriteLine("    " + message);

    public void Warning(string message, MethodDefinition? method = null)
    {
        var text = method is null ? message : $"{method.FullName}: {message}";
        Warnings.Add(text);
        _verbose?.WriteLine("    warning: " + text);
    }

    public void Error(string message, MethodDefinition? method = null)
    {
        var text = method is null ? message : $"{method.FullName}: {message}";
        Errors.Add(text);
        _verbose?.WriteLine("    error: " + text);
    }
}
