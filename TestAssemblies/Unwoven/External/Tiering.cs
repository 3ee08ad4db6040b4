using System.Runtime.CompilerServices;

namespace External;

/// <summary>Methods the native fallback's tier-up tests call hot (each test has its own: a method's tiers are per process).</summary>
public static class Tiering
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int Hot(int x) => x + 0;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int HotCanary(int x) => x + 0;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int Flip(int x) => x + 0;
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
    [MethodImpl(MethodImplOptions.NoInlining)]
    public override int Flip(int x) => x + 0;
}
