using System;
using System.Collections.Generic;
using System.Reflection;
using System.Threading;
using Trapweave.Internal;

namespace Trapweave.Tracing;

/// <summary>
/// Where tracing meets dispatch. While any session is alive every woven method is armed
/// (<see cref="TracedMethods"/>), and dispatch asks here, when it looks for an answer, whether the
/// flow sees a session that takes the method: then the answer is the method's trace binding, which
/// records the call and hands it to the flow's own registrations (<c>TrapDispatch.TracePass</c>).
/// </summary>
internal static class TraceDispatch
{
    /// <summary>What messages name as the target of a session (it has no method of its own).</summary>
    internal static readonly MethodInfo PlaceholderMethod = typeof(TrapRegistry).GetMethod(nameof(TrapRegistry.Trace))!;
    internal static readonly TrapTarget Placeholder = TrapTarget.ShapeOf(PlaceholderMethod);

    /// <summary>The sessions' slot: no flag is ever set through it (a member slot with no stubs).</summary>
    internal static readonly int SessionSlot = Slots.SlotForMember(PlaceholderMethod);

    static readonly object Gate = new();
    static int s_sessions;
    static volatile bool s_active;

    /// <summary>Whether any session is alive (read by dispatch's slow path only).</summary>
    public static bool IsActive => s_active;

    /// <summary>A session is starting: the methods its filter takes are armed.</summary>
    public static void Acquire(TraceSessionRegistration session)
    {
        lock (Gate)
        {
            TracedMethods.Arm(session);
            s_sessions++;
            s_active = true;
        }
    }

    /// <summary>A session ended: what it armed is disarmed.</summary>
    public static void Release(TraceSessionRegistration session)
    {
        lock (Gate)
        {
            TracedMethods.Disarm(session);
            if (--s_sessions == 0) s_active = false;
        }
    }

    /// <summary>Sessions alive now (for tests and diagnostics).</summary>
    internal static int Sessions
    {
        get { lock (Gate) return s_sessions; }
    }

    /// <summary>
    /// The trace binding for this call when the flow sees a session that takes the method, with the
    /// sessions that do (<see cref="Binding.Traces"/>); else null.
    /// </summary>
    public static Binding? BindingFor(DispatchThread thread, FlowState? flow, int slot, RuntimeTypeHandle handlerType)
    {
        var sessions = Visible(flow);
        if (sessions is null) return null;
        var registration = TracedMethods.RegistrationFor(slot, handlerType);
        if (registration is null) return null;
        List<TraceSessionRegistration>? accepted = null;
        foreach (var session in sessions)
            if (session.Accepts(registration.Target)) (accepted ??= new()).Add(session);
        if (accepted is null) return null;
        var binding = thread.BindingFor(registration, handlerType);
        binding.Traces = accepted.ToArray();
        return binding;
    }

    /// <summary>The live sessions the flow sees, innermost first: its scopes', its own, then process-wide ones; null if none.</summary>
    internal static List<TraceSessionRegistration>? Visible(FlowState? flow)
    {
        List<TraceSessionRegistration>? found = null;
        if (flow is not null)
        {
            for (var scope = flow.Scope; scope is not null; scope = scope.Parent) Add(scope.Registrations[SessionSlot], ref found);
            Add(flow.Local[SessionSlot], ref found);
        }
        Add(Registry.Global[SessionSlot], ref found);
        return found;
    }

    static void Add(Registration[]? registrations, ref List<TraceSessionRegistration>? found)
    {
        if (registrations is null) return;
        foreach (var registration in registrations)
            if (!registration.Disposed && registration is TraceSessionRegistration session && !(found?.Contains(session) ?? false))
                (found ??= new()).Add(session);
    }
}
