using System;

namespace Trapweave.Internal;

/// <summary>What an arrangement does with a matching call.</summary>
[System.Diagnostics.StackTraceHidden]
internal sealed class ArrangementRegistration : BoxedRegistration
{
    public override string Kind => "When";

    readonly CallPattern _pattern;
    readonly Action<Invocation> _outcome;

    public ArrangementRegistration(TrapTarget target, RedirectRoute? route, bool isGlobal, CallPattern pattern, Action<Invocation> outcome)
        : base(target, route, isGlobal, pattern.Instance)
    {
        _pattern = pattern;
        _outcome = outcome;
    }

    protected override bool Matches(Invocation call) => _pattern.Matches(call);
    protected override void Before(Invocation call)
    {
        _outcome(call);
        if (call.HasOutcome) Tracing.TraceRecorder.Answered(this);
    }
}
