using System;
using System.ComponentModel;

namespace Trapweave;

/// <summary>Build for runtimes before .NET 8: woven code calls these; woven code runs on .NET 8+, where the real ones are.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class TrapDispatch
{
    public static Delegate? Lookup(int slot, RuntimeTypeHandle handlerType) => throw Unsupported();
    public static Delegate? Next(object binding) => throw Unsupported();
    public static void Enter(object binding) => throw Unsupported();
    public static void Exit(object binding) => throw Unsupported();

    static TrapException Unsupported() => UnsupportedRuntime.Exception("TrapDispatch");
}
