using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Threading;
using Trapweave.Internal;

namespace Trapweave.Tracing;

/// <summary>
/// A trace session as a registration: it lives where the flow's registrations live (its scope, the
/// flow's own set, or process-wide), on a slot of its own with no flag, so scoping, disposal with
/// scopes and visibility to forked flows are those of every registration. Dispatch looks for it
/// (<see cref="TraceDispatch.Visible"/>); it never handles a call itself.
/// </summary>
internal sealed class TraceSessionRegistration : Registration
{
    readonly ConcurrentDictionary<MethodBase, bool> _accepts = new();
    readonly TracePatterns _include;
    readonly TracePatterns _exclude;

    public TraceSessionRegistration(bool isGlobal, CallTraceOptions options)
        : base(TraceDispatch.Placeholder, isGlobal, null, TraceDispatch.SessionSlot)
    {
        Options = options;
        _include = new TracePatterns(options.Filter.Include);
        _exclude = new TracePatterns(options.Filter.Exclude);
        Builder = new TraceBuilder(new ValueRenderer(options.Render), options.Limits, options.Filter, options.Name);
        RootFlow = TraceRecorder.NewFlow();
    }

    public readonly CallTraceOptions Options;
    public readonly TraceBuilder Builder;

    /// <summary>The flow of root calls that do not overlap another root (see <see cref="TraceRecorder"/>).</summary>
    public readonly long RootFlow;
    /// <summary>Root calls open now.</summary>
    public int OpenRoots;

    /// <summary>When it stopped (Stopwatch), for the final trace's duration.</summary>
    public long? StoppedAt { get; private set; }

    public override string Kind => "Trace";
    public override string Subject => "every traced method" + (Options.Name is { } name ? $" (trace '{name}')" : "");

    protected override MethodInfo Compile(TrapTarget target) => null!;

    /// <summary>Whether the filter takes calls of <paramref name="target"/> (decided once per method).</summary>
    public bool Accepts(TrapTarget target) => Accepts(target.Member);

    /// <summary>Whether the filter takes calls of <paramref name="method"/> (any instantiation: generic arguments are not named).</summary>
    public bool Accepts(MethodBase method) =>
        _accepts.GetOrAdd(method, static (member, self) => self.Decide(member), this);

    bool Decide(MethodBase member)
    {
        var name = TracePatterns.NameOf(member);
        return (_include.IsEmpty || _include.Matches(name)) && !_exclude.Matches(name);
    }

    protected override void OnDisposed()
    {
        StoppedAt = Stopwatch.GetTimestamp();
        TraceDispatch.Release(this);
    }
}
