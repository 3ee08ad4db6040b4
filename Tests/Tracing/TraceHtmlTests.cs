using System.IO;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Trapweave.Tracing;

namespace Trapweave.Tests.Tracing;

/// <summary>The HTML viewer's page as text (no browser): what is embedded, and that values cannot escape their block.</summary>
public class TraceHtmlTests
{
    const string DataOpen = "<script type=\"application/json\" id=\"trace-data\">";
    const string OptionsOpen = "<script type=\"application/json\" id=\"viewer-options\">";

    static string Block(string html, string open)
    {
        int start = html.IndexOf(open, StringComparison.Ordinal);
        Assert.True(start >= 0, "no " + open);
        start += open.Length;
        // The HTML parser ends a script element at the first "</script" in any case.
        int end = html.IndexOf("</script", start, StringComparison.OrdinalIgnoreCase);
        return html.Substring(start, end - start);
    }

    [Fact]
    public void The_embedded_JSON_is_the_TraceJson_of_the_trace_with_less_than_signs_escaped()
    {
        var trace = TraceViewerSamples.Small();
        var json = TraceJson.Serialize(trace);
        var embedded = Block(TraceHtml.Render(trace), DataOpen);

        Assert.Equal(json.Replace("<", "\\u003c"), embedded);
        // And it reads back as the same trace.
        Assert.Equal(json, TraceJson.Serialize(TraceJson.Parse(embedded)));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), JsonNode.Parse(embedded)));
    }

    [Fact]
    public void Values_that_would_close_the_script_or_open_a_comment_stay_inside_the_block()
    {
        var trace = TraceViewerSamples.Small();
        Assert.Contains(trace.AllCalls(), c => c.Arguments.Any(a => a.Value.Contains("</script>")) && c.Result!.Contains("<!--"));
        var html = TraceHtml.Render(trace);
        var embedded = Block(html, DataOpen);

        Assert.DoesNotContain("<", embedded);
        // The block ends where the page's own markup says: what follows it is the viewer's script.
        int after = html.IndexOf(DataOpen, StringComparison.Ordinal) + DataOpen.Length + embedded.Length;
        Assert.StartsWith("</script>\n<script>\n(function () {", html.Substring(after));
        // Nothing from the trace appears unescaped anywhere in the page.
        Assert.DoesNotContain(TraceViewerSamples.ScriptBreakout, html);
        Assert.DoesNotContain("<img", html);
        Assert.Equal(Regex.Matches(Template(), "</script", RegexOptions.IgnoreCase).Count, Regex.Matches(html, "</script", RegexOptions.IgnoreCase).Count);
    }

    [Fact]
    public void The_title_is_HTML_encoded_in_the_head_and_escaped_in_the_options_block()
    {
        var trace = TraceViewerSamples.Small();
        var html = TraceHtml.Render(trace, new TraceHtmlOptions { Title = "</title><script>x()</script> & co", ExpandDepth = 3 });
        Assert.Contains("<title>&lt;/title&gt;&lt;script&gt;x()&lt;/script&gt; &amp; co</title>", html);
        var options = JsonNode.Parse(Block(html, OptionsOpen))!;
        Assert.Equal("</title><script>x()</script> & co", (string)options["title"]);
        Assert.Equal(3, (int)options["expandDepth"]);
        Assert.DoesNotContain("<", Block(html, OptionsOpen));

        // By default the trace's name.
        Assert.Contains("<title>Checkout places an order</title>", TraceHtml.Render(trace));
    }

    [Fact]
    public void The_page_refers_to_nothing_outside_itself()
    {
        var html = TraceHtml.Render(TraceViewerSamples.Small());
        Assert.DoesNotMatch(new Regex(@"\b(src|href)\s*=", RegexOptions.IgnoreCase), Template());
        Assert.DoesNotMatch(new Regex(@"https?:|//[a-z]|url\(|@import|fetch\(|XMLHttpRequest|WebSocket|import\(", RegexOptions.IgnoreCase), Template());
        // Belt and braces: the page's policy forbids every load.
        Assert.Contains("content=\"default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src 'none'; connect-src 'none'\"", html);
    }

    [Fact]
    public void Stream_TextWriter_string_and_file_forms_are_the_same_page()
    {
        var trace = TraceViewerSamples.Small();
        var rendered = TraceHtml.Render(trace);

        using var stream = new MemoryStream();
        TraceHtml.Write(trace, stream);
        Assert.Equal(rendered, Encoding.UTF8.GetString(stream.ToArray()));

        var writer = new StringWriter();
        TraceHtml.Write(trace, writer);
        Assert.Equal(rendered, writer.ToString());

        var path = Path.Combine(Path.GetTempPath(), "trapweave-" + Guid.NewGuid().ToString("N") + ".html");
        try
        {
            TraceHtml.WriteFile(trace, path);
            Assert.Equal(rendered, File.ReadAllText(path));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Bad_arguments_say_which_and_why()
    {
        var trace = TraceViewerSamples.Small();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => TraceHtml.Render(trace, new TraceHtmlOptions { ExpandDepth = -1 }));
        Assert.Contains("TraceHtmlOptions.ExpandDepth cannot be negative", error.Message);
        Assert.Throws<ArgumentNullException>(() => TraceHtml.Render(null));
        Assert.Throws<ArgumentNullException>(() => TraceHtml.Write(trace, (Stream)null));
    }

    [Fact]
    public void The_escaping_stream_replaces_each_less_than_sign_whichever_way_it_is_written()
    {
        using var inner = new MemoryStream();
        using (var safe = new ScriptSafeJsonStream(inner))
        {
            safe.Write("a<b"u8);
            safe.WriteByte((byte)'<');
            safe.WriteByte((byte)'c');
            var bytes = Encoding.UTF8.GetBytes("<<é✗<");
            safe.Write(bytes, 0, bytes.Length);
        }
        Assert.Equal("a\\u003cb\\u003cc\\u003c\\u003cé✗\\u003c", Encoding.UTF8.GetString(inner.ToArray()));
        // It leaves the stream open for the rest of the page.
        inner.WriteByte((byte)'!');
    }

    static string Template()
    {
        using var resource = typeof(TraceHtml).Assembly.GetManifestResourceStream("Trapweave.Tracing.TraceViewer.html")!;
        return new StreamReader(resource).ReadToEnd();
    }
}
