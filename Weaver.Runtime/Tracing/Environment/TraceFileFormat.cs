using System;

namespace Trapweave.Tracing;

/// <summary>The files written per trace by <see cref="TraceFiles"/>.</summary>
[Flags]
internal enum TraceFileFormat
{
    None = 0,
    /// <summary>The JSON call tree (<see cref="TraceJson"/>), <c>.trace.json</c>.</summary>
    Json = 1,
    /// <summary>The Chrome trace-event file (<see cref="ChromeTrace"/>), <c>.chrome.json</c>, for Perfetto and chrome://tracing.</summary>
    Chrome = 2,
    /// <summary>The self-contained HTML viewer, <c>.html</c>.</summary>
    Html = 4,
}
