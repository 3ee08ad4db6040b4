using System;

namespace Trapweave.Internal;

/// <summary>
/// An immutable snapshot of registrations, indexed by slot, newest first. A flow's snapshot is
/// replaced (never mutated) on each change, so flows forked earlier keep what they saw.
/// </summary>
internal sealed class RegistrationSet
{
    public static readonly RegistrationSet Empty = new(Array.Empty<Registration[]?>(), null);

    public readonly Registration[]?[] BySlot;

    /// <summary>The innermost <see cref="Trap.Scope"/> open in this flow, which owns new registrations.</summary>
    public readonly TrapScope? Scope;

    RegistrationSet(Registration[]?[] bySlot, TrapScope? scope)
    {
        BySlot = bySlot;
        Scope = scope;
    }

    public Registration[]? this[int slot] => (uint)slot < (uint)BySlot.Length ? BySlot[slot] : null;

    public RegistrationSet With(Registration registration)
    {
        var slot = registration.Target.Slot;
        var bySlot = new Registration[]?[Math.Max(BySlot.Length, slot + 1)];
        Array.Copy(BySlot, bySlot, BySlot.Length);
        var old = bySlot[slot];
        var regs = new Registration[(old?.Length ?? 0) + 1];
        regs[0] = registration;
        old?.CopyTo(regs, 1);
        bySlot[slot] = regs;
        return new RegistrationSet(bySlot, Scope);
    }

    public RegistrationSet Without(Registration registration)
    {
        var slot = registration.Target.Slot;
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
        return new RegistrationSet(bySlot, Scope);
    }

    public bool Contains(Registration registration)
    {
        var regs = this[registration.Target.Slot];
        return regs is not null && Array.IndexOf(regs, registration) >= 0;
    }

    public RegistrationSet WithScope(TrapScope? scope) => ReferenceEquals(scope, Scope) ? this : new RegistrationSet(BySlot, scope);
}
