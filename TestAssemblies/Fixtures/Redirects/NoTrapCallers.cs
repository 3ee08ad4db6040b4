using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using External;
using Trapweave;

namespace Fixtures.Redirects;

/// <summary>
/// Compiler-generated code of [NoTrap] members (state machines, lambdas, local functions,
/// iterators) belongs to them: its call sites are not redirected either.
/// </summary>
public static class NoTrapCallers
{
    [NoTrap]
    public static async Task<int> AsyncMethod(int a)
    {
        await Task.Yield();
        return Library.Add(a, 1);
    }

    [NoTrap]
    public static int Lambda(int a)
    {
        Func<int, int> f = x => Library.Add(x, a);
        return f(1);
    }

    [NoTrap]
    public static int LocalFunction(int a)
    {
        return Local(1);
        int Local(int x) => Library.Add(x, a);
    }

    [NoTrap]
    public static IEnumerable<int> Iterator(int a)
    {
        yield return Library.Add(a, 1);
    }

    // The same shapes in a member that is woven: redirected.
    public static async Task<int> WovenAsyncMethod(int a)
    {
        await Task.Yield();
        return Library.Add(a, 1);
    }

    public static IEnumerable<int> WovenIterator(int a)
    {
        yield return Library.Add(a, 1);
    }

    public static int WovenLocalFunction(int a)
    {
        return Local(1);
        int Local(int x) => Library.Add(x, a);
    }
}

/// <summary>A [NoTrap] type: nothing in it is redirected, field initialisers included.</summary>
[NoTrap]
public sealed class NoTrapType
{
    public readonly int Field = Library.Add(1, 1);
    public static int Method() => Library.Add(1, 1);
}
