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
    // Registrations whose replacement or interceptor is running on this thread, innermost last.
    // A call to the same method from inside one continues below it instead of recursing.
    [ThreadStatic] static Registration?[]? t_active;
    [ThreadStatic] static int t_depth;

    /// <summary>
    /// Called by an armed prologue: the handler of the newest live registration for this slot and
    /// handler type (one per generic instantiation) seen by the current flow, else null.
    /// </summary>
    public static Delegate? Lookup(int slot, RuntimeTypeHandle handlerType)
    {
        if (t_depth != 0) return LookupReentrant(slot, handlerType);

        var flow = Registry.Flow;
        if (flow is not null)
        {
            var regs = flow[slot];
            if (regs is not null)
            {
                foreach (var r in regs)
                    if (!r.Disposed && r.HandlerType.Equals(handlerType)) return r.Handler;
            }
        }

        var global = Registry.Global[slot];
        if (global is not null)
        {
            foreach (var r in global)
                if (!r.Disposed && r.HandlerType.Equals(handlerType)) return r.Handler;
        }
        return null;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static Delegate? LookupReentrant(int slot, RuntimeTypeHandle handlerType)
    {
        Registration? active = null;
        var stack = t_active!;
        for (var i = t_depth - 1; i >= 0; i--)
        {
            var r = stack[i]!;
            if (r.Target.Slot == slot && r.HandlerType.Equals(handlerType))
            {
                active = r;
                break;
            }
        }
        return Find(slot, handlerType, active);
    }

    /// <summary>Called by a handler whose registration does not match the call: the next one down, else null.</summary>
    public static Delegate? Next(object registration)
    {
        var r = (Registration)registration;
        return Find(r.Target.Slot, r.HandlerType, r);
    }

    /// <summary>Marks a registration as running on this thread.</summary>
    public static void Enter(object registration)
    {
        var stack = t_active ??= new Registration?[8];
        if (t_depth == stack.Length) Array.Resize(ref t_active, stack.Length * 2);
        t_active![t_depth++] = (Registration)registration;
    }

    /// <summary>Ends the innermost <see cref="Enter"/>.</summary>
    public static void Exit()
    {
        t_active![--t_depth] = null;
    }

    /// <summary>Walks flow then process-wide registrations, newest first, starting below <paramref name="after"/>.</summary>
    static Delegate? Find(int slot, RuntimeTypeHandle handlerType, Registration? after)
    {
        var skipping = after is not null;
        foreach (var set in new[] { Registry.Flow, Registry.Global })
        {
            var regs = set?[slot];
            if (regs is null) continue;
            foreach (var r in regs)
            {
                if (skipping)
                {
                    if (ReferenceEquals(r, after)) skipping = false;
                    continue;
                }
                if (!r.Disposed && r.HandlerType.Equals(handlerType)) return r.Handler;
            }
        }
        // When the active registration is not in this flow's view (it was removed meanwhile),
        // run the original rather than risk recursing into it.
        return null;
    }
}
