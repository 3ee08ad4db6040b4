using Mono.Cecil;

namespace Trapweave.Fody.Core;

/// <summary>Where weaving reports go: Fody's logger or the MSBuild task's.</summary>
public interface IWeaverLog
{
    void Info(string message);
    void Warning(string message, MethodDefinition? method = null);
    void Error(string message, MethodDefinition? method = null);
}
