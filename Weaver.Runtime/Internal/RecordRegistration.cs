namespace Trapweave.Internal;

/// <summary>Feeds a <see cref="CallRecorder"/>; lets every call run.</summary>
[System.Diagnostics.StackTraceHidden]
internal sealed class RecordRegistration : BoxedRegistration
{
    public override string Kind => "Record";

    readonly CallRecorder _recorder;

    public RecordRegistration(TrapTarget target, RedirectRoute? route, bool isGlobal, object? instance, CallRecorder recorder)
        : base(target, route, isGlobal, instance)
    {
        _recorder = recorder;
    }

    protected override void Before(Invocation call) => call.State = _recorder.Add(call);

    protected override void After(Invocation call)
    {
        var recorded = (RecordedCall)call.State!;
        recorded.Result = call.Result;
        recorded.Exception = call.Exception;
        recorded.ArgumentsAfter = (object?[])call.Arguments.Clone();
        recorded.Completed = true;
    }
}
