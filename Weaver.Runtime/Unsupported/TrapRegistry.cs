using System;
using System.Linq.Expressions;
using System.Reflection;

namespace Trapweave;

/// <summary>Build for runtimes before .NET 8: every registration throws (see <see cref="UnsupportedRuntime"/>).</summary>
public sealed class TrapRegistry
{
    internal static readonly TrapRegistry ProcessWide = new(true);

    TrapRegistry(bool isGlobal) => IsGlobal = isGlobal;

    public bool IsGlobal { get; }

    public IDisposable Patch<TDelegate>(TDelegate target, TDelegate replacement) where TDelegate : Delegate => throw Unsupported("Patch");

    public IDisposable Patch(MethodBase target, Delegate replacement) => throw Unsupported("Patch");

    public Arrangement<TResult> When<TResult>(Expression<Func<TResult>> call) => throw Unsupported("When");

    public Arrangement When(Expression<Action> call) => throw Unsupported("When");

    public IDisposable Intercept(MethodBase target, IInterceptor interceptor) => throw Unsupported("Intercept");

    public IDisposable Intercept<TDelegate>(TDelegate target, IInterceptor interceptor) where TDelegate : Delegate => throw Unsupported("Intercept");

    public IDisposable Intercept(MethodBase target, Action<Invocation>? before, Action<Invocation>? after = null) => throw Unsupported("Intercept");

    public CallRecorder Record(MethodBase target) => throw Unsupported("Record");

    public Tracing.TraceSession Trace(Tracing.CallTraceOptions? options = null) => throw Unsupported("Trace");

    public CallRecorder Record<TDelegate>(TDelegate target) where TDelegate : Delegate => throw Unsupported("Record");

    TrapException Unsupported(string call) => UnsupportedRuntime.Exception((IsGlobal ? "Trap.Global." : "Trap.") + call);
}
