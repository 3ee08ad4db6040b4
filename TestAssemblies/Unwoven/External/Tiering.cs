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
