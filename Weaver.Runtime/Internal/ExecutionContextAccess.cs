using System;
using System.Runtime.CompilerServices;
using System.Threading;

namespace Trapweave.Internal;

/// <summary>
/// Reads a thread's current <see cref="ExecutionContext"/> (the private field
/// <c>Thread._executionContext</c>, which <c>AsyncLocal&lt;T&gt;.Value</c> itself reads) from a
/// <see cref="Thread"/> already in hand, saving the thread-static read behind
/// <see cref="Thread.CurrentThread"/>. Checked once: on a runtime without the field,
/// <see cref="IsAvailable"/> is false and callers read the AsyncLocal instead.
/// </summary>
internal static class ExecutionContextAccess
{
    /// <summary>Whether <see cref="Of"/> works on this runtime (constant once the JIT has seen it).</summary>
    public static readonly bool IsAvailable = Probe();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ExecutionContext? Of(Thread thread) => Field(thread);

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_executionContext")]
    static extern ref ExecutionContext? Field(Thread thread);

    static bool Probe()
    {
        try
        {
            // The field must be what the runtime reads: the context set by an AsyncLocal write.
            var captured = ExecutionContext.Capture();
            if (captured is null)
            {
                // Flow is suppressed here, so no context can be run to check it: the field's presence must do.
                _ = Field(Thread.CurrentThread);
                return true;
            }
            var probe = new AsyncLocal<object>();
            var seen = false;
            ExecutionContext.Run(captured, _ =>
            {
                probe.Value = new object();
                var context = Field(Thread.CurrentThread);
                seen = context is not null && ReferenceEquals(context, Field(Thread.CurrentThread));
                var before = context;
                probe.Value = new object();
                seen &= !ReferenceEquals(before, Field(Thread.CurrentThread));
            }, null);
            return seen;
        }
        catch (MissingFieldException)
        {
            return false;
        }
    }
}
