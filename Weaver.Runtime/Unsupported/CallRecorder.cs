using System;
using System.Collections.Generic;
using System.Reflection;

namespace Trapweave;

/// <summary>Build for runtimes before .NET 8: never created (<see cref="Trap.Record(MethodBase)"/> throws).</summary>
public sealed class RecordedCall
{
    RecordedCall() { }

    public MethodBase Method => throw Unsupported();
    public object? Instance => throw Unsupported();
    public IReadOnlyList<object?> Arguments => throw Unsupported();
    public IReadOnlyList<object?> ArgumentsAfter => throw Unsupported();
    public object? Result => throw Unsupported();
    public Exception? Exception => throw Unsupported();
    public bool Completed => throw Unsupported();

    internal static TrapException Unsupported() => UnsupportedRuntime.Exception("Trap.Record");
}

/// <summary>Build for runtimes before .NET 8: never created (<see cref="Trap.Record(MethodBase)"/> throws).</summary>
public sealed class CallRecorder : IDisposable
{
    CallRecorder() { }

    public IReadOnlyList<RecordedCall> Calls => throw RecordedCall.Unsupported();
    public int Count => throw RecordedCall.Unsupported();
    public void Dispose() => throw RecordedCall.Unsupported();
}
