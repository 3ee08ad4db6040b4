using System;
using System.Collections.Generic;

namespace Trapweave.Tracing;

/// <summary>
/// One traced call and the calls it made: a node of the call tree. Values were rendered to text when
/// the call was made (arguments) or ended (result, exception); times are nanoseconds since the trace started.
/// </summary>
public sealed class TraceCall
{
    internal TraceCall(long id, string method, string declaringType, string? runtimeType,
                       IReadOnlyList<TraceArgument> arguments, string? result, TracedException? exception,
                       long startNs, long durationNs, int threadId, int? endThreadId, long flowId,
                       bool arranged, bool isAsync, bool completed, IReadOnlyList<TraceCall> children)
    {
        Id = id;
        Method = method;
        DeclaringType = declaringType;
        RuntimeType = runtimeType;
        Arguments = arguments;
        Result = result;
        Exception = exception;
        StartNs = startNs;
        DurationNs = durationNs;
        ThreadId = threadId;
        EndThreadId = endThreadId;
        FlowId = flowId;
        Arranged = arranged;
        IsAsync = isAsync;
        Completed = completed;
        Children = children;
    }

    /// <summary>Unique within its trace; ordered as the calls started.</summary>
    public long Id { get; }
    /// <summary><c>Namespace.Type.Method(int, string)</c>, C# type names, generic arguments as instantiated.</summary>
    public string Method { get; }
    /// <summary>The type that declares the method, with namespace.</summary>
    public string DeclaringType { get; }
    /// <summary>The receiver's runtime type, with namespace; null for static calls and constructors.</summary>
    public string? RuntimeType { get; }
    public IReadOnlyList<TraceArgument> Arguments { get; }
    /// <summary>The rendered result; null for void methods, calls that threw, and calls still running when the trace was taken.</summary>
    public string? Result { get; }
    public TracedException? Exception { get; }
    /// <summary>Nanoseconds from the trace's start to the call's start.</summary>
    public long StartNs { get; }
    /// <summary>Nanoseconds to the call's end: an async method's to its task's completion. For a call still running, up to the trace's end.</summary>
    public long DurationNs { get; }
    /// <summary>The managed thread the call started on.</summary>
    public int ThreadId { get; }
    /// <summary>The managed thread it ended on (an async method's completion), when known.</summary>
    public int? EndThreadId { get; }
    /// <summary>The async flow the call ran in (one test, one request).</summary>
    public long FlowId { get; }
    /// <summary>True when an arrangement (Trap.When, Patch, an interceptor) answered in place of the original.</summary>
    public bool Arranged { get; }
    /// <summary>True for a method returning a task that was timed to the task's completion.</summary>
    public bool IsAsync { get; }
    /// <summary>False when the trace was taken before the call ended.</summary>
    public bool Completed { get; }
    /// <summary>The calls made by this one, in start order.</summary>
    public IReadOnlyList<TraceCall> Children { get; }

    public long EndNs => StartNs + DurationNs;

    public override string ToString() => Method + (Exception is not null ? " threw " + Exception.Type : Result is not null ? " = " + Result : "");
}

/// <summary>One argument: the parameter's name and its value rendered at the call.</summary>
public sealed class TraceArgument
{
    public TraceArgument(string name, string value)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        Value = value ?? throw new ArgumentNullException(nameof(value));
    }

    public string Name { get; }
    public string Value { get; }

    public override string ToString() => Name + " = " + Value;
}

/// <summary>The exception a call ended with.</summary>
public sealed class TracedException
{
    public TracedException(string type, string message, string rendered)
    {
        Type = type ?? throw new ArgumentNullException(nameof(type));
        Message = message ?? throw new ArgumentNullException(nameof(message));
        Rendered = rendered ?? throw new ArgumentNullException(nameof(rendered));
    }

    /// <summary>The exception's type with namespace.</summary>
    public string Type { get; }
    /// <summary>Its message, bounded like a string value.</summary>
    public string Message { get; }
    /// <summary>Rendered like a value: headline plus what the derived type adds (ParamName, …) and the inner exception.</summary>
    public string Rendered { get; }
}
