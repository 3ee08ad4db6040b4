using System;
using System.Runtime.CompilerServices;

namespace External;

/// <summary>
/// Callees and their callers for <c>Trap.Explain</c>'s account of inlining (Tests/Native/ExplainNativeTests.cs):
/// only their IL is read, nothing calls them.
/// </summary>
public static class Inlining
{
    /// <summary>Small, so the JIT may inline it. Called directly by <see cref="Twice"/>, <see cref="Hidden"/> and <see cref="GenericHidden{T}"/>.</summary>
    public static int Small(int x) => x + 1;

    public static int Twice(int x) => Small(x) * 2;

    internal static int Hidden(int x) => Small(x) + 3;

    /// <summary>Reaches <see cref="Small"/> only through a non-public member.</summary>
    public static int ThroughHidden(int x) => Hidden(x) - 3;

    internal static int GenericHidden<T>(T value) => Small(value is null ? 0 : 1);

    /// <summary>Calls a generic non-public member (a MethodSpec token) that calls <see cref="Small"/>.</summary>
    public static int ThroughGeneric(int x) => GenericHidden(x.ToString());

    /// <summary>Tiny (below the JIT's always-inline size), called by two fully optimized methods only.</summary>
    public static int Tiny(int x) => x + 1;

    /// <summary>Compiled optimized at its first call, so it inlines <see cref="Tiny"/>: called before a patch, it keeps the original.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int CallsTinyOptimized(int x) => Tiny(x);

    /// <summary>The same, first called after a patch: the patched member's no-inline flag makes it call <see cref="Tiny"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int CallsTinyOptimizedLater(int x) => Tiny(x);

    /// <summary>Called only by <see cref="Deep3"/>, which a public member reaches through three levels of non-public ones.</summary>
    public static int Deep(int x) => x - 1;

    internal static int Deep3(int x) => Deep(x) + 1;

    internal static int Deep2(int x) => Deep3(x) + 1;

    internal static int Deep1(int x) => Deep2(x) + 1;

    public static int ThroughThree(int x) => Deep1(x);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int NeverInlined(int x) => x + 2;

    public static int CallsNeverInlined(int x) => NeverInlined(x);

    /// <summary>Small, with a finally handler: inlined from .NET 10 on, never before.</summary>
    public static int Finally(int[] counter)
    {
        try { return counter.Length; }
        finally { counter[0]++; }
    }

    /// <summary>Small, but with a catch handler, which the JIT never inlines.</summary>
    public static int Guarded(string text)
    {
        try { return int.Parse(text); }
        catch (FormatException) { return -1; }
    }
}
