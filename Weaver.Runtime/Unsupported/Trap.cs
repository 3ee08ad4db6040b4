using System;
using System.Linq.Expressions;
using System.Reflection;

namespace Trapweave;

/// <summary>Build for runtimes before .NET 8: every registration throws (see <see cref="UnsupportedRuntime"/>).</summary>
public static class Trap
{
    public static TrapRegistry Global => TrapRegistry.ProcessWide;

    public static IDisposable Patch<TDelegate>(TDelegate target, TDelegate replacement) where TDelegate : Delegate =>
        throw UnsupportedRuntime.Exception("Trap.Patch");

    public static IDisposable Patch(MethodBase target, Delegate replacement) => throw UnsupportedRuntime.Exception("Trap.Patch");

    public static Arrangement<TResult> When<TResult>(Expression<Func<TResult>> call) => throw UnsupportedRuntime.Exception("Trap.When");

    public static Arrangement When(Expression<Action> call) => throw UnsupportedRuntime.Exception("Trap.When");

    public static IDisposable Intercept(MethodBase target, IInterceptor interceptor) => throw UnsupportedRuntime.Exception("Trap.Intercept");

    public static IDisposable Intercept<TDelegate>(TDelegate target, IInterceptor interceptor) where TDelegate : Delegate =>
        throw UnsupportedRuntime.Exception("Trap.Intercept");

    public static IDisposable Intercept(MethodBase target, Action<Invocation>? before, Action<Invocation>? after = null) =>
        throw UnsupportedRuntime.Exception("Trap.Intercept");

    public static CallRecorder Record(MethodBase target) => throw UnsupportedRuntime.Exception("Trap.Record");

    public static CallRecorder Record<TDelegate>(TDelegate target) where TDelegate : Delegate => throw UnsupportedRuntime.Exception("Trap.Record");

    public static IDisposable Scope() => throw UnsupportedRuntime.Exception("Trap.Scope");

    public static Tracing.TraceSession Trace(Tracing.CallTraceOptions? options = null) => throw UnsupportedRuntime.Exception("Trap.Trace");

    /// <summary>Nothing can be intercepted on a runtime before .NET 8: the explanation says so.</summary>
    public static TrapExplanation Explain(MethodBase member) =>
        new(member ?? throw new ArgumentNullException(nameof(member)));

    /// <summary>There is no native fallback on a runtime before .NET 8: always false; setting it does nothing.</summary>
    public static bool NativeFallback
    {
        get => false;
        set { }
    }

    /// <summary>Nothing is trapped on a runtime before .NET 8: always false.</summary>
    public static bool IsTrapped(MethodBase method) => false;
}
