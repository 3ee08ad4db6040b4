using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Trapweave.Internal;

namespace Trapweave.Tracing;

/// <summary>
/// What trace handlers call (<see cref="TraceHandlerCompiler"/>): <see cref="Enter"/> before the
/// original runs, <see cref="Pass"/> right before the handler calls it, one of the <c>Returned</c>
/// methods or <see cref="Failed"/> after, and <see cref="Leave"/> on every way out. Nothing here
/// throws into the traced code: a failure loses the call, never the caller's.
/// </summary>
[StackTraceHidden]
internal static class TraceRecorder
{
    static readonly AsyncLocal<TraceFrame?> s_current = new();
    static long s_lastFlow;

    internal static long NewFlow() => Interlocked.Increment(ref s_lastFlow);

    /// <summary>The innermost traced call of the current flow.</summary>
    internal static TraceFrame? Current => s_current.Value;

    /// <summary>
    /// Records the start of the call for the sessions the binding carries and makes it the flow's
    /// current call; null when it is not recorded (rendering a value on this thread, every session
    /// stopped): the handler then lets the method run its body untraced.
    /// </summary>
    public static TraceFrame? Enter(object binding, object? self, object?[] arguments)
    {
        try
        {
            // A value being rendered calls user code (ToString, getters): those calls are not the program's.
            if (ValueRenderer.IsRenderingOnThisThread) return null;
            var b = Unsafe.As<Binding>(binding);
            var sessions = b.Traces;
            if (sessions is null) return null;
            var registration = (TraceTargetRegistration)b.Registration;
            var parent = s_current.Value;
            var timestamp = Stopwatch.GetTimestamp();
            var thread = Environment.CurrentManagedThreadId;

            // A call on its parent's flow unless a sibling is still open there (a parallel branch) or
            // the parent has ended (work that outlives it): then a flow of its own.
            object owner;
            long flow;
            if (parent is not null)
            {
                owner = parent;
                flow = Interlocked.Increment(ref parent.OpenChildren) == 1 && Volatile.Read(ref parent.Ended) == 0 ? parent.FlowId : NewFlow();
            }
            else
            {
                var root = sessions[0];
                owner = root;
                flow = Interlocked.Increment(ref root.OpenRoots) == 1 ? root.RootFlow : NewFlow();
            }

            var ids = new long[sessions.Length];
            var recording = false;
            for (var i = 0; i < sessions.Length; i++)
            {
                var session = sessions[i];
                if (session.Disposed)
                {
                    ids[i] = TraceBuilder.Dropped;
                    continue;
                }
                recording = true;
                ids[i] = session.Builder.BeginCall(TraceFrame.ParentIdIn(parent, session), registration.Target.Member, self, arguments,
                                                   flow, registration.IsAsync, timestamp, thread);
            }
            if (!recording)
            {
                GiveBack(owner);
                return null;
            }
            // A frame even for a call a cap dropped: its callees are dropped with it, not hung on its parent.
            var frame = new TraceFrame(b, parent, sessions, ids, flow, owner);
            var dispatch = b.Thread;
            frame.Flow = dispatch.Flow;
            frame.Saved = dispatch.Context;
            if (CallActivity.Wanted(sessions))
                frame.Activity = CallActivity.Start(registration.Target, arguments, sessions[0].Builder.Renderer, registration.IsAsync);
            s_current.Value = frame;
            frame.Entered = dispatch.Context;
            return frame;
        }
        catch (Exception)
        {
            return null;
        }
    }

    /// <summary>The handler is about to call the original: dispatch hands that one call on (TrapDispatch.TracePass).</summary>
    public static void Pass(TraceFrame frame)
    {
        frame.Binding.PendingTrace = frame;
        frame.Binding.Running = 1;
        frame.Binding.Thread.PendingPass = frame;
    }

    /// <summary>On every way out of the handler, on the thread that entered: the flow's current call is the parent again.</summary>
    public static void Leave(TraceFrame frame)
    {
        // Consumed by dispatch unless the flag was disarmed meanwhile and the body ran without it.
        frame.Binding.Running = 0;
        frame.Binding.PendingTrace = null;
        var dispatch = frame.Binding.Thread;
        if (ReferenceEquals(dispatch.PendingPass, frame)) dispatch.PendingPass = null;
        try
        {
            // Nothing else changed the context meanwhile (a method setting an AsyncLocal for its caller
            // did): the one before the call is put back as it was, so the thread's remembered dispatch
            // answers hold for the next call. Else only this AsyncLocal is set back.
            if (frame.Entered is not null && frame.Saved is { } saved && ReferenceEquals(dispatch.Context, frame.Entered))
                ExecutionContext.Restore(saved);
            else
                s_current.Value = frame.Parent;
            // A call still running (its task) keeps its span open, but the caller goes on under its own.
            if (frame.Activity is { } activity && ReferenceEquals(System.Diagnostics.Activity.Current, activity))
                System.Diagnostics.Activity.Current = activity.Parent;
        }
        catch (Exception) { }
    }

    /// <summary>A constructor: its body runs after the trap returns, so it is recorded as it starts, with no duration.</summary>
    public static void Started(TraceFrame frame)
    {
        End(frame, null, false, null);
        Leave(frame);
    }

    public static void ReturnedVoid(TraceFrame frame) => End(frame, null, false, null);

    public static void Returned(TraceFrame frame, object? result) => End(frame, result, true, null);

    /// <summary>A result that cannot be read (a ref struct, a byref).</summary>
    public static void ReturnedUnavailable(TraceFrame frame) => End(frame, Invocation.Unavailable, true, null);

    /// <summary>The handler's exception filter: records the exception as it passes (it is never caught here).</summary>
    public static int Failed(object exception, TraceFrame frame)
    {
        End(frame, null, false, exception as Exception ?? new RuntimeWrappedException(exception));
        return 0;
    }

    /// <summary>
    /// A task not yet complete is handed back as a stand-in that completes as it does, once its end is
    /// recorded: whoever awaits the call (a test runner ending the test's trace) sees the end in the
    /// trace. A continuation on the task itself could run after theirs. A task not started yet (made
    /// with its constructor) or of a type deriving from Task is kept, and recorded by a continuation.
    /// </summary>
    public static Task? ReturnedTask(TraceFrame frame, Task? task)
    {
        if (task is null)
        {
            End(frame, null, true, null);
            return task;
        }
        if (task.IsCompleted)
        {
            EndTask(task, frame);
            return task;
        }
        if (task.Status == TaskStatus.Created)
        {
            ReturnedTaskKept(frame, task);
            return task;
        }
        var standIn = new TaskCompletionSource();
        task.ContinueWith(static (t, state) =>
        {
            var (frame, standIn) = ((TraceFrame, TaskCompletionSource))state!;
            EndTask(t, frame);
            if (t.IsFaulted) standIn.TrySetException(t.Exception!.InnerExceptions);
            else if (t.IsCanceled) standIn.TrySetCanceled(CancellationOf(t));
            else standIn.TrySetResult();
        }, (frame, standIn), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return standIn.Task;
    }

    /// <inheritdoc cref="ReturnedTask"/>
    public static Task<T>? ReturnedTaskOf<T>(TraceFrame frame, Task<T>? task)
    {
        if (task is null)
        {
            End(frame, null, true, null);
            return task;
        }
        if (task.IsCompleted)
        {
            EndTaskOf(task, frame);
            return task;
        }
        if (task.Status == TaskStatus.Created)
        {
            task.ContinueWith(static (t, state) => EndTaskOf(t, (TraceFrame)state!), frame, CancellationToken.None,
                              TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return task;
        }
        var standIn = new TaskCompletionSource<T>();
        task.ContinueWith(static (t, state) =>
        {
            var (frame, standIn) = ((TraceFrame, TaskCompletionSource<T>))state!;
            EndTaskOf(t, frame);
            if (t.IsFaulted) standIn.TrySetException(t.Exception!.InnerExceptions);
            else if (t.IsCanceled) standIn.TrySetCanceled(CancellationOf(t));
            else standIn.TrySetResult(t.Result);
        }, (frame, standIn), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return standIn.Task;
    }

    /// <summary>A task handed back as it is (a declared type deriving from Task, a task not started): its end is recorded by a continuation.</summary>
    public static void ReturnedTaskKept(TraceFrame frame, Task? task)
    {
        if (task is null) End(frame, null, true, null);
        else if (task.IsCompleted) EndTask(task, frame);
        else task.ContinueWith(static (t, state) => EndTask(t, (TraceFrame)state!), frame, CancellationToken.None,
                               TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>The token a canceled task was canceled with (awaiting it throws that token's exception).</summary>
    static CancellationToken CancellationOf(Task task) => CanceledBy(task) is OperationCanceledException e ? e.CancellationToken : CancellationToken.None;

    /// <summary>
    /// A ValueTask can be awaited once only: one completed successfully is left as it is; any other
    /// is turned into its Task, which the caller awaits instead (as it would the ValueTask).
    /// </summary>
    public static ValueTask ReturnedValueTask(TraceFrame frame, ValueTask task)
    {
        if (task.IsCompletedSuccessfully)
        {
            End(frame, null, false, null);
            return task;
        }
        Task asTask;
        try { asTask = task.AsTask(); }
        catch (Exception e)
        {
            End(frame, null, false, e);
            throw;
        }
        return new ValueTask(ReturnedTask(frame, asTask)!);
    }

    public static ValueTask<T> ReturnedValueTaskOf<T>(TraceFrame frame, ValueTask<T> task)
    {
        if (task.IsCompletedSuccessfully)
        {
            // Reading the result consumes a pooled source's: the caller gets the value itself.
            var result = task.Result;
            End(frame, result, true, null);
            return new ValueTask<T>(result);
        }
        Task<T> asTask;
        try { asTask = task.AsTask(); }
        catch (Exception e)
        {
            End(frame, null, false, e);
            throw;
        }
        return new ValueTask<T>(ReturnedTaskOf(frame, asTask)!);
    }

    static void EndTask(Task task, TraceFrame frame) =>
        End(frame, null, false, task.IsFaulted ? Unwrap(task.Exception!) : task.IsCanceled ? CanceledBy(task) : null);

    /// <summary>What awaiting a canceled task throws (the method's own OperationCanceledException, with its token).</summary>
    static Exception CanceledBy(Task task)
    {
        try { task.GetAwaiter().GetResult(); }
        catch (OperationCanceledException e) { return e; }
        catch (Exception) { }
        return new TaskCanceledException(task);
    }

    static void EndTaskOf<T>(Task<T> task, TraceFrame frame)
    {
        if (task.IsCompletedSuccessfully) End(frame, task.Result, true, null);
        else EndTask(task, frame);
    }

    static Exception Unwrap(AggregateException exception) => exception.InnerExceptions.Count == 1 ? exception.InnerExceptions[0] : exception;

    /// <summary>An arrangement answered the call it was handed: the traced call it stands for is marked arranged.</summary>
    internal static void Answered(Registration registration)
    {
        if (!TraceDispatch.IsActive) return;
        try
        {
            if (s_current.Value is { } frame && ReferenceEquals(frame.Binding.Registration.Target.Member, registration.Target.Member) &&
                Volatile.Read(ref frame.Ended) == 0)
                frame.Arranged = true;
        }
        catch (Exception) { }
    }

    static void End(TraceFrame frame, object? result, bool hasResult, Exception? exception)
    {
        if (Interlocked.Exchange(ref frame.Ended, 1) != 0) return;
        try
        {
            var timestamp = Stopwatch.GetTimestamp();
            var thread = Environment.CurrentManagedThreadId;
            for (var i = 0; i < frame.Sessions.Length; i++)
                if (frame.Ids[i] > 0) frame.Sessions[i].Builder.EndCall(frame.Ids[i], timestamp, thread, result, hasResult, exception, frame.Arranged);
            if (frame.Activity is { } activity)
                CallActivity.Stop(activity, frame.Binding.Target, frame.Sessions[0].Builder.Renderer, result, hasResult, exception, frame.Arranged);
        }
        catch (Exception) { }
        finally
        {
            GiveBack(frame.FlowOwner);
        }
    }

    static void GiveBack(object? owner)
    {
        if (owner is TraceFrame parent) Interlocked.Decrement(ref parent.OpenChildren);
        else if (owner is TraceSessionRegistration session) Interlocked.Decrement(ref session.OpenRoots);
    }
}
