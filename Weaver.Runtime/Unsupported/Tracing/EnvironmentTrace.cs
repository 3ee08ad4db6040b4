using System.ComponentModel;

namespace Trapweave.Tracing;

/// <summary>Build for runtimes before .NET 8: nothing is woven for them, so nothing calls this; it does nothing.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class EnvironmentTrace
{
    public static void Initialize(string assemblyName, bool traceFromEnvironment) { }
}
