using System;

namespace Trapweave.Tracing;

/// <summary>What a trace (<see cref="Trap.Trace"/>) records and how much of it.</summary>
public sealed class CallTraceOptions
{
    /// <summary>The trace's name (a test's, a run's), carried into every export.</summary>
    public string? Name { get; init; }

    /// <summary>Which calls are recorded: by default every woven method's, no redirected framework call.</summary>
    public TraceCallFilter Filter { get; init; } = TraceCallFilter.Default;

    /// <summary>The caps on calls and rendered bytes; past them the trace says it was truncated.</summary>
    public TraceLimits Limits { get; init; } = TraceLimits.Default;

    /// <summary>How arguments and results are rendered (depth, lengths, secrets).</summary>
    public TraceRenderOptions Render { get; init; } = new();

    /// <summary>
    /// Whether calls are also started as spans of the <see cref="TraceActivities.SourceName"/>
    /// ActivitySource (only while something listens to it: otherwise nothing is made). On by default.
    /// </summary>
    public bool Activities { get; init; } = true;

    public static CallTraceOptions Default { get; } = new();

    internal void Validate()
    {
        if (Filter is null) throw new ArgumentException("CallTraceOptions.Filter cannot be null: leave it out for the default (every woven method).", nameof(Filter));
        if (Limits is null) throw new ArgumentException("CallTraceOptions.Limits cannot be null: leave it out for the default caps.", nameof(Limits));
        if (Render is null) throw new ArgumentException("CallTraceOptions.Render cannot be null: leave it out for the default rendering.", nameof(Render));
        Limits.Validate();
        if (Filter.Redirected)
            throw new ArgumentException("TraceCallFilter(redirected: true) is not supported yet: a trace records the woven assemblies' own methods, not redirected framework calls. " +
                                        "Leave redirected out; to see a framework call, trace the woven method that makes it.", nameof(Filter));
    }
}
