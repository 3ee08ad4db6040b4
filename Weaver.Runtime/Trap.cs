using System;
using System.Linq.Expressions;
using System.Reflection;
using Trapweave.Internal;

namespace Trapweave;

/// <summary>
/// Intercepts woven methods for the current async flow: the flow that registers and everything it
/// starts afterwards see the interception; no other flow does. <see cref="Global"/> registers process-wide.
/// </summary>
public static class Trap
{
    /// <summary>Registrations seen by every flow (for tracing, hotfixes, process-wide fakes).</summary>
    public static TrapRegistry Global => TrapRegistry.ProcessWide;

    /// <inheritdoc cref="TrapRegistry.Patch{TDelegate}(TDelegate, TDelegate)"/>
    public static IDisposable Patch<TDelegate>(TDelegate target, TDelegate replacement) where TDelegate : Delegate =>
        TrapRegistry.Flow.Patch(target, replacement);

    /// <inheritdoc cref="TrapRegistry.Patch(MethodBase, Delegate)"/>
    public static IDisposable Patch(MethodBase target, Delegate replacement) =>
        TrapRegistry.Flow.Patch(target, replacement);

    /// <inheritdoc cref="TrapRegistry.When{TResult}(Expression{Func{TResult}})"/>
    public static Arrangement<TResult> When<TResult>(Expression<Func<TResult>> call) => TrapRegistry.Flow.When(call);

    /// <inheritdoc cref="TrapRegistry.When(Expression{Action})"/>
    public static Arrangement When(Expression<Action> call) => TrapRegistry.Flow.When(call);

    /// <inheritdoc cref="TrapRegistry.Intercept(MethodBase, IInterceptor)"/>
    public static IDisposable Intercept(MethodBase target, IInterceptor interceptor) => TrapRegistry.Flow.Intercept(target, interceptor);

    /// <inheritdoc cref="TrapRegistry.Intercept{TDelegate}(TDelegate, IInterceptor)"/>
    public static IDisposable Intercept<TDelegate>(TDelegate target, IInterceptor interceptor) where TDelegate : Delegate =>
        TrapRegistry.Flow.Intercept(target, interceptor);

    /// <inheritdoc cref="TrapRegistry.Intercept(MethodBase, Action{Invocation}, Action{Invocation})"/>
    public static IDisposable Intercept(MethodBase target, Action<Invocation>? before, Action<Invocation>? after = null) =>
        TrapRegistry.Flow.Intercept(target, before, after);

    /// <inheritdoc cref="TrapRegistry.Record(MethodBase)"/>
    public static CallRecorder Record(MethodBase target) => TrapRegistry.Flow.Record(target);

    /// <inheritdoc cref="TrapRegistry.Record{TDelegate}(TDelegate)"/>
    public static CallRecorder Record<TDelegate>(TDelegate target) where TDelegate : Delegate => TrapRegistry.Flow.Record(target);

    /// <inheritdoc cref="TrapRegistry.Trace(Tracing.CallTraceOptions)"/>
    public static Tracing.TraceSession Trace(Tracing.CallTraceOptions? options = null) => TrapRegistry.Flow.Trace(options);

    /// <summary>
    /// Opens a scope in the current flow: every registration made while it is open by this flow,
    /// the flows it starts or the async methods it awaits is seen by all of them (an arrangement
    /// made in an awaited async helper reaches the caller) and ends when the scope is disposed.
    /// </summary>
    public static IDisposable Scope() => TrapScope.Open(null, null);

    /// <summary>
    /// How <paramref name="member"/> can be intercepted in this process: woven (a trap prologue in
    /// its own body), redirected (calls to it from woven assemblies go through traps: which ones,
    /// how many call sites), or not at all, why, and the fix. <see cref="TrapExplanation.ToString"/>
    /// is the account for people.
    /// </summary>
    public static TrapExplanation Explain(MethodBase member) => TrapExplanation.For(member);

    /// <summary>
    /// Whether registrations on members nobody wove also patch their compiled code, so calls from
    /// code that is not woven are intercepted too (the native fallback). On by default;
    /// <c>TRAPWEAVE_NATIVE=0</c> in the environment starts it off. Patches made while it was on stay
    /// until their registrations end; turned off, a registration on a member that is neither woven
    /// nor redirected throws, saying so.
    /// </summary>
    public static bool NativeFallback
    {
        get => Internal.Native.NativeFallback.Enabled;
        set => Internal.Native.NativeFallback.Enabled = value;
    }

    /// <summary>Whether <paramref name="method"/> itself was woven (calls to it from anywhere can be intercepted).</summary>
    public static bool IsTrapped(MethodBase method) => TrapTarget.IsTrapped(method);
}
