namespace Trapweave.Tracing;

/// <summary>Bounds of a Chrome trace-event file, so that Perfetto and chrome://tracing load it.</summary>
public sealed class ChromeTraceOptions
{
    /// <summary>
    /// Bytes of JSON written at most (default 100 MB; chrome://tracing reads the whole file into one
    /// JavaScript string, and gives up well before V8's limit of about 512 MB). Past it, the latest
    /// calls are left out and the file says how many (<c>otherData.droppedEvents</c> and a global
    /// instant event named <c>trapweave: truncated</c>).
    /// </summary>
    public long MaxBytes { get; init; } = 100L * 1000 * 1000;

    /// <summary>Characters of one argument, result or exception text in an event's args (default 1024).</summary>
    public int MaxValueLength { get; init; } = 1024;

    public static ChromeTraceOptions Default { get; } = new();
}
