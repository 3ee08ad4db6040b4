using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using Trapweave.Internal;

namespace Trapweave;

/// <summary>
/// The entry points woven code and generated handlers call. Not for use in user code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class TrapDispatch
{
    /// <summary>
    /// Called by an armed prologue: this thread's handler for the newest live registration for
    /// this slot and handler type (one per generic instantiation) seen by the current flow, else null.
    /// </summary>
    /// <remarks>
    /// Kept out of line: it runs only while the method is armed, and inlined into every woven
    /// method it would make their unarmed path save more registers. Its one thread-static read
    /// (<see cref="DispatchThread.Current"/>) serves the whole call, handler included.
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Delegate? Lookup(int slot, RuntimeTypeHandle handlerType) => LookupOn(DispatchThread.Current, slot, handlerType);

    /// <summary><see cref="Lookup"/> for a thread whose state is in hand (a native twin read it for its guard).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Delegate? LookupOn(DispatchThread thread, int slot, RuntimeTypeHandle handlerType)
    {
        // The answer remembered in this context, while nothing has changed anywhere since.
        if (!thread.TryHot(slot, handlerType, out var handler, out var counter)) return LookupSlow(thread, slot, handlerType);
        if (counter is null) return null;
        return counter.Running == 0 ? handler : Busy(thread, slot, handlerType, counter);
    }

    /// <summary>Searches the flow's registrations and then the process-wide ones, and remembers the answer.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    static Delegate? LookupSlow(DispatchThread thread, int slot, RuntimeTypeHandle handlerType)
    {
        // A trace handler's own call to the original, made in the context its AsyncLocal write just made:
        // handed on without reading that context's flow (it is the one the handler entered with).
        if (thread.PendingPass is { } pass && pass.Binding.Registration.Slot == slot && pass.Binding.HandlerType.Equals(handlerType))
            return TracePass(thread, slot, handlerType, pass.Binding, pass.Flow);
        var generation = Registry.Generation;
        var flow = thread.Flow;
        // Only the context changed, over the same flow state: the remembered answers still hold.
        if (thread.TryHot(slot, handlerType, out var hot, out var counter))
            return counter is null ? null : counter.Running == 0 ? hot : Busy(thread, slot, handlerType, counter);
        Binding? binding;
        // A trace this flow sees takes the call first: it hands it on to the registrations below (TracePass).
        if (Tracing.TraceDispatch.IsActive && Tracing.TraceDispatch.BindingFor(thread, flow, slot, handlerType) is { } traced)
        {
            binding = traced;
        }
        else
        {
            // The newest candidate is found first: when there is none, the answer is null whatever is
            // running on this thread (the walk below a running one only ever skips candidates).
            var found = flow is not null ? FirstInFlow(flow, slot, handlerType) : null;
            if (found is null && Registry.Global[slot] is { } global) found = First(global, handlerType);
            binding = found is null ? null : thread.BindingFor(found, handlerType);
        }
        thread.RememberHot(slot, handlerType, generation, binding);
        if (binding is null) return null;
        return binding.Counter.Running == 0 ? binding.Handler : Busy(thread, slot, handlerType, binding.Counter);
    }

    /// <summary>
    /// The call came while the answer's handler runs on this thread: a registration's own call to
    /// the original (or a re-entry through other code) goes to the next one down; a trace's is
    /// its handler's call to the original, handed on once to what the trace stands in front of.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    static Delegate? Busy(DispatchThread thread, int slot, RuntimeTypeHandle handlerType, Binding counter) =>
        counter.Registration is Tracing.TraceTargetRegistration
            ? TracePass(thread, slot, handlerType, counter, thread.Flow)
            : Find(thread, slot, handlerType, counter.Registration);

    /// <summary>
    /// A trace handler's call to the original: consumed here, so that calls the body makes to the same
    /// method (recursion) are traced again; the registrations of the flow, newest first, take it as
    /// they would have without the trace.
    /// </summary>
    static Delegate? TracePass(DispatchThread thread, int slot, RuntimeTypeHandle handlerType, Binding counter, FlowState? flow)
    {
        var frame = counter.PendingTrace;
        counter.PendingTrace = null;
        counter.Running = 0;
        thread.PendingPass = null;
        var found = FindRegistration(thread, flow, slot, handlerType, 0);
        if (found is null) return null;
        // A patch on every receiver always answers; an arrangement says so itself when it does (Arrangement).
        if (frame is not null && found is PatchRegistration { Instance: null }) frame.Arranged = true;
        return thread.BindingFor(found, handlerType).Handler;
    }

    /// <summary>The native twins' entry (out of line, as <see cref="Lookup"/>).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static Delegate? LookupNative(DispatchThread thread, int slot, RuntimeTypeHandle handlerType) => LookupOn(thread, slot, handlerType);

    /// <summary>The flow's newest candidate: its scopes innermost first, then what it registered outside any scope.</summary>
    static Registration? FirstInFlow(FlowState flow, int slot, RuntimeTypeHandle handlerType)
    {
        for (var scope = flow.Scope; scope is not null; scope = scope.Parent)
            if (scope.Registrations[slot] is { } regs && First(regs, handlerType) is { } found) return found;
        return flow.Local[slot] is { } local ? First(local, handlerType) : null;
    }

    static Registration? First(Registration[] regs, RuntimeTypeHandle handlerType)
    {
        foreach (var r in regs)
            if (!r.Disposed && r.Accepts(handlerType)) return r;
        return null;
    }

    /// <summary>Called by a handler whose registration does not match the call: the next one down, else null.</summary>
    public static Delegate? Next(object binding)
    {
        var b = Unsafe.As<Binding>(binding);
        var r = b.Registration;
        return Find(b.Thread, r.Slot, b.HandlerType, r);
    }

    /// <summary>
    /// Marks the binding's registration as running on its thread, until the matching <see cref="Exit"/>
    /// (called on every path out of the handler, on the same thread).
    /// </summary>
    /// <remarks>
    /// Generated handlers are dynamic methods, compiled once with full optimisation and no profile:
    /// this is written to be inlined into them (no cast).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Enter(object binding) => Unsafe.As<Binding>(binding).Counter.Running++;

    /// <summary>Ends one <see cref="Enter"/> of the binding.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Exit(object binding) => Unsafe.As<Binding>(binding).Counter.Running--;

    /// <summary>
    /// This thread's handler for the newest registration below <paramref name="afterId"/> (all when
    /// 0), walking the flow's scopes (innermost first), its own registrations, then process-wide ones, and skipping those running on this thread.
    /// </summary>
    internal static Delegate? Find(DispatchThread thread, int slot, RuntimeTypeHandle handlerType, Registration after)
    {
        var flow = thread.Flow;
        var found = FindRegistration(thread, flow, slot, handlerType, after.Id, out var placed);
        if (found is null && !placed) found = BelowRemoved(thread, flow, slot, handlerType, after);
        return found is null ? null : thread.BindingFor(found, handlerType).Handler;
    }

    /// <summary>
    /// The next registration down from <paramref name="after"/> when it is no longer in the flow's view
    /// (disposed while its handler ran: another flow's process-wide registration, say): placed by where
    /// it lived (its scope, the flow's own set, or process-wide) and, in that set, by age (ids grow),
    /// so the registrations below it still see the call.
    /// </summary>
    static Registration? BelowRemoved(DispatchThread thread, FlowState? flow, int slot, RuntimeTypeHandle handlerType, Registration after)
    {
        // Sets before the one it lived in are above it: passed over until it is reached.
        var reached = false;
        Registration? found = null;
        if (flow is not null)
        {
            for (var scope = flow.Scope; scope is not null && found is null; scope = scope.Parent)
                found = Below(thread, scope.Registrations[slot], handlerType, after, ref reached, !after.IsGlobal && ReferenceEquals(scope, after.Scope));
            found ??= Below(thread, flow.Local[slot], handlerType, after, ref reached, !after.IsGlobal && after.Scope is null);
        }
        return found ?? Below(thread, Registry.Global[slot], handlerType, after, ref reached, after.IsGlobal);
    }

    static Registration? Below(DispatchThread thread, Registration[]? regs, RuntimeTypeHandle handlerType, Registration after, ref bool reached, bool itsSet)
    {
        if (itsSet) reached = true;
        if (!reached || regs is null) return null;
        foreach (var r in regs)
            if ((!itsSet || r.Id < after.Id) && !r.Disposed && r.Accepts(handlerType) && !thread.IsRunning(r)) return r;
        return null;
    }

    static Registration? FindRegistration(DispatchThread thread, FlowState? flowState, int slot, RuntimeTypeHandle handlerType, int afterId) =>
        FindRegistration(thread, flowState, slot, handlerType, afterId, out _);

    /// <param name="placed">Whether the registration <paramref name="afterId"/> names was found in the flow's view (or none was named).</param>
    static Registration? FindRegistration(DispatchThread thread, FlowState? flowState, int slot, RuntimeTypeHandle handlerType, int afterId, out bool placed)
    {
        var skipping = afterId != 0;
        Registration? found = null;
        if (flowState is { } flow)
        {
            for (var scope = flow.Scope; scope is not null && found is null; scope = scope.Parent)
                found = FindIn(thread, scope.Registrations[slot], handlerType, afterId, ref skipping);
            found ??= FindIn(thread, flow.Local[slot], handlerType, afterId, ref skipping);
        }
        found ??= FindIn(thread, Registry.Global[slot], handlerType, afterId, ref skipping);
        // When the registration to start below is not in this flow's view (it was removed
        // meanwhile), nothing is found here: BelowRemoved places it by where it lived.
        placed = !skipping;
        return found;
    }

    static Registration? FindIn(DispatchThread thread, Registration[]? regs, RuntimeTypeHandle handlerType, int afterId, ref bool skipping)
    {
        if (regs is null) return null;
        foreach (var r in regs)
        {
            if (skipping)
            {
                if (r.Id == afterId) skipping = false;
                continue;
            }
            if (!r.Disposed && r.Accepts(handlerType) && !thread.IsRunning(r)) return r;
        }
        return null;
    }
}
