using System.IO;

namespace Trapweave.Tracing;

/// <summary>Build for runtimes before .NET 8: every member throws (tracing needs the .NET 8 runtime).</summary>
public static class TraceJson
{
    public static void Write(CallTrace trace, Stream stream, bool indented = false) => throw ValueRenderer.Unsupported();
    public static string Serialize(CallTrace trace, bool indented = false) => throw ValueRenderer.Unsupported();
    public static void WriteFile(CallTrace trace, string path, bool indented = false) => throw ValueRenderer.Unsupported();
    public static CallTrace Read(Stream stream, string source = "trace JSON") => throw ValueRenderer.Unsupported();
    public static CallTrace Parse(string json) => throw ValueRenderer.Unsupported();
    public static CallTrace ReadFile(string path) => throw ValueRenderer.Unsupported();
}

/// <summary>Build for runtimes before .NET 8: every member throws (tracing needs the .NET 8 runtime).</summary>
public static class ChromeTrace
{
    public static void Write(CallTrace trace, Stream stream, ChromeTraceOptions? options = null) => throw ValueRenderer.Unsupported();
    public static string Serialize(CallTrace trace, ChromeTraceOptions? options = null) => throw ValueRenderer.Unsupported();
    public static void WriteFile(CallTrace trace, string path, ChromeTraceOptions? options = null) => throw ValueRenderer.Unsupported();
}
