using System;
using System.Runtime.CompilerServices;

namespace Trapweave.Internal.Native;

/// <summary>
/// The twin's guard: while a natively patched call is being dispatched on a thread (registrations
/// looked up, a handler's own bookkeeping), natively patched members called from there run their
/// original code. Trapweave's own dispatch uses framework members (Volatile.Read, string.Concat, ...)
/// that a test may patch; without the guard they would dispatch into themselves without end. Woven
/// and redirected calls are not affected. The mark lives in the thread's <see cref="DispatchThread"/>,
/// which the lookup needs anyway: one thread-static read serves the guard and the dispatch.
/// </summary>
internal static class NativeDispatch
{
    /// <summary>This thread's dispatch state, now marked; null when the thread is already dispatching a native call (run the original).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DispatchThread? Enter()
    {
        var thread = DispatchThread.Current;
        if (thread.InNativeDispatch != 0) return null;
        thread.InNativeDispatch = 1;
        return thread;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Exit(DispatchThread thread) => thread.InNativeDispatch = 0;

    /// <summary>
    /// Lifts the guard while a native handler runs the user's code (replacement, Before, After) and
    /// the original, which must see other native patches as usual; its registration counts as running
    /// meanwhile, so nothing comes back to it. Returns what <see cref="Resume"/> puts back.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Suspend(object binding)
    {
        var thread = Unsafe.As<Binding>(binding).Thread;
        var mark = thread.InNativeDispatch;
        thread.InNativeDispatch = 0;
        return mark;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Resume(object binding, int mark) => Unsafe.As<Binding>(binding).Thread.InNativeDispatch = mark;

    internal static readonly System.Reflection.MethodInfo SuspendMethod = typeof(NativeDispatch).GetMethod(nameof(Suspend))!;
    internal static readonly System.Reflection.MethodInfo ResumeMethod = typeof(NativeDispatch).GetMethod(nameof(Resume))!;

    /// <summary>Whether handlers compiled for <paramref name="target"/> must lift the guard around the user's code.</summary>
    public static bool IsTwin(TrapTarget target) => target.Stub is { Kind: RedirectKind.Twin };
}
