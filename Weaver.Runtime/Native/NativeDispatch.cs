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

    /// <summary>
    /// Lifts the guard while a native handler runs the user's code (replacement, Before, After) and
    /// the original, which must see other native patches as usual; its registration counts as running
    /// meanwhile, so nothing comes back to it. Returns what <see cref="Resume"/> puts back.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Suspend()
    {
        var depth = t_depth;
        t_depth = 0;
        return depth;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Resume(int depth) => t_depth = depth;

    internal static readonly System.Reflection.MethodInfo SuspendMethod = typeof(NativeDispatch).GetMethod(nameof(Suspend))!;
    internal static readonly System.Reflection.MethodInfo ResumeMethod = typeof(NativeDispatch).GetMethod(nameof(Resume))!;

    /// <summary>Whether handlers compiled for <paramref name="target"/> must lift the guard around the user's code.</summary>
    public static bool IsTwin(TrapTarget target) => target.Stub is { Kind: RedirectKind.Twin };
}
