using System.IO;

namespace Trapweave.Tracing;

/// <summary>Build for runtimes before .NET 8: every member throws (tracing needs the .NET 8 runtime).</summary>
public static class TraceHtml
{
    public static void Write(CallTrace trace, Stream stream, TraceHtmlOptions? options = null) => throw ValueRenderer.Unsupported();
    public static void Write(CallTrace trace, TextWriter writer, TraceHtmlOptions? options = null) => throw ValueRenderer.Unsupported();
    public static string Render(CallTrace trace, TraceHtmlOptions? options = null) => throw ValueRenderer.Unsupported();
    public static void WriteFile(CallTrace trace, string path, TraceHtmlOptions? options = null) => throw ValueRenderer.Unsupported();
}
