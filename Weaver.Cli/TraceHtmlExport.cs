using System.IO;
using Trapweave.Tracing;

namespace Trapweave.Cli;

/// <summary>
/// <c>trapweave trace --format html</c>: the self-contained HTML viewer (<c>TraceHtml</c> in
/// Weaver.Runtime/Tracing) is not part of this build yet. This is the one place to connect it.
/// </summary>
static class TraceHtmlExport
{
    public static void Write(CallTrace trace, Stream stream) =>
        throw new CliError("--format html is not available in this build (the HTML viewer is not part of it yet). Use --format chrome and open the file in Perfetto or chrome://tracing.");
}
