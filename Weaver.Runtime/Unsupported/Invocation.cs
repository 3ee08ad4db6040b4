using System;
using System.Reflection;

namespace Trapweave;

/// <summary>Build for runtimes before .NET 8: never created (no call is ever intercepted).</summary>
public sealed class Invocation
{
    public static readonly object Unavailable = new object();

    Invocation() { }

    public MethodBase Method => throw Unsupported();
    public object? Instance => throw Unsupported();
    public object?[] Arguments => throw Unsupported();
    public object? Result { get => throw Unsupported(); set => throw Unsupported(); }
    public Exception? Exception { get => throw Unsupported(); set => throw Unsupported(); }
    public bool HasOutcome => throw Unsupported();
    public void Return(object? value) => throw Unsupported();
    public void Throw(Exception exception) => throw Unsupported();
    public T Arg<T>(int index) => throw Unsupported();

    static TrapException Unsupported() => UnsupportedRuntime.Exception("Invocation");
}
