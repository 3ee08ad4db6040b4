using System;
using System.Collections.Generic;
using System.Reflection;

namespace Trapweave.Internal;

/// <summary>
/// Gives each woven method's armed flag a process-wide slot number and keeps the flag equal to
/// that number while any registration for the method is alive anywhere (0 otherwise), so unarmed
/// methods pay only a load and a branch.
/// </summary>
/// <remarks>
/// A redirected member has one slot for all its stubs, in every module (<see cref="SlotForMember"/>):
/// arming it sets every stub's flag, and a stub found later (an assembly loaded after the
/// registration) is set as it is attached.
/// </remarks>
internal static class Slots
{
    static readonly object Gate = new();
    static readonly Dictionary<FieldInfo, int> SlotOfFlag = new();
    static readonly Dictionary<(Module, int), int> SlotOfMember = new();
    static FieldInfo[]?[] s_flags = new FieldInfo[]?[64];
    static int[] s_live = new int[64];
    static int s_next = 1;

    public static int SlotFor(FieldInfo flag)
    {
        lock (Gate)
        {
            if (SlotOfFlag.TryGetValue(flag, out var slot)) return slot;
            slot = NewSlot();
            s_flags[slot] = new[] { flag };
            SlotOfFlag.Add(flag, slot);
            return slot;
        }
    }

    /// <summary>The slot of a redirected member (its definition), shared by all its stubs.</summary>
    public static int SlotForMember(MethodBase definition)
    {
        lock (Gate)
        {
            var key = (definition.Module, definition.MetadataToken);
            if (SlotOfMember.TryGetValue(key, out var slot)) return slot;
            slot = NewSlot();
            s_flags[slot] = Array.Empty<FieldInfo>();
            SlotOfMember.Add(key, slot);
            return slot;
        }
    }

    /// <summary>Adds a stub's flag to its member's slot, set at once if the slot is armed.</summary>
    public static void Attach(int slot, FieldInfo flag)
    {
        lock (Gate)
        {
            var flags = s_flags[slot]!;
            if (Array.IndexOf(flags, flag) >= 0) return;
            Array.Resize(ref flags, flags.Length + 1);
            flags[^1] = flag;
            s_flags[slot] = flags;
            if (s_live[slot] > 0) flag.SetValue(null, slot);
        }
    }

    static int NewSlot()
    {
        var slot = s_next++;
        if (slot >= s_flags.Length)
        {
            Array.Resize(ref s_flags, s_flags.Length * 2);
            Array.Resize(ref s_live, s_live.Length * 2);
        }
        return slot;
    }

    public static void Arm(int slot)
    {
        lock (Gate)
        {
            if (s_live[slot]++ == 0) Set(slot, slot);
        }
    }

    public static void Disarm(int slot)
    {
        lock (Gate)
        {
            if (--s_live[slot] == 0) Set(slot, 0);
        }
    }

    static void Set(int slot, int value)
    {
        foreach (var flag in s_flags[slot]!) flag.SetValue(null, value);
    }

    /// <summary>Number of live registrations on a slot, for diagnostics and tests.</summary>
    public static int LiveCount(int slot)
    {
        lock (Gate) return slot < s_live.Length ? s_live[slot] : 0;
    }
}
