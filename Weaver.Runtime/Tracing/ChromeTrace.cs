using System;
using System.IO;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Trapweave.Tracing;

/// <summary>
/// Exports a trace in the Chrome trace-event format (a JSON object with <c>traceEvents</c>) that
/// Perfetto and chrome://tracing open: one complete event (<c>ph: "X"</c>, <c>ts</c>/<c>dur</c> in µs)
/// per call; <c>pid</c> the traced process; one track (<c>tid</c>) per flow, plus extra tracks of
/// that flow for calls that overlap a sibling or outlive their caller (see docs/trace-format.md).
/// </summary>
public static class ChromeTrace
{
    public static void Write(CallTrace trace, Stream stream, ChromeTraceOptions? options = null)
    {
        if (trace is null) throw new ArgumentNullException(nameof(trace));
        if (stream is null) throw new ArgumentNullException(nameof(stream));
        options ??= ChromeTraceOptions.Default;
        if (options.MaxBytes < 4096) throw new ArgumentOutOfRangeException(nameof(options), options.MaxBytes, "ChromeTraceOptions.MaxBytes must be at least 4096.");
        if (options.MaxValueLength < 16) throw new ArgumentOutOfRangeException(nameof(options), options.MaxValueLength, "ChromeTraceOptions.MaxValueLength must be at least 16.");

        var layout = ChromeTrackLayout.Build(trace);
        int pid = trace.Process.Id;
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartObject();
        json.WriteString("displayTimeUnit", "ns");
        json.WriteStartArray("traceEvents");

        WriteMetadata(json, "process_name", pid, 0, "name", $"{trace.Process.Name} ({pid})" + (trace.Name is null ? "" : " " + trace.Name));
        for (int t = 0; t < layout.Tracks.Count; t++)
        {
            var track = layout.Tracks[t];
            string name = track.Lane == 0 ? $"flow {track.FlowId}" : $"flow {track.FlowId} · {track.Lane + 1}";
            WriteMetadata(json, "thread_name", pid, Tid(t), "name", name);
            json.WriteStartObject();
            json.WriteString("name", "thread_sort_index");
            json.WriteString("ph", "M");
            json.WriteNumber("pid", pid);
            json.WriteNumber("tid", Tid(t));
            json.WriteStartObject("args");
            json.WriteNumber("sort_index", t);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        // Room kept for the closing part (the truncation marker and otherData).
        long budget = options.MaxBytes - 2048;
        long dropped = 0;
        double lastTs = 0;
        foreach (var placed in layout.Events)
        {
            if (json.BytesCommitted + json.BytesPending > budget)
            {
                dropped++;
                continue;
            }
            Times(placed, out placed.TsUs, out placed.DurUs);
            lastTs = Math.Max(lastTs, placed.TsUs);
            WriteCall(json, placed, pid, options.MaxValueLength);
            if (json.BytesPending > 64 * 1024) json.Flush();
        }
        if (dropped > 0)
        {
            json.WriteStartObject();
            json.WriteString("name", "trapweave: truncated");
            json.WriteString("ph", "i");
            json.WriteString("s", "g");
            json.WriteNumber("ts", lastTs);
            json.WriteNumber("pid", pid);
            json.WriteNumber("tid", Tid(0));
            json.WriteStartObject("args");
            json.WriteNumber("droppedEvents", dropped);
            json.WriteNumber("maxBytes", options.MaxBytes);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndArray();

        json.WriteStartObject("otherData");
        json.WriteString("format", "trapweave-chrome-trace");
        json.WriteNumber("version", 1);
        if (trace.Name is not null) json.WriteString("name", trace.Name);
        json.WriteString("startedAt", trace.StartedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        json.WriteString("runtime", trace.Process.Runtime);
        json.WriteNumber("calls", trace.CallCount);
        json.WriteNumber("droppedEvents", dropped);
        if (trace.Truncated is { } truncated)
        {
            json.WriteNumber("droppedCalls", truncated.DroppedCalls);
            json.WriteString("truncatedBy", truncated.Limit);
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }

    public static string Serialize(CallTrace trace, ChromeTraceOptions? options = null)
    {
        using var buffer = new MemoryStream();
        Write(trace, buffer, options);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static void WriteFile(CallTrace trace, string path, ChromeTraceOptions? options = null)
    {
        using var file = File.Create(path);
        Write(trace, file, options);
    }

    /// <summary>Track indexes start at 1: some viewers treat tid 0 as "no thread".</summary>
    static int Tid(int track) => track + 1;

    /// <summary>
    /// µs as viewers read them. Exact nanoseconds nest, but their µs doubles may not once a viewer adds
    /// ts + dur (chrome://tracing) or turns each back into integer ns (Perfetto truncates; rounding is
    /// checked too). So the event is shortened a nanosecond at a time until, read any of those ways, it
    /// ends by its own exact end (then a sibling starting there still starts after it) and inside the
    /// event enclosing it on its track.
    /// </summary>
    static void Times(ChromeTrackLayout.Placed placed, out double ts, out double dur)
    {
        ts = placed.Call.StartNs / 1000.0;
        double end = placed.Call.EndNs / 1000.0;
        long durNs = placed.Call.DurationNs;
        dur = durNs / 1000.0;
        var outer = placed.Enclosing;
        while (durNs > 0 && !(EndsBy(ts, dur, end) && (outer is null || EndsBy(ts, dur, outer.TsUs, outer.DurUs))))
        {
            durNs--;
            dur = durNs / 1000.0;
        }
    }

    /// <summary>Whether [ts, ts + dur] ends by the instant <paramref name="point"/>, in µs doubles and in ns truncated or rounded.</summary>
    internal static bool EndsBy(double ts, double dur, double point) =>
        ts + dur <= point &&
        (long)(ts * 1000) + (long)(dur * 1000) <= (long)(point * 1000) &&
        Math.Round(ts * 1000) + Math.Round(dur * 1000) <= Math.Round(point * 1000);

    /// <summary>Whether [ts, ts + dur] ends by the end of [outerTs, outerTs + outerDur], read each of those ways.</summary>
    internal static bool EndsBy(double ts, double dur, double outerTs, double outerDur) =>
        ts + dur <= outerTs + outerDur &&
        (long)(ts * 1000) + (long)(dur * 1000) <= (long)(outerTs * 1000) + (long)(outerDur * 1000) &&
        Math.Round(ts * 1000) + Math.Round(dur * 1000) <= Math.Round(outerTs * 1000) + Math.Round(outerDur * 1000);

    static void WriteCall(Utf8JsonWriter json, ChromeTrackLayout.Placed placed, int pid, int maxValue)
    {
        var call = placed.Call;
        json.WriteStartObject();
        json.WriteString("name", ShortName(call));
        json.WriteString("cat", call.Exception is not null ? "call,error" : call.Arranged ? "call,arranged" : call.IsAsync ? "call,async" : "call");
        json.WriteString("ph", "X");
        json.WriteNumber("ts", placed.TsUs);
        json.WriteNumber("dur", placed.DurUs);
        json.WriteNumber("pid", pid);
        json.WriteNumber("tid", Tid(placed.Track));
        json.WriteStartObject("args");
        json.WriteString("method", call.Method);
        if (call.RuntimeType is not null) json.WriteString("runtimeType", call.RuntimeType);
        if (call.Arguments.Count > 0)
        {
            json.WriteStartObject("arguments");
            foreach (var argument in call.Arguments) json.WriteString(argument.Name, Bound(argument.Value, maxValue));
            json.WriteEndObject();
        }
        if (call.Result is not null) json.WriteString("result", Bound(call.Result, maxValue));
        if (call.Exception is { } exception)
        {
            json.WriteString("exception", exception.Type + ": " + Bound(exception.Message, maxValue));
            json.WriteString("exceptionRendered", Bound(exception.Rendered, maxValue));
        }
        json.WriteNumber("id", call.Id);
        if (placed.Parent is { } parent) json.WriteNumber("parent", parent.Id);
        json.WriteNumber("thread", call.ThreadId);
        if (call.EndThreadId is { } endThread && endThread != call.ThreadId) json.WriteNumber("endThread", endThread);
        json.WriteNumber("flow", call.FlowId);
        if (call.IsAsync) json.WriteBoolean("async", true);
        if (call.Arranged) json.WriteBoolean("arranged", true);
        if (!call.Completed) json.WriteBoolean("incomplete", true);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary><c>Type.Method</c>: the track is narrow; the full signature is in args.method.</summary>
    static string ShortName(TraceCall call)
    {
        var method = call.Method;
        int paren = method.IndexOf('(');
        var head = paren < 0 ? method : method.Substring(0, paren);
        var ns = call.DeclaringType;
        int dot = LastNamespaceDot(ns);
        return dot > 0 && head.StartsWith(ns.Substring(0, dot + 1), StringComparison.Ordinal) ? head.Substring(dot + 1) : head;
    }

    /// <summary>The dot ending the namespace of a type name like <c>A.B.Outer.Inner&lt;int&gt;</c>: the last one before any '&lt;'.</summary>
    static int LastNamespaceDot(string typeName)
    {
        int angle = typeName.IndexOf('<');
        var plain = angle < 0 ? typeName : typeName.Substring(0, angle);
        return plain.LastIndexOf('.');
    }

    static string Bound(string text, int max) => text.Length <= max ? text : text.Substring(0, max) + "…";

    static void WriteMetadata(Utf8JsonWriter json, string name, int pid, int tid, string argName, string value)
    {
        json.WriteStartObject();
        json.WriteString("name", name);
        json.WriteString("ph", "M");
        json.WriteNumber("pid", pid);
        json.WriteNumber("tid", tid);
        json.WriteStartObject("args");
        json.WriteString(argName, value);
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
