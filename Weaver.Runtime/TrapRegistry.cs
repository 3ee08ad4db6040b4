using System;
using System.Linq.Expressions;
using System.Reflection;
using Trapweave.Internal;

namespace Trapweave;

/// <summary>
/// Registers interceptions either for the current async flow (<see cref="Trap"/>'s static methods)
/// or process-wide (<see cref="Trap.Global"/>).
/// </summary>
public sealed class TrapRegistry
{
    internal static readonly TrapRegistry Flow = new(false);
    internal static readonly TrapRegistry ProcessWide = new(true);

    internal TrapRegistry(bool isGlobal) => IsGlobal = isGlobal;

    /// <summary>True for <see cref="Trap.Global"/>: registrations are seen by every flow.</summary>
    public bool IsGlobal { get; }

    /// <summary>
    /// Replaces <paramref name="target"/>'s method with <paramref name="replacement"/>. A target bound to an
    /// instance (<c>obj.Method</c>) replaces calls on that instance only; a static or open-instance target
    /// replaces all calls. Dispose the result to remove exactly this registration.
    /// </summary>
    public IDisposable Patch<TDelegate>(TDelegate target, TDelegate replacement) where TDelegate : Delegate
    {
        if (target is null) throw new ArgumentNullException(nameof(target));
        if (replacement is null) throw new ArgumentNullException(nameof(replacement));
        var (method, instance) = Targets.FromDelegate(target);
        var interception = Targets.Resolve(method, instance);
        var passSelf = SignatureCheck.TakesSelf(interception.Target, typeof(TDelegate), receiverKnown: instance is not null);
        return interception.Activate((t, route) => new PatchRegistration(t, route, IsGlobal, instance, replacement, passSelf));
    }

    /// <summary>
    /// Replaces <paramref name="target"/> for all receivers. For an instance method the replacement may
    /// take the receiver as its first parameter.
    /// </summary>
    public IDisposable Patch(MethodBase target, Delegate replacement)
    {
        if (target is null) throw new ArgumentNullException(nameof(target));
        if (replacement is null) throw new ArgumentNullException(nameof(replacement));
        var interception = Targets.Resolve(target, null);
        var passSelf = SignatureCheck.TakesSelf(interception.Target, replacement.GetType(), receiverKnown: false);
        return interception.Activate((t, route) => new PatchRegistration(t, route, IsGlobal, null, replacement, passSelf));
    }

    /// <summary>
    /// Arranges a call by expression: a static or instance method (the instance's calls only; for a
    /// virtual method, the override its runtime type runs), a property getter, an indexer. Arguments
    /// match by <see cref="object.Equals(object)"/>, or with <see cref="Arg.Any{T}"/> / <see cref="Arg.Is{T}"/>.
    /// </summary>
    public Arrangement<TResult> When<TResult>(Expression<Func<TResult>> call)
    {
        if (call is null) throw new ArgumentNullException(nameof(call));
        return new Arrangement<TResult>(this, CallPattern.Parse(call));
    }

    /// <summary>Arranges a call that returns nothing (or whose result is not of interest).</summary>
    public Arrangement When(Expression<Action> call)
    {
        if (call is null) throw new ArgumentNullException(nameof(call));
        return new Arrangement(this, CallPattern.Parse(call));
    }

    /// <summary>Hands every call to <paramref name="target"/> to <paramref name="interceptor"/>.</summary>
    public IDisposable Intercept(MethodBase target, IInterceptor interceptor) => Intercept(target, null, interceptor);

    /// <summary>
    /// Hands calls to <paramref name="target"/>'s method to <paramref name="interceptor"/>; a target bound
    /// to an instance intercepts that instance only.
    /// </summary>
    public IDisposable Intercept<TDelegate>(TDelegate target, IInterceptor interceptor) where TDelegate : Delegate
    {
        if (target is null) throw new ArgumentNullException(nameof(target));
        var (method, instance) = Targets.FromDelegate(target);
        return Intercept(method, instance, interceptor);
    }

    /// <summary>Runs <paramref name="before"/> and <paramref name="after"/> around every call to <paramref name="target"/>.</summary>
    public IDisposable Intercept(MethodBase target, Action<Invocation>? before, Action<Invocation>? after = null) =>
        Intercept(target, null, new ActionInterceptor(before, after));

    IDisposable Intercept(MethodBase target, object? instance, IInterceptor interceptor)
    {
        if (target is null) throw new ArgumentNullException(nameof(target));
        if (interceptor is null) throw new ArgumentNullException(nameof(interceptor));
        var interception = Targets.Resolve(target, instance);
        var shape = interception.Target;
        if (shape.IsConstructor && HasAfter(interceptor))
            throw new TrapException($"{shape.Name} is a constructor: its body runs after the trap returns, so an interceptor's After cannot see it. Use Before only (or Trap.Record to count calls).");
        return interception.Activate((t, route) => new InterceptorRegistration(t, route, IsGlobal, instance, interceptor));
    }

    static bool HasAfter(IInterceptor interceptor) => interceptor switch
    {
        ActionInterceptor actions => actions.HasAfter,
        _ => interceptor.GetType().GetMethod(nameof(IInterceptor.After), new[] { typeof(Invocation) })?.DeclaringType != typeof(Interceptor),
    };

    /// <summary>Records calls to <paramref name="target"/> (all receivers) until the recorder is disposed.</summary>
    public CallRecorder Record(MethodBase target) => Record(target, null);

    /// <summary>Records calls to <paramref name="target"/>'s method; a target bound to an instance records that instance only.</summary>
    public CallRecorder Record<TDelegate>(TDelegate target) where TDelegate : Delegate
    {
        if (target is null) throw new ArgumentNullException(nameof(target));
        var (method, instance) = Targets.FromDelegate(target);
        return Record(method, instance);
    }

    CallRecorder Record(MethodBase target, object? instance)
    {
        if (target is null) throw new ArgumentNullException(nameof(target));
        var recorder = new CallRecorder();
        recorder.Registration = Targets.Resolve(target, instance)
            .Activate((t, route) => new RecordRegistration(t, route, IsGlobal, instance, recorder));
        return recorder;
    }

    /// <summary>
    /// Records the call tree of every woven method's calls (filtered by <paramref name="options"/>)
    /// seen by this registry's flows until the session is stopped: for <see cref="Trap.Trace"/> the
    /// current flow and the flows it starts (inside a scope: the scope's flows), for
    /// <see cref="Trap.Global"/> every flow. Arguments and results are rendered as the call starts
    /// and ends, so later changes to them do not reach the trace.
    /// </summary>
    public Tracing.TraceSession Trace(Tracing.CallTraceOptions? options = null)
    {
        options ??= Tracing.CallTraceOptions.Default;
        options.Validate();
        var registration = new Tracing.TraceSessionRegistration(IsGlobal, options);
        Tracing.TraceDispatch.Acquire(registration);
        try
        {
            Activate(registration);
        }
        catch
        {
            Tracing.TraceDispatch.Release(registration);
            throw;
        }
        return new Tracing.TraceSession(registration);
    }

    internal static IDisposable Activate(Registration registration)
    {
        registration.Activate();
        return registration;
    }
}
