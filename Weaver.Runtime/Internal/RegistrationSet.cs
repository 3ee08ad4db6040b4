using System;
using System.Collections.Generic;
using System.Threading;

namespace Trapweave.Internal;

/// <summary>
/// An immutable snapshot of registrations, indexed by slot, newest first. A flow's snapshot is
/// replaced (never mutated) on each change, so flows forked earlier keep what they saw.
/// </summary>
internal sealed class RegistrationSet
{
    public static readonly RegistrationSet Empty = new(Array.Empty<Registration[]?>());

    public readonly Registration[]?[] BySlot;

    RegistrationSet(Registration[]?[] bySlot) => BySlot = bySlot;

    public Registration[]? this[int slot] => (uint)slot < (uint)BySlot.Length ? BySlot[slot] : null;

    public RegistrationSet With(Registration registration)
    {
        var slot = registration.Slot;
        var bySlot = new Registration[]?[Math.Max(BySlot.Length, slot + 1)];
        Array.Copy(BySlot, bySlot, BySlot.Length);
        var old = bySlot[slot];
        var regs = new Registration[(old?.Length ?? 0) + 1];
        regs[0] = registration;
        old?.CopyTo(regs, 1);
        bySlot[slot] = regs;
        return new RegistrationSet(bySlot);
    }

    public RegistrationSet Without(Registration registration)
    {
        var slot = registration.Slot;
        var old = this[slot];
        var index = old is null ? -1 : Array.IndexOf(old, registration);
        if (index < 0) return this;
        var bySlot = (Registration[]?[])BySlot.Clone();
        if (old!.Length == 1)
        {
            bySlot[slot] = null;
        }
        else
        {
            var regs = new Registration[old.Length - 1];
            Array.Copy(old, 0, regs, 0, index);
            Array.Copy(old, index + 1, regs, index, old.Length - index - 1);
            bySlot[slot] = regs;
        }
        return new RegistrationSet(bySlot);
    }

    public bool Contains(Registration registration)
    {
        var regs = this[registration.Slot];
        return regs is not null && Array.IndexOf(regs, registration) >= 0;
    }

    /// <summary>Every registration in the set, each once.</summary>
    public List<Registration> All()
    {
        var all = new List<Registration>();
        foreach (var regs in BySlot)
            if (regs is not null) all.AddRange(regs);
        return all;
    }

    /// <summary>Replaces <paramref name="location"/>'s set by <paramref name="change"/> of it, atomically (for sets shared between threads).</summary>
    public static void Update(ref RegistrationSet location, Func<RegistrationSet, Registration, RegistrationSet> change, Registration registration)
    {
        RegistrationSet seen, next;
        do
        {
            seen = Volatile.Read(ref location);
            next = change(seen, registration);
        } while (!ReferenceEquals(seen, next) && Interlocked.CompareExchange(ref location, next, seen) != seen);
    }
}
