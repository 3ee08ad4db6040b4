using System;

namespace Trapweave.Internal;

/// <summary>
/// A registration as seen from one thread: the target its handler delegate is closed over. The
/// handler reaches its registration and the thread's dispatch state through it, with no
/// thread-static read, and marks itself running here while its replacement or interceptor runs.
/// </summary>
/// <remarks>
/// A call to the same method from inside a running handler skips the registrations running on
/// this thread, so a replacement can call the original without recursing. The mark is a counter
/// on this per-thread object, not a per-thread stack: entering and leaving cost one increment and
/// one decrement, with no thread-static read and no GC write barrier.
/// </remarks>
internal sealed class Binding
{
    public readonly Registration Registration;
    public readonly DispatchThread Thread;
    public readonly Delegate Handler;

    /// <summary>How many calls of this handler are running on this thread (more than one when it re-enters via other code).</summary>
    public int Running;

    public Binding(Registration registration, DispatchThread thread)
    {
        Registration = registration;
        Thread = thread;
        Handler = registration.CreateHandler(this);
    }
}
