using System;
using System.IO;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Trapweave.Tracing;

/// <summary>
/// A self-contained HTML report of a trace: one file that needs no network (CSS and script inline, a
/// Content-Security-Policy that forbids every load) and opens from disk in a browser. It shows the call
/// tree (expanded lazily), a flame chart of durations per flow, each call's arguments, result and exception
/// on click, search by method, errors and arranged calls in their own colours, and the truncation marker.
/// The trace is embedded as its <see cref="TraceJson"/> form in a <c>&lt;script type="application/json"&gt;</c>
/// block, with <c>&lt;</c> written as <c>\u003c</c> so that no value can end the block; the page puts values
/// on screen as text only.
/// </summary>
public static class TraceHtml
{
    const string TitleMarker = "__TRAPWEAVE_TITLE__";
    const string OptionsMarker = "__TRAPWEAVE_OPTIONS__";
    const string TraceMarker = "__TRAPWEAVE_TRACE__";

    /// <summary>The page around the data, cut at its three markers (the template is Tracing/TraceViewer.html).</summary>
    static readonly Lazy<string[]> Template = new(LoadTemplate);

    public static void Write(CallTrace trace, Stream stream, TraceHtmlOptions? options = null)
    {
        if (trace is null) throw new ArgumentNullException(nameof(trace));
        if (stream is null) throw new ArgumentNullException(nameof(stream));
        options ??= TraceHtmlOptions.Default;
        if (options.ExpandDepth < 0) throw new ArgumentOutOfRangeException(nameof(options), options.ExpandDepth, "TraceHtmlOptions.ExpandDepth cannot be negative (0 opens the page with only the root calls shown).");

        var parts = Template.Value;
        string title = options.Title ?? trace.Name ?? "Trapweave trace";
        WriteText(stream, parts[0]);
        WriteText(stream, WebUtility.HtmlEncode(title));
        WriteText(stream, parts[1]);
        var safe = new ScriptSafeJsonStream(stream);
        WriteOptions(safe, options, title);
        WriteText(stream, parts[2]);
        TraceJson.Write(trace, safe);
        WriteText(stream, parts[3]);
        stream.Flush();
    }

    public static void Write(CallTrace trace, TextWriter writer, TraceHtmlOptions? options = null)
    {
        if (writer is null) throw new ArgumentNullException(nameof(writer));
        using var buffer = new MemoryStream();
        Write(trace, buffer, options);
        writer.Write(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    public static string Render(CallTrace trace, TraceHtmlOptions? options = null)
    {
        using var buffer = new MemoryStream();
        Write(trace, buffer, options);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static void WriteFile(CallTrace trace, string path, TraceHtmlOptions? options = null)
    {
        if (path is null) throw new ArgumentNullException(nameof(path));
        using var file = File.Create(path);
        Write(trace, file, options);
    }

    static void WriteOptions(Stream stream, TraceHtmlOptions options, string title)
    {
        using var json = new Utf8JsonWriter(stream);
        json.WriteStartObject();
        json.WriteString("title", title);
        json.WriteNumber("expandDepth", options.ExpandDepth);
        json.WriteEndObject();
    }

    static void WriteText(Stream stream, string text) => stream.Write(Encoding.UTF8.GetBytes(text));

    static string[] LoadTemplate()
    {
        const string name = "Trapweave.Tracing.TraceViewer.html";
        using var resource = typeof(TraceHtml).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"TraceHtml: the page template '{name}' is missing from {typeof(TraceHtml).Assembly.GetName().Name}.dll; the build embeds it from Tracing/TraceViewer.html.");
        using var reader = new StreamReader(resource, Encoding.UTF8);
        var page = reader.ReadToEnd();
        int title = Find(page, TitleMarker, 0), opts = Find(page, OptionsMarker, title), data = Find(page, TraceMarker, opts);
        return new[]
        {
            page.Substring(0, title),
            page.Substring(title + TitleMarker.Length, opts - title - TitleMarker.Length),
            page.Substring(opts + OptionsMarker.Length, data - opts - OptionsMarker.Length),
            page.Substring(data + TraceMarker.Length),
        };

        static int Find(string page, string marker, int from) =>
            page.IndexOf(marker, from, StringComparison.Ordinal) is var at and >= 0 ? at
                : throw new InvalidOperationException($"TraceHtml: the page template has no {marker} after position {from}.");
    }
}
