using System;
using System.Runtime.CompilerServices;

namespace External;

/// <summary>
/// Callees and their callers for <c>Trap.Explain</c>'s account of inlining (Tests/Native/ExplainNativeTests.cs):
/// only their IL is read, nothing calls them.
/// </summary>
public static class Inlining
{
    /// <summary>More than 1,024 bytes of IL: the JIT never inlines it (without [AggressiveInlining]).</summary>
    public static int Large(int x)
    {
        x = x * 31 + 0;
        x = x * 31 + 1;
        x = x * 31 + 2;
        x = x * 31 + 3;
        x = x * 31 + 4;
        x = x * 31 + 5;
        x = x * 31 + 6;
        x = x * 31 + 7;
        x = x * 31 + 8;
        x = x * 31 + 9;
        x = x * 31 + 10;
        x = x * 31 + 11;
        x = x * 31 + 12;
        x = x * 31 + 13;
        x = x * 31 + 14;
        x = x * 31 + 15;
        x = x * 31 + 16;
        x = x * 31 + 17;
        x = x * 31 + 18;
        x = x * 31 + 19;
        x = x * 31 + 20;
        x = x * 31 + 21;
        x = x * 31 + 22;
        x = x * 31 + 23;
        x = x * 31 + 24;
        x = x * 31 + 25;
        x = x * 31 + 26;
        x = x * 31 + 27;
        x = x * 31 + 28;
        x = x * 31 + 29;
        x = x * 31 + 30;
        x = x * 31 + 31;
        x = x * 31 + 32;
        x = x * 31 + 33;
        x = x * 31 + 34;
        x = x * 31 + 35;
        x = x * 31 + 36;
        x = x * 31 + 37;
        x = x * 31 + 38;
        x = x * 31 + 39;
        x = x * 31 + 40;
        x = x * 31 + 41;
        x = x * 31 + 42;
        x = x * 31 + 43;
        x = x * 31 + 44;
        x = x * 31 + 45;
        x = x * 31 + 46;
        x = x * 31 + 47;
        x = x * 31 + 48;
        x = x * 31 + 49;
        x = x * 31 + 50;
        x = x * 31 + 51;
        x = x * 31 + 52;
        x = x * 31 + 53;
        x = x * 31 + 54;
        x = x * 31 + 55;
        x = x * 31 + 56;
        x = x * 31 + 57;
        x = x * 31 + 58;
        x = x * 31 + 59;
        x = x * 31 + 60;
        x = x * 31 + 61;
        x = x * 31 + 62;
        x = x * 31 + 63;
        x = x * 31 + 64;
        x = x * 31 + 65;
        x = x * 31 + 66;
        x = x * 31 + 67;
        x = x * 31 + 68;
        x = x * 31 + 69;
        x = x * 31 + 70;
        x = x * 31 + 71;
        x = x * 31 + 72;
        x = x * 31 + 73;
        x = x * 31 + 74;
        x = x * 31 + 75;
        x = x * 31 + 76;
        x = x * 31 + 77;
        x = x * 31 + 78;
        x = x * 31 + 79;
        x = x * 31 + 80;
        x = x * 31 + 81;
        x = x * 31 + 82;
        x = x * 31 + 83;
        x = x * 31 + 84;
        x = x * 31 + 85;
        x = x * 31 + 86;
        x = x * 31 + 87;
        x = x * 31 + 88;
        x = x * 31 + 89;
        x = x * 31 + 90;
        x = x * 31 + 91;
        x = x * 31 + 92;
        x = x * 31 + 93;
        x = x * 31 + 94;
        x = x * 31 + 95;
        x = x * 31 + 96;
        x = x * 31 + 97;
        x = x * 31 + 98;
        x = x * 31 + 99;
        x = x * 31 + 0;
        x = x * 31 + 1;
        x = x * 31 + 2;
        x = x * 31 + 3;
        x = x * 31 + 4;
        x = x * 31 + 5;
        x = x * 31 + 6;
        x = x * 31 + 7;
        x = x * 31 + 8;
        x = x * 31 + 9;
        x = x * 31 + 10;
        x = x * 31 + 11;
        x = x * 31 + 12;
        x = x * 31 + 13;
        x = x * 31 + 14;
        x = x * 31 + 15;
        x = x * 31 + 16;
        x = x * 31 + 17;
        x = x * 31 + 18;
        x = x * 31 + 19;
        x = x * 31 + 20;
        x = x * 31 + 21;
        x = x * 31 + 22;
        x = x * 31 + 23;
        x = x * 31 + 24;
        x = x * 31 + 25;
        x = x * 31 + 26;
        x = x * 31 + 27;
        x = x * 31 + 28;
        x = x * 31 + 29;
        x = x * 31 + 30;
        x = x * 31 + 31;
        x = x * 31 + 32;
        x = x * 31 + 33;
        x = x * 31 + 34;
        x = x * 31 + 35;
        x = x * 31 + 36;
        x = x * 31 + 37;
        x = x * 31 + 38;
        x = x * 31 + 39;
        x = x * 31 + 40;
        x = x * 31 + 41;
        x = x * 31 + 42;
        x = x * 31 + 43;
        x = x * 31 + 44;
        x = x * 31 + 45;
        x = x * 31 + 46;
        x = x * 31 + 47;
        x = x * 31 + 48;
        x = x * 31 + 49;
        x = x * 31 + 50;
        x = x * 31 + 51;
        x = x * 31 + 52;
        x = x * 31 + 53;
        x = x * 31 + 54;
        x = x * 31 + 55;
        x = x * 31 + 56;
        x = x * 31 + 57;
        x = x * 31 + 58;
        x = x * 31 + 59;
        x = x * 31 + 60;
        x = x * 31 + 61;
        x = x * 31 + 62;
        x = x * 31 + 63;
        x = x * 31 + 64;
        x = x * 31 + 65;
        x = x * 31 + 66;
        x = x * 31 + 67;
        x = x * 31 + 68;
        x = x * 31 + 69;
        return x;
    }

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
