using System;
using System.Collections.Generic;

namespace Trapweave.Tracing;

/// <summary>
/// A recorded call tree: the root calls (calls whose caller was not traced), what was dropped to keep
/// it bounded, the filter that chose the calls, and where it was recorded. Read and written as JSON
/// by <see cref="TraceJson"/>, exported for Perfetto by <see cref="ChromeTrace"/>.
/// </summary>
public sealed class CallTrace
{
    internal CallTrace(string? name, DateTimeOffset startedAt, long durationNs, TraceProcess process, TraceCallFilter filter,
                   TraceTruncation? truncated, long callCount, IReadOnlyList<TraceCall> roots)
    {
        Name = name;
        StartedAt = startedAt;
        DurationNs = durationNs;
        Process = process;
        Filter = filter;
        Truncated = truncated;
        CallCount = callCount;
        Roots = roots;
    }

    /// <summary>What was traced (a test's name), if given.</summary>
    public string? Name { get; }
    /// <summary>Wall-clock time of the trace's start; call times count from here.</summary>
    public DateTimeOffset StartedAt { get; }
    public long DurationNs { get; }
    public TraceProcess Process { get; }
    public TraceCallFilter Filter { get; }
    /// <summary>Null unless a cap dropped calls or values.</summary>
    public TraceTruncation? Truncated { get; }
    /// <summary>Calls in the tree (all levels).</summary>
    public long CallCount { get; }
    public IReadOnlyList<TraceCall> Roots { get; }

    /// <summary>Every call, depth first in start order.</summary>
    public IEnumerable<TraceCall> AllCalls()
    {
        var stack = new Stack<TraceCall>();
        for (int i = Roots.Count - 1; i >= 0; i--) stack.Push(Roots[i]);
        while (stack.Count > 0)
        {
            var call = stack.Pop();
            yield return call;
            for (int i = call.Children.Count - 1; i >= 0; i--) stack.Push(call.Children[i]);
        }
    }
}

/// <summary>The process a trace was recorded in.</summary>
public sealed class TraceProcess
{
    public TraceProcess(int id, string name, string runtime, string os)
    {
        Id = id;
        Name = name ?? "";
        Runtime = runtime ?? "";
        Os = os ?? "";
    }

    public int Id { get; }
    public string Name { get; }
    /// <summary>The runtime's description, e.g. <c>.NET 10.0.0</c>.</summary>
    public string Runtime { get; }
    public string Os { get; }

    public static TraceProcess Current()
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return new TraceProcess(process.Id, process.ProcessName,
                                System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
                                System.Runtime.InteropServices.RuntimeInformation.OSDescription);
    }
}

/// <summary>Which calls a trace records: as configured, for the reader to know what it is not seeing.</summary>
public sealed class TraceCallFilter
{
    public TraceCallFilter(IReadOnlyList<string>? include = null, IReadOnlyList<string>? exclude = null,
                       long minDurationNs = 0, bool redirected = false)
    {
        if (minDurationNs < 0) throw new ArgumentOutOfRangeException(nameof(minDurationNs), minDurationNs, "TraceCallFilter: the minimum duration cannot be negative.");
        Include = include ?? Array.Empty<string>();
        Exclude = exclude ?? Array.Empty<string>();
        MinDurationNs = minDurationNs;
        Redirected = redirected;
    }

    /// <summary>Patterns of methods recorded (namespace, type or method, <c>*</c> wildcards); empty: the woven assemblies' own code.</summary>
    public IReadOnlyList<string> Include { get; }
    public IReadOnlyList<string> Exclude { get; }
    /// <summary>Completed calls shorter than this are left out with their subtrees.</summary>
    public long MinDurationNs { get; }
    /// <summary>Whether redirected (framework) calls are recorded.</summary>
    public bool Redirected { get; }

    public static TraceCallFilter Default { get; } = new();
}

/// <summary>What a cap dropped: the trace is incomplete, and says by how much.</summary>
public sealed class TraceTruncation
{
    public TraceTruncation(long droppedCalls, long droppedValues, string limit, long maxCalls, long maxRenderedBytes)
    {
        DroppedCalls = droppedCalls;
        DroppedValues = droppedValues;
        Limit = limit ?? throw new ArgumentNullException(nameof(limit));
        MaxCalls = maxCalls;
        MaxRenderedBytes = maxRenderedBytes;
    }

    /// <summary>Calls not recorded (with the calls they made).</summary>
    public long DroppedCalls { get; }
    /// <summary>Results or exceptions of recorded calls left out because the byte cap was reached as they ended.</summary>
    public long DroppedValues { get; }
    /// <summary>The cap hit first: <c>calls</c> or <c>bytes</c>.</summary>
    public string Limit { get; }
    public long MaxCalls { get; }
    public long MaxRenderedBytes { get; }
}
