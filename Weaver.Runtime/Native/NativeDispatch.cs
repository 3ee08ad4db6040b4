using System;
using System.Runtime.CompilerServices;

namespace Trapweave.Internal.Native;

/// <summary>
/// The twin's guard: while a natively patched call is being dispatched on a thread (registrations
/// looked up, a handler running), natively patched members called from there run their original
/// code. Trapweave's own dispatch uses framework members (Volatile.Read, string.Concat, ...) that a
/// test may patch; without the guard they would dispatch into themselves without end. Woven and
/// redirected calls are not affected.
/// </summary>
internal static class NativeDispatch
{
    [ThreadStatic] static int t_depth;

    /// <summary>False when this thread is already dispatching a native call (run the original).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Enter()
    {
        if (t_depth != 0) return false;
        t_depth = 1;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Exit() => t_depth = 0;
}
