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
    /// <summary>What the handler was compiled for: the woven method, or one redirect stub instantiation.</summary>
    public readonly TrapTarget Target;
    public readonly RuntimeTypeHandle HandlerType;
    public readonly Delegate Handler;
    /// <summary>Whose <see cref="Running"/> counts: this binding, or for another stub of a redirect registration, the registration's first binding on this thread.</summary>
    public readonly Binding Counter;
    /// <summary>The registration's binding on this thread for another handler type (redirect registrations reached through several stubs).</summary>
    public Binding? Sibling;

    /// <summary>How many calls of this registration's handlers are running on this thread (more than one when it re-enters via other code).
    /// For a trace's binding: 1 while the handler's own call to the original is on its way (consumed there, see TrapDispatch).</summary>
    public int Running;

    /// <summary>For a trace's binding: the sessions that see calls in the context dispatch last answered for (set with the answer).</summary>
    public Tracing.TraceSessionRegistration[]? Traces;

    /// <summary>For a trace's binding: the call whose original is on its way (see <see cref="Running"/>).</summary>
    public Tracing.TraceFrame? PendingTrace;

    public Binding(Registration registration, DispatchThread thread, TrapTarget target, Binding? primary = null)
    {
        Registration = registration;
        Thread = thread;
        Target = target;
        HandlerType = target.HandlerHandle;
        Counter = primary ?? this;
        Handler = registration.CreateHandler(this);
    }
}
