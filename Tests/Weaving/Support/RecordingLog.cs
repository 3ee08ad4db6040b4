using Mono.Cecil;
using Trapweave.Fody.Core;

namespace Trapweave.Tests.Weaving.Support;

/// <summary>An <see cref="IWeaverLog"/> that keeps every message for assertions.</summary>
public sealed class RecordingLog : IWeaverLog
{
    readonly object _gate = new();
    public List<string> Infos { get; } = new();
    public List<string> Warnings { get; } = new();
    public List<string> Errors { get; } = new();

    public void Info(string message) { lock (_gate) Infos.Add(message); }
    public void Warning(string message, MethodDefinition method = null) { lock (_gate) Warnings.Add(method is null ? message : message + " [" + method.FullName + "]"); }
    public void Error(string message, MethodDefinition method = null) { lock (_gate) Errors.Add(method is null ? message : message + " [" + method.FullName + "]"); }

    public override string ToString() =>
        string.Join(Environment.NewLine, Infos.Select(m => "info: " + m).Concat(Warnings.Select(m => "warning: " + m)).Concat(Errors.Select(m => "error: " + m)));
}
