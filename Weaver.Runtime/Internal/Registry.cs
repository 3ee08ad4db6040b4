using System.Threading;

namespace Trapweave.Internal;

/// <summary>
/// Where registrations live: the current async flow's snapshot (an <see cref="AsyncLocal{T}"/>,
/// so it flows to awaits, Task.Run, new threads, and never to other flows) and one process-wide
/// snapshot replaced by compare-and-swap.
/// </summary>
internal static class Registry
{
    static readonly AsyncLocal<RegistrationSet?> s_flow = new();
    static RegistrationSet s_global = RegistrationSet.Empty;

    public static RegistrationSet? Flow
    {
        get => s_flow.Value;
        set => s_flow.Value = value;
    }

    public static RegistrationSet Global => Volatile.Read(ref s_global);

    public static void Add(Registration registration)
    {
        var scope = Flow?.Scope;
        Slots.Arm(registration.Target.Slot);
        if (registration.IsGlobal)
        {
            RegistrationSet seen, next;
            do
            {
                seen = Global;
                next = seen.With(registration);
            } while (Interlocked.CompareExchange(ref s_global, next, seen) != seen);
        }
        else
        {
            Flow = (Flow ?? RegistrationSet.Empty).With(registration);
        }
        scope?.Own(registration);
    }

    public static void Remove(Registration registration)
    {
        if (registration.IsGlobal)
        {
            RegistrationSet seen, next;
            do
            {
                seen = Global;
                next = seen.Without(registration);
            } while (Interlocked.CompareExchange(ref s_global, next, seen) != seen);
        }
        else if (Flow is { } flow && flow.Contains(registration))
        {
            // Flows forked earlier keep the registration in their snapshots; its Disposed flag hides it there.
            Flow = flow.Without(registration);
        }
        Slots.Disarm(registration.Target.Slot);
    }
}
