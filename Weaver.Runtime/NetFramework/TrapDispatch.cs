using System;
using System.ComponentModel;

namespace Trapweave;

/// <summary>.NET Framework build: woven code calls these, and nothing is woven for .NET Framework.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class TrapDispatch
{
    public static Delegate? Lookup(int slot, RuntimeTypeHandle handlerType) => throw Unsupported();
    public static Delegate? Next(object binding) => throw Unsupported();
    public static void Enter(object binding) => throw Unsupported();
    public static void Exit(object binding) => throw Unsupported();

    static TrapException Unsupported() => NetFrameworkUnsupported.Exception("TrapDispatch");
}
