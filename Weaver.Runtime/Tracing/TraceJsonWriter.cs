using System.Collections.Generic;
using System.IO;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Trapweave.Tracing;

/// <summary>Writes a <see cref="CallTrace"/> as the JSON call tree of docs/trace-format.md (schema docs/trace.schema.json).</summary>
internal static class TraceJsonWriter
{
    public const string Format = "trapweave-trace";
    public const int Version = 1;
    /// <summary>Each call level nests an object in an array: room for call trees 100 000 calls deep.</summary>
    public const int MaxJsonDepth = 200_016;

    public static void Write(CallTrace trace, Stream stream, bool indented)
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions
        {
            Indented = indented,
            MaxDepth = MaxJsonDepth,
            // Rendered values are full of < > & and quotes: keep them readable; the output is not meant for HTML.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });
        json.WriteStartObject();
        json.WriteString("format", Format);
        json.WriteNumber("version", Version);
        if (trace.Name is not null) json.WriteString("name", trace.Name);
        json.WriteString("startedAt", trace.StartedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        json.WriteNumber("durationNs", trace.DurationNs);

        json.WriteStartObject("process");
        json.WriteNumber("id", trace.Process.Id);
        json.WriteString("name", trace.Process.Name);
        json.WriteString("runtime", trace.Process.Runtime);
        json.WriteString("os", trace.Process.Os);
        json.WriteEndObject();

        json.WriteStartObject("filter");
        WriteStrings(json, "include", trace.Filter.Include);
        WriteStrings(json, "exclude", trace.Filter.Exclude);
        json.WriteNumber("minDurationNs", trace.Filter.MinDurationNs);
        json.WriteBoolean("redirected", trace.Filter.Redirected);
        json.WriteEndObject();

        if (trace.Truncated is { } truncated)
        {
            json.WriteStartObject("truncated");
            json.WriteNumber("droppedCalls", truncated.DroppedCalls);
            json.WriteNumber("droppedValues", truncated.DroppedValues);
            json.WriteString("limit", truncated.Limit);
            json.WriteNumber("maxCalls", truncated.MaxCalls);
            json.WriteNumber("maxRenderedBytes", truncated.MaxRenderedBytes);
            json.WriteEndObject();
        }
        json.WriteNumber("callCount", trace.CallCount);

        json.WriteStartArray("roots");
        // Depth first without recursion (a recursive fixture makes deep trees): after a call's
        // fields comes its children array, closed when the last child has been written.
        var stack = new Stack<(TraceCall Call, int Next)>();
        foreach (var root in trace.Roots)
        {
            WriteCallHead(json, root);
            stack.Push((root, 0));
            while (stack.Count > 0)
            {
                var (call, next) = stack.Pop();
                if (next < call.Children.Count)
                {
                    stack.Push((call, next + 1));
                    var child = call.Children[next];
                    WriteCallHead(json, child);
                    stack.Push((child, 0));
                    continue;
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>Everything but the children, then opens the children array.</summary>
    static void WriteCallHead(Utf8JsonWriter json, TraceCall call)
    {
        json.WriteStartObject();
        json.WriteNumber("id", call.Id);
        json.WriteString("method", call.Method);
        json.WriteString("declaringType", call.DeclaringType);
        if (call.RuntimeType is not null) json.WriteString("runtimeType", call.RuntimeType);
        json.WriteNumber("startNs", call.StartNs);
        json.WriteNumber("durationNs", call.DurationNs);
        json.WriteNumber("thread", call.ThreadId);
        if (call.EndThreadId is { } endThread) json.WriteNumber("endThread", endThread);
        json.WriteNumber("flow", call.FlowId);
        json.WriteBoolean("async", call.IsAsync);
        json.WriteBoolean("arranged", call.Arranged);
        json.WriteBoolean("completed", call.Completed);
        json.WriteStartArray("arguments");
        foreach (var argument in call.Arguments)
        {
            json.WriteStartObject();
            json.WriteString("name", argument.Name);
            json.WriteString("value", argument.Value);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        if (call.Result is not null) json.WriteString("result", call.Result);
        if (call.Exception is { } exception)
        {
            json.WriteStartObject("exception");
            json.WriteString("type", exception.Type);
            json.WriteString("message", exception.Message);
            json.WriteString("rendered", exception.Rendered);
            json.WriteEndObject();
        }
        json.WriteStartArray("children");
    }

    static void WriteStrings(Utf8JsonWriter json, string name, IReadOnlyList<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values) json.WriteStringValue(value);
        json.WriteEndArray();
    }
}
