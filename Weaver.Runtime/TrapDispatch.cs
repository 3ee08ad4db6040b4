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
    // One thread-static object holds both the stack and its depth, so each dispatch step pays
    // for a single thread-static access.
    [ThreadStatic] static ActiveStack? t_active;

    /// <summary>
    /// Called by an armed prologue: the handler of the newest live registration for this slot and
    /// handler type (one per generic instantiation) seen by the current flow, else null.
    /// </summary>
    /// <remarks>
    /// Kept out of line: it runs only while the method is armed, and inlined into every woven
    /// method it would make their unarmed path save more registers.
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Delegate? Lookup(int slot, RuntimeTypeHandle handlerType)
    {
        // The newest candidate is found first: when there is none, the answer is null whatever is
        // running on this thread (the reentrant walk only ever skips candidates), so a method armed
        // only by other flows never touches the active stack.
        Registration? found = null;
        var flow = Registry.Flow;
        if (flow is not null && flow[slot] is { } regs) found = First(regs, handlerType);
        if (found is null && Registry.Global[slot] is { } global) found = First(global, handlerType);
        if (found is null) return null;

        var active = t_active;
        if (active is null || active.Depth == 0) return found.Handler;
        return LookupReentrant(active, slot, handlerType);
    }

    static Registration? First(Registration[] regs, RuntimeTypeHandle handlerType)
    {
        foreach (var r in regs)
            if (!r.Disposed && r.HandlerType.Equals(handlerType)) return r;
        return null;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static Delegate? LookupReentrant(ActiveStack stack, int slot, RuntimeTypeHandle handlerType)
    {
        var afterId = 0;
        var items = stack.Items;
        var handler = handlerType.Value;
        for (var i = stack.Depth - 1; i >= 0; i--)
        {
            if (items[i].Slot == slot && items[i].HandlerType == handler)
            {
                afterId = items[i].Id;
                break;
            }
        }
        return Find(slot, handlerType, afterId);
    }

    /// <summary>Called by a handler whose registration does not match the call: the next one down, else null.</summary>
    public static Delegate? Next(object registration)
    {
        var r = (Registration)registration;
        return Find(r.Slot, r.HandlerType, r.Id);
    }

    /// <summary>Marks a registration as running on this thread.</summary>
    public static void Enter(object registration) => Push(registration);

    /// <summary>Ends the innermost <see cref="Enter"/>.</summary>
    public static void Exit() => t_active!.Pop();

    /// <summary>
    /// As <see cref="Enter"/>, returning this thread's stack for the matching <see cref="Pop"/>
    /// (called in the same handler's finally block on the same thread), which then needs no
    /// thread-static access of its own.
    /// </summary>
    /// <remarks>
    /// Generated handlers are dynamic methods, compiled once with full optimisation and no profile:
    /// this is written to be inlined into them (no cast, the rare paths out of line).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static object Push(object registration)
    {
        var stack = t_active ?? NewStack();
        stack.Push(Unsafe.As<Registration>(registration));
        return stack;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static ActiveStack NewStack() => t_active = new ActiveStack();

    /// <summary>Ends the innermost <see cref="Push"/> on the stack it returned.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Pop(object stack) => Unsafe.As<ActiveStack>(stack).Pop();

    /// <summary>Walks flow then process-wide registrations, newest first, starting below <paramref name="after"/>.</summary>
    static Delegate? Find(int slot, RuntimeTypeHandle handlerType, int afterId)
    {
        var skipping = afterId != 0;
        return FindIn(Registry.Flow?[slot], handlerType, afterId, ref skipping)
            ?? FindIn(Registry.Global[slot], handlerType, afterId, ref skipping);
        // When the active registration is not in this flow's view (it was removed meanwhile),
        // both come back empty and the original runs rather than risk recursing into it.
    }

    static Delegate? FindIn(Registration[]? regs, RuntimeTypeHandle handlerType, int afterId, ref bool skipping)
    {
        if (regs is null) return null;
        foreach (var r in regs)
        {
            if (skipping)
            {
                if (r.Id == afterId) skipping = false;
                continue;
            }
            if (!r.Disposed && r.HandlerType.Equals(handlerType)) return r.Handler;
        }
        return null;
    }

    /// <summary>One thread's running registrations, innermost last.</summary>
    sealed class ActiveStack
    {
        public int Depth;
        // A struct element type: storing into it needs no array covariance check.
        public Entry[] Items = new Entry[8];

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Push(Registration registration)
        {
            var items = Items;
            var depth = Depth;
            if ((uint)depth < (uint)items.Length)
            {
                ref var entry = ref items[depth];
                entry.Id = registration.Id;
                entry.Slot = registration.Slot;
                entry.HandlerType = registration.HandlerTypeValue;
                Depth = depth + 1;
            }
            else
            {
                Grow(registration);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Pop()
        {
            Depth--;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        void Grow(Registration registration)
        {
            Array.Resize(ref Items, Items.Length * 2);
            Push(registration);
        }
    }

    // Plain values only: pushing and popping write no object references, so no GC write barriers.
    struct Entry
    {
        public int Id;
        public int Slot;
        public IntPtr HandlerType;
    }
}
