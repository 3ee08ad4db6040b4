using Trapweave.Internal;

namespace Trapweave.Tracing;

/// <summary>
/// One traced call while it runs: the current flow's innermost traced call (<see cref="TraceRecorder"/>'s
/// AsyncLocal), so calls it makes, awaits and starts (Task.Run, threads) record it as their parent.
/// </summary>
internal sealed class TraceFrame
{
    public TraceFrame(Binding binding, TraceFrame? parent, TraceSessionRegistration[] sessions, long[] ids, long flowId, object? flowOwner)
    {
        Binding = binding;
        Parent = parent;
        Sessions = sessions;
        Ids = ids;
        FlowId = flowId;
        FlowOwner = flowOwner;
    }

    /// <summary>The thread's trace binding of the method (where the handler's own call to the original is announced).</summary>
    public readonly Binding Binding;
    public readonly TraceFrame? Parent;
    /// <summary>The sessions recording it, and its id in each (<see cref="TraceBuilder.Dropped"/> where a cap dropped it).</summary>
    public readonly TraceSessionRegistration[] Sessions;
    public readonly long[] Ids;
    public readonly long FlowId;
    /// <summary>Whose open-call count this call took (its parent frame, or for a root the session): given back at its end.</summary>
    public readonly object? FlowOwner;

    /// <summary>Calls started under this one that have not ended (a second one at once is a parallel branch: a flow of its own).</summary>
    public int OpenChildren;
    /// <summary>Set once: the call has ended.</summary>
    public int Ended;
    /// <summary>An arrangement or an unconditional patch answered instead of the method's body.</summary>
    public bool Arranged;
    /// <summary>The flow's state the call was made in (what the handler's own call to the original is dispatched in).</summary>
    public FlowState? Flow;
    /// <summary>The thread's context before the call became current, and the one that made it current:
    /// while the thread is still in the latter, leaving restores the former (no new context).</summary>
    public System.Threading.ExecutionContext? Saved, Entered;
    /// <summary>The call's span, when one is wanted (<see cref="CallActivity"/>).</summary>
    public System.Diagnostics.Activity? Activity;

    /// <summary>This call's id in <paramref name="session"/>, or of its nearest ancestor that session recorded; NoParent at the top.</summary>
    public static long ParentIdIn(TraceFrame? frame, TraceSessionRegistration session)
    {
        for (; frame is not null; frame = frame.Parent)
        {
            var index = System.Array.IndexOf(frame.Sessions, session);
            if (index >= 0) return frame.Ids[index];
        }
        return TraceBuilder.NoParent;
    }
}
