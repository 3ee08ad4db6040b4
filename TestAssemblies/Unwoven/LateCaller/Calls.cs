using System;
using System.Threading.Tasks;
using External;

namespace LateCaller;

/// <summary>Calls to redirected members (the framework's clock, an External static) from an assembly loaded late.</summary>
public static class Calls
{
    public static DateTime Now() => DateTime.Now;

    public static async Task<DateTime> NowAfterYield()
    {
        await Task.Yield();
        return DateTime.Now;
    }

    public static int Add(int a, int b) => Library.Add(a, b);
}

/// <summary>A signature naming External's types: a copy of LateCaller loaded with its own copy of External sees those.</summary>
public static class Signatures
{
    public static Pair Swap(Pair pair) => new(pair.B, pair.A);

    public static Store Keep(Store store) => store;
}
