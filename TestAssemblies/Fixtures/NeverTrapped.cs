using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using Trapweave;

namespace Fixtures;

public class NeverTrapped
{
    public static int StaticCtorRuns;

    static NeverTrapped() => StaticCtorRuns++;

    ~NeverTrapped()
    {
    }

    public Func<int, int> Lambda() => x => x + 1;

    public int UsesLocalFunction(int x)
    {
        return Local(x);
        int Local(int y) => y + x;
    }

    public IEnumerable<int> Iterator()
    {
        yield return 1;
    }

    public async System.Threading.Tasks.Task<int> AsyncMethod()
    {
        await System.Threading.Tasks.Task.Yield();
        return 1;
    }

    [NoTrap]
    public int Opted() => 1;

    [NoTrap]
    public NeverTrapped(int x)
    {
    }

    public NeverTrapped()
    {
    }

    [NoTrap]
    public int OptedProperty { get; set; }

    [NoTrap]
    public event EventHandler OptedEvent;

    public int Trapped() => 2;

    [DllImport("libc", EntryPoint = "getpid")]
    public static extern int GetPid();

    public delegate int Callback(int x);
}

public abstract class AbstractShape
{
    public abstract int Sides();

    public int Concrete() => Sides();
}

[NoTrap]
public class OptedOutType
{
    public int Method() => 1;

    public int Property => 2;

    public class NestedInOptedOut
    {
        public int Method() => 3;
    }
}

[NoTrap]
public struct OptedOutStruct
{
    public int Method() => 4;
}

public interface IOnlyAbstract
{
    int Method();
}
