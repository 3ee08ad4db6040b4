using System;

namespace Trapweave.Internal.Native;

/// <summary>
/// Swaps a word of code while every other thread of the process is held for a moment, none of them
/// inside a given range: the way to write a jump over the first bytes of code that callers enter
/// directly (a virtual method's body, reached through vtable slots and interface dispatch caches that
/// no precode guards), so that no thread can run those bytes half written. One file per OS.
/// </summary>
internal interface IWorldStop
{
    /// <summary>Why threads cannot be held on this platform, or null.</summary>
    string? Unavailable { get; }

    /// <summary>
    /// Holds every other thread, and when none is stopped at an instruction in
    /// [<paramref name="zoneStart"/>, <paramref name="zoneEnd"/>), compare-and-swaps the aligned word at
    /// <paramref name="word"/> (its page already writable). <paramref name="detail"/>: the instruction
    /// pointer found in the zone, or the value found in the word.
    /// </summary>
    WorldStopOutcome SwapWhileStopped(IntPtr word, long expected, long value, IntPtr zoneStart, IntPtr zoneEnd, out long detail);
}

/// <summary>How a <see cref="IWorldStop.SwapWhileStopped"/> ended.</summary>
internal enum WorldStopOutcome
{
    Swapped = 0,
    /// <summary>Not every thread stopped in time (one had the signal blocked, or the machine is very busy).</summary>
    Timeout = 1,
    /// <summary>A thread started while the others were being held.</summary>
    NewThread = 2,
    /// <summary>A thread was stopped inside the zone: try again.</summary>
    InZone = 3,
    /// <summary>The word did not hold the expected value (nothing written).</summary>
    WordChanged = 4,
    /// <summary>More threads than a stop can hold.</summary>
    TooManyThreads = 5,
}

/// <summary>Retries a stop until it swaps, or fails for a reason retrying does not cure.</summary>
internal static class WorldStopRetries
{
    /// <summary>
    /// <see cref="IWorldStop.SwapWhileStopped"/> again (after letting the threads go on) while a thread is
    /// found inside the zone or one started meanwhile, at most <paramref name="attempts"/> times, and
    /// while not every thread stops in time, at most 3 times.
    /// </summary>
    public static WorldStopOutcome Swap(this IWorldStop stop, IntPtr word, long expected, long value, IntPtr zoneStart, IntPtr zoneEnd, out long detail, int attempts = 1000)
    {
        var timeouts = 0;
        for (var attempt = 1; ; attempt++)
        {
            var outcome = stop.SwapWhileStopped(word, expected, value, zoneStart, zoneEnd, out detail);
            if (outcome is WorldStopOutcome.Swapped or WorldStopOutcome.WordChanged or WorldStopOutcome.TooManyThreads) return outcome;
            if (outcome == WorldStopOutcome.Timeout && ++timeouts == 3) return outcome;
            if (attempt >= attempts) return outcome;
            System.Threading.Thread.Yield();
        }
    }
}
