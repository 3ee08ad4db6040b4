using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;

namespace Trapweave.Internal;

/// <summary>
/// Base of registrations that see a call as an <see cref="Invocation"/> (interceptors, arrangements,
/// recorders). One handler method is compiled per trapped method and shared by its registrations.
/// </summary>
[StackTraceHidden]
internal abstract class BoxedRegistration : Registration
{
    static readonly ConcurrentDictionary<(TrapTarget, bool), MethodInfo> Handlers = new();

    /// <summary>When set, only calls on this receiver (or an equal value) are seen.</summary>
    public readonly object? Instance;

    protected BoxedRegistration(TrapTarget target, RedirectRoute? route, bool isGlobal, object? instance) : base(target, isGlobal, route)
    {
        Instance = instance;
    }

    protected sealed override MethodInfo Compile(TrapTarget target) =>
        Handlers.GetOrAdd((target, Route?.NeedsReceiverCheck(target) ?? false), static key => BoxedHandlerCompiler.Compile(key.Item1, key.Item2));

    /// <summary>Called by the handler: the invocation if this registration takes the call, else null.</summary>
    public Invocation? Begin(object binding, object? self, object?[] arguments)
    {
        if (Instance is not null && !(ReferenceEquals(Instance, self) ||
                                      (self is not null && self.GetType().IsValueType && HandlerEmitter.IsSameInstance(binding, Instance, self))))
            return null;
        var call = new Invocation(Target, self, arguments);
        return Matches(call) ? call : null;
    }

    /// <summary>Called by the handler: runs <see cref="Before"/>; true when the original should run.</summary>
    public bool RunBefore(Invocation call)
    {
        Before(call);
        return !call.HasOutcome;
    }

    public void RunAfter(Invocation call) => After(call);

    /// <summary>When true, a matching call runs the method's own body directly (<see cref="Arrangement.CallOriginal"/>).</summary>
    public bool PassesThrough;

    protected virtual bool Matches(Invocation call) => true;
    protected abstract void Before(Invocation call);
    protected virtual void After(Invocation call) { }
}
