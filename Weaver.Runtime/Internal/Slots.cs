using System;
using System.Collections.Generic;
using System.Reflection;

namespace Trapweave.Internal;

/// <summary>
/// Gives each woven method's armed flag a process-wide slot number and keeps the flag equal to
/// that number while any registration for the method is alive anywhere (0 otherwise), so unarmed
/// methods pay only a load and a branch.
/// </summary>
internal static class Slots
{
    static readonly object Gate = new();
    static readonly Dictionary<FieldInfo, int> SlotOfFlag = new();
    static FieldInfo[] s_flags = new FieldInfo[64];
    static int[] s_live = new int[64];
    static int s_next = 1;

    public static int SlotFor(FieldInfo flag)
    {
        lock (Gate)
        {
            if (SlotOfFlag.TryGetValue(flag, out var slot)) return slot;
            slot = s_next++;
            if (slot >= s_flags.Length)
            {
                Array.Resize(ref s_flags, s_flags.Length * 2);
                Array.Resize(ref s_live, s_live.Length * 2);
            }
            s_flags[slot] = flag;
            SlotOfFlag.Add(flag, slot);
            return slot;
        }
    }

    public static void Arm(int slot)
    {
        lock (Gate)
        {
            if (s_live[slot]++ == 0) s_flags[slot].SetValue(null, slot);
        }
    }

    public static void Disarm(int slot)
    {
        lock (Gate)
        {
            if (--s_live[slot] == 0) s_flags[slot].SetValue(null, 0);
        }
    }

    /// <summary>Number of live registrations on a slot, for diagnostics and tests.</summary>
    public static int LiveCount(int slot)
    {
        lock (Gate) return slot < s_live.Length ? s_live[slot] : 0;
    }
}
