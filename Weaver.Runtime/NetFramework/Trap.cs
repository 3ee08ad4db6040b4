using System;
using System.Linq.Expressions;
using System.Reflection;

namespace Trapweave;

/// <summary>.NET Framework build: every registration throws (see <see cref="NetFrameworkUnsupported"/>).</summary>
public static class Trap
{
    public static TrapRegistry Global => TrapRegistry.ProcessWide;

    public static IDisposable Patch<TDelegate>(TDelegate target, TDelegate replacement) where TDelegate : Delegate =>
        throw NetFrameworkUnsupported.Exception("Trap.Patch");

    public static IDisposable Patch(MethodBase target, Delegate replacement) => throw NetFrameworkUnsupported.Exception("Trap.Patch");

    public static Arrangement<TResult> When<TResult>(Expression<Func<TResult>> call) => throw NetFrameworkUnsupported.Exception("Trap.When");

    public static Arrangement When(Expression<Action> call) => throw NetFrameworkUnsupported.Exception("Trap.When");

    public static IDisposable Intercept(MethodBase target, IInterceptor interceptor) => throw NetFrameworkUnsupported.Exception("Trap.Intercept");

    public static IDisposable Intercept<TDelegate>(TDelegate target, IInterceptor interceptor) where TDelegate : Delegate =>
        throw NetFrameworkUnsupported.Exception("Trap.Intercept");

    public static IDisposable Intercept(MethodBase target, Action<Invocation>? before, Action<Invocation>? after = null) =>
        throw NetFrameworkUnsupported.Exception("Trap.Intercept");

    public static CallRecorder Record(MethodBase target) => throw NetFrameworkUnsupported.Exception("Trap.Record");

    public static CallRecorder Record<TDelegate>(TDelegate target) where TDelegate : Delegate => throw NetFrameworkUnsupported.Exception("Trap.Record");

    public static IDisposable Scope() => throw NetFrameworkUnsupported.Exception("Trap.Scope");

    /// <summary>Nothing is woven on .NET Framework: always false.</summary>
    public static bool IsTrapped(MethodBase method) => false;
}
