using System.Collections.Generic;

namespace Trapweave.Internal;

/// <summary>
/// Small, dense numbers for live registrations, reused once a registration is disposed, so each
/// thread can keep its handlers in an array indexed by them (<see cref="DispatchThread"/>) whose
/// size follows the number of registrations alive at once, not the number ever made.
/// </summary>
internal static class RegistrationIndexes
{
    static readonly object Gate = new();
    static readonly Stack<int> Free = new();
    static int s_next;

    public static int Take()
    {
        lock (Gate) return Free.Count > 0 ? Free.Pop() : s_next++;
    }

    public static void Release(int index)
    {
        lock (Gate) Free.Push(index);
    }

    /// <summary>How many indexes were ever handed out (the most registrations alive at once), and how many are in use now; for tests.</summary>
    public static (int Issued, int InUse) Counts
    {
        get
        {
            lock (Gate) return (s_next, s_next - Free.Count);
        }
    }
}
