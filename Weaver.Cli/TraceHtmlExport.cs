using System.IO;
using Trapweave.Tracing;

namespace Trapweave.Cli;

/// <summary><c>trapweave trace --format html</c>: the self-contained viewer (<see cref="TraceHtml"/>).</summary>
static class TraceHtmlExport
{
    public static void Write(CallTrace trace, Stream stream) => TraceHtml.Write(trace, stream);
}
