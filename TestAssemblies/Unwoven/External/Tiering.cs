using System.Runtime.CompilerServices;

namespace External;

/// <summary>Methods the native fallback's tier-up tests call hot (each test has its own: a method's tiers are per process).</summary>
public static class Tiering
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int Hot(int x) => x + 0;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int HotCanary(int x) => x + 0;

    // The flip test's threads call it before its first patch, so it may be optimized by then: a field
    // read keeps that body longer than the 5-byte jump (x + 0 compiles to 3 bytes, refused as too short).
    static int s_flipOffset = 0;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int Flip(int x) => x + s_flipOffset;
}

/// <summary>A virtual method called through its base type (a vtable call), for the flip test.</summary>
public class FlipBase
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public virtual int Flip(int x) => x + 1;
}

public interface IFlip
{
    int Flip(int x);
}

public sealed class FlipDerived : FlipBase, IFlip
{
    // A field read keeps the optimized body longer than the 5-byte jump (x + 0 compiles to 3 bytes).
    int _offset = 0;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public override int Flip(int x) => x + _offset;
}

/// <summary>A method the runtime compiles once, fully optimized, and never versions: it has no precode.</summary>
public static class Unversioned
{
    static int s_offset = 0;

    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    public static int Triple(int x) => x * 3 + s_offset;
}
