namespace Trapweave.Tracing;

/// <summary>How <see cref="TraceHtml"/> presents a trace.</summary>
public sealed class TraceHtmlOptions
{
    /// <summary>The page's title; the trace's name when null (then "Trapweave trace").</summary>
    public string? Title { get; init; }

    /// <summary>
    /// Levels of the call tree open when the page opens (default 1: the root calls show their callees).
    /// Deeper calls are made into rows only when expanded, so a large trace opens fast at any depth set here.
    /// </summary>
    public int ExpandDepth { get; init; } = 1;

    public static TraceHtmlOptions Default { get; } = new();
}
