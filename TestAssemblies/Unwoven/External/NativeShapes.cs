using System.Runtime.CompilerServices;

namespace External;

/// <summary>A struct returned through a hidden buffer (32 bytes).</summary>
public struct Big
{
    public long A, B, C, D;
    public Big(long seed) { A = seed; B = seed + 1; C = seed + 2; D = seed + 3; }
}

/// <summary>Calling-convention corners for the native fallback: hidden return buffers, value receivers, by-reference parameters.</summary>
public sealed class NativeShapes
{
    public long Offset = 100;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public Big MakeBig(long seed) => new(seed + Offset);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Big MakeBigStatic(long seed) => new(seed);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool TryDouble(int x, out int doubled)
    {
        doubled = x * 2;
        return x >= 0;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Swap(ref int a, ref int b) => (a, b) = (b, a);

    /// <summary>Generic: its code may be shared by instantiations, so it is not patched natively (no woven code calls it).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static T Identity<T>(T value) => value;
}

/// <summary>A value type whose instance method changes it: the receiver arrives by reference.</summary>
public struct Tally
{
    public int Count;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public int Next() => ++Count;
}
