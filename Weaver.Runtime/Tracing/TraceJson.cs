using System;
using System.IO;
using System.Text;

namespace Trapweave.Tracing;

/// <summary>
/// The JSON call-tree form of a trace (docs/trace-format.md, schema docs/trace.schema.json):
/// write it, read it back. Reading bad input throws <see cref="InvalidDataException"/> naming the
/// file (or "trace JSON") and the JSON path of the problem.
/// </summary>
public static class TraceJson
{
    public static void Write(CallTrace trace, Stream stream, bool indented = false)
    {
        if (trace is null) throw new ArgumentNullException(nameof(trace));
        if (stream is null) throw new ArgumentNullException(nameof(stream));
        TraceJsonWriter.Write(trace, stream, indented);
    }

    public static string Serialize(CallTrace trace, bool indented = false)
    {
        using var buffer = new MemoryStream();
        Write(trace, buffer, indented);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static void WriteFile(CallTrace trace, string path, bool indented = false)
    {
        using var file = File.Create(path);
        Write(trace, file, indented);
    }

    /// <param name="stream">The JSON, UTF-8.</param>
    /// <param name="source">Named in error messages (a file name).</param>
    public static CallTrace Read(Stream stream, string source = "trace JSON")
    {
        if (stream is null) throw new ArgumentNullException(nameof(stream));
        return TraceJsonReader.Read(stream, source);
    }

    public static CallTrace Parse(string json) => Read(new MemoryStream(Encoding.UTF8.GetBytes(json ?? throw new ArgumentNullException(nameof(json)))));

    public static CallTrace ReadFile(string path)
    {
        using var file = File.OpenRead(path);
        return Read(file, path);
    }
}
