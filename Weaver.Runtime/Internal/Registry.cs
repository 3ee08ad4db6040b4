using System.Threading;

namespace Trapweave.Internal;

/// <summary>
/// Where registrations live: the current async flow's state (an <see cref="AsyncLocal{T}"/>, so it
/// flows to awaits, Task.Run, new threads, and never to other flows), the scopes open in it (shared
/// by every flow under them), and one process-wide set replaced by compare-and-swap.
/// </summary>
internal static class Registry
{
    static readonly AsyncLocal<FlowState?> s_flow = new();
    static RegistrationSet s_global = RegistrationSet.Empty;

    public static FlowState? Flow
    {
        get => s_flow.Value;
        set => s_flow.Value = value;
    }

    public static RegistrationSet Global => Volatile.Read(ref s_global);

    static int s_generation;

    /// <summary>
    /// Changes after every registration and removal anywhere in the process: a dispatch answer
    /// remembered under one generation (<see cref="DispatchThread.TryHot"/>) holds while it is current.
    /// </summary>
    public static int Generation
    {
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        get => Volatile.Read(ref s_generation);
    }

    /// <summary>Marks every remembered dispatch answer stale (after the change is visible).</summary>
    static void Changed() => Interlocked.Increment(ref s_generation);

    public static void Add(Registration registration)
    {
        var flow = Flow ?? FlowState.Empty;
        var scope = flow.OpenScope;
        Slots.Arm(registration.Slot);
        if (registration.IsGlobal)
        {
            RegistrationSet.Update(ref s_global, static (set, r) => set.With(r), registration);
            // A process-wide registration made inside a scope still ends with it (and is reported
            // there: it was seen by every other flow meanwhile).
            scope?.OwnGlobal(registration);
        }
        else if (scope is null || !scope.TryAdd(registration))
        {
            Flow = flow.WithLocal(flow.Local.With(registration));
        }
        Changed();
    }

    public static void Remove(Registration registration)
    {
        if (registration.IsGlobal)
        {
            RegistrationSet.Update(ref s_global, static (set, r) => set.Without(r), registration);
            registration.Scope?.DisownGlobal(registration);
        }
        else if (registration.Scope is { } scope)
        {
            scope.Remove(registration);
        }
        else if (Flow is { } flow && flow.Local.Contains(registration))
        {
            // Flows forked earlier keep the registration in their states; its Disposed flag hides it there.
            Flow = flow.WithLocal(flow.Local.Without(registration));
        }
        Changed();
        Slots.Disarm(registration.Slot);
    }
}
