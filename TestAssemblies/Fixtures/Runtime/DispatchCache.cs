using System.Runtime.CompilerServices;

namespace Fixtures.Runtime;

/// <summary>Targets for the dispatch answers each thread remembers (DispatchThread.TryHot): when they go stale.</summary>
public static class DispatchCache
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int Echo(int x) => x;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int Shared(int x) => x;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int Global(int x) => x;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static T Identity<T>(T value) => value;

    /// <summary>More methods than a thread remembers answers for: some share an entry.</summary>
    public static readonly System.Func<int>[] Numbered = { N00, N01, N02, N03, N04, N05, N06, N07, N08, N09, N10, N11, N12, N13, N14, N15, N16, N17, N18, N19 };

    [MethodImpl(MethodImplOptions.NoInlining)] public static int N00() => 0;
    [MethodImpl(MethodImplOptions.NoInlining)] public static int N01() => 1;
    [MethodImpl(MethodImplOptions.NoInlining)] public static int N02() => 2;
    [MethodImpl(MethodImplOptions.NoInlining)] public static int N03() => 3;
    [MethodImpl(MethodImplOptions.NoInlining)] public static int N04() => 4;
    [MethodImpl(MethodImplOptions.NoInlining)] public static int N05() => 5;
    [MethodImpl(MethodImplOptions.NoInlining)] public static int N06() => 6;
    [MethodImpl(MethodImplOptions.NoInlining)] public static int N07() => 7;
    [MethodImpl(MethodImplOptions.NoInlining)] public static int N08() => 8;
    [MethodImpl(MethodImplOptions.NoInlining)] public static int N09() => 9;
    [MethodImpl(MethodImplOptions.NoInlining)] public static int N10() => 10;
    [MethodImpl(MethodImplOptions.NoInlining)] public static int N11() => 11;
    [MethodImpl(MethodImplOptions.NoInlining)] public static int N12() => 12;
    [MethodImpl(MethodImplOptions.NoInlining)] public static int N13() => 13;
    [MethodImpl(MethodImplOptions.NoInlining)] public static int N14() => 14;
    [MethodImpl(MethodImplOptions.NoInlining)] public static int N15() => 15;
    [MethodImpl(MethodImplOptions.NoInlining)] public static int N16() => 16;
    [MethodImpl(MethodImplOptions.NoInlining)] public static int N17() => 17;
    [MethodImpl(MethodImplOptions.NoInlining)] public static int N18() => 18;
    [MethodImpl(MethodImplOptions.NoInlining)] public static int N19() => 19;
}
