using System.ComponentModel;

namespace Trapweave.Testing;

/// <summary>Build for runtimes before .NET 8: Trapweave.Fody's targets add no test-scope sources to such builds.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class TestScopes
{
    public static TrapScope Begin(string name, TrapScope? parent = null) => throw UnsupportedRuntime.Exception("TestScopes.Begin");
    public static TrapScope BeginTest(string name, TrapScope? parent = null) => throw UnsupportedRuntime.Exception("TestScopes.BeginTest");
    public static void Enter(TrapScope scope) => throw UnsupportedRuntime.Exception("TestScopes.Enter");
    public static string? End(TrapScope scope) => throw UnsupportedRuntime.Exception("TestScopes.End");
    public static bool HasEnded(TrapScope scope) => throw UnsupportedRuntime.Exception("TestScopes.HasEnded");
}
