using System.Runtime.CompilerServices;

namespace Fixtures;

/// <summary>
/// Methods on either side of the weaver's inlining hint (InliningHint: at most 16 bytes of IL before
/// weaving, in an optimized module: the Fixtures.Optimized build of this file gets it, the Debug one not).
/// </summary>
public static class InliningShapes
{
    public static int Tiny(int x) => x + 1;

    public static int Property => 42;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int TinyNoInlining(int x) => x + 1;

    public static void Fail() => throw new System.InvalidOperationException("tiny");

    public static int TinyWithFinally(int x)
    {
        try { return x; }
        finally { x++; }
    }

    public static int Larger(int n)
    {
        var sum = 0;
        for (var i = 0; i < n; i++) sum += i * i;
        return sum;
    }

    /// <summary>Compiled fully optimized on its first call (no tier 0), so <see cref="Tiny"/> is inlined into it at once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int SumOfTiny(int n)
    {
        var sum = 0;
        for (var i = 0; i < n; i++) sum += Tiny(i);
        return sum;
    }
}
