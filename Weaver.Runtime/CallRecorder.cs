using System;
using System.Collections.Generic;
using System.Reflection;
using Trapweave.Internal;

namespace Trapweave;

/// <summary>One call seen by a <see cref="CallRecorder"/>.</summary>
public sealed class RecordedCall
{
    internal RecordedCall(Invocation call, object?[] arguments)
    {
        Method = call.Method;
        Instance = call.Instance;
        Arguments = arguments;
    }

    public MethodBase Method { get; }
    public object? Instance { get; }
    /// <summary>The arguments as the call received them (ref structs as <see cref="Invocation.Unavailable"/>).</summary>
    public IReadOnlyList<object?> Arguments { get; }
    /// <summary>Out and ref arguments after the call.</summary>
    public IReadOnlyList<object?> ArgumentsAfter { get; internal set; } = Array.Empty<object?>();
    public object? Result { get; internal set; }
    public Exception? Exception { get; internal set; }
    /// <summary>False while the call is still running (or for constructors, whose outcome the trap does not see).</summary>
    public bool Completed { get; internal set; }

    public override string ToString() => $"{Method.Name}({string.Join(", ", Arguments)}) => {(Exception is not null ? "throws " + Exception.GetType().Name : Result)}";
}

/// <summary>
/// Records calls to one method (count, arguments, result, exception) so tests can assert on calls
/// to statics. Calls run as they would without it. Dispose to stop recording.
/// </summary>
public sealed class CallRecorder : IDisposable
{
    readonly List<RecordedCall> _calls = new();
    internal IDisposable Registration = null!;

    internal CallRecorder() { }

    /// <summary>A snapshot of the calls so far, in the order they started.</summary>
    public IReadOnlyList<RecordedCall> Calls
    {
        get { lock (_calls) return _calls.ToArray(); }
    }

    public int Count
    {
        get { lock (_calls) return _calls.Count; }
    }

    internal RecordedCall Add(Invocation call)
    {
        var recorded = new RecordedCall(call, (object?[])call.Arguments.Clone());
        lock (_calls) _calls.Add(recorded);
        return recorded;
    }

    public void Dispose() => Registration.Dispose();
}
