using System.ComponentModel;

namespace Trapweave.Testing;

/// <summary>.NET Framework build: Trapweave.Fody's targets add no test-scope sources to .NET Framework builds.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class TestScopes
{
    public static TrapScope Begin(string name, TrapScope? parent = null) => throw NetFrameworkUnsupported.Exception("TestScopes.Begin");
    public static void Enter(TrapScope scope) => throw NetFrameworkUnsupported.Exception("TestScopes.Enter");
    public static string? End(TrapScope scope) => throw NetFrameworkUnsupported.Exception("TestScopes.End");
}
