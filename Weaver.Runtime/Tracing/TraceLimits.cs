using System;

namespace Trapweave.Tracing;

/// <summary>
/// The memory cap of one trace. Past either limit further calls are dropped and counted (the trace's
/// <see cref="CallTrace.Truncated"/>); recording never throws into the traced code.
/// </summary>
public sealed class TraceLimits
{
    /// <summary>Calls recorded at most. Default 100 000 (about 30–60 MB of JSON with default rendering).</summary>
    public int MaxCalls { get; init; } = 100_000;

    /// <summary>Bytes of rendered text (arguments, results, exceptions; two per UTF-16 char) held at most. Default 64 MiB.</summary>
    public long MaxRenderedBytes { get; init; } = 64L * 1024 * 1024;

    public static TraceLimits Default { get; } = new();

    internal void Validate()
    {
        if (MaxCalls < 1) throw new ArgumentOutOfRangeException(nameof(MaxCalls), MaxCalls, "TraceLimits.MaxCalls must be at least 1.");
        if (MaxCalls > 50_000_000) throw new ArgumentOutOfRangeException(nameof(MaxCalls), MaxCalls, "TraceLimits.MaxCalls is at most 50 000 000: larger traces no viewer loads.");
        if (MaxRenderedBytes < 0) throw new ArgumentOutOfRangeException(nameof(MaxRenderedBytes), MaxRenderedBytes, "TraceLimits.MaxRenderedBytes cannot be negative.");
    }
}
