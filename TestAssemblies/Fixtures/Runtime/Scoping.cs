using System.Runtime.CompilerServices;

namespace Fixtures.Runtime;

/// <summary>Targets for the flow-scoping rules: who sees a registration.</summary>
public static class Scoping
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int Value() => 0;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int Echo(int x) => x;

    public static string Describe(int x) => "original " + x;

    /// <summary>Patched only by CollectedRegistrationsTests: other classes patch <see cref="Echo"/> process-wide, in parallel with them.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int Held(int x) => x;

    public static int Fib(int n) => n < 2 ? n : Fib(n - 1) + Fib(n - 2);
}
