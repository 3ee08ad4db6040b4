using System;
using System.CommandLine;
using System.IO;
using System.Text.Json;
using Trapweave.Tracing;

namespace Trapweave.Cli;

/// <summary>
/// <c>trapweave trace &lt;file&gt;</c>: reads a Trapweave JSON call tree (docs/trace.schema.json) and
/// prints a summary, or with <c>--format</c> writes it as Chrome trace events, JSON again, or HTML.
/// </summary>
static class TraceCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var file = new Argument<string>("file") { Description = "A trace written as a Trapweave JSON call tree (Trap.Trace, TRAPWEAVE_TRACE)." };
        var format = new Option<string?>("--format") { Description = "Convert to: chrome (Perfetto, chrome://tracing), json (the call tree again, indented) or html. Without it, print a summary." };
        format.AcceptOnlyFromAmong("json", "chrome", "html");
        var outputPath = new Option<string?>("--output", "-o") { Description = "Where to write the converted trace ('-' for standard output); by default beside the input (name.chrome.json, name.trace.json, name.html)." };
        var command = new Command("trace", "Summarise a trace, or convert it to the Chrome trace-event format, JSON or HTML.") { file, format, outputPath };
        command.SetAction(parse => TrapweaveCommand.Guarded(error, () => Run(parse.GetValue(file)!, parse.GetValue(format), parse.GetValue(outputPath), output)));
        return command;
    }

    static int Run(string input, string? format, string? outputPath, TextWriter output)
    {
        var path = Path.GetFullPath(input);
        var trace = Read(path);
        if (format is null)
        {
            if (outputPath is not null) throw new CliError("--output needs --format (chrome, json or html): without it trapweave trace prints a summary.");
            TraceSummary.Write(output, trace, path);
            return 0;
        }

        var destination = outputPath ?? DefaultOutput(path, format);
        if (destination != "-" && Path.GetFullPath(destination) == path)
            throw new CliError($"--output '{destination}' is the input file; give another path.");
        if (destination == "-")
        {
            var buffer = new MemoryStream();
            Export(trace, format, buffer);
            output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
            return 0;
        }
        try
        {
            using var file = File.Create(destination);
            Export(trace, format, file);
        }
        catch
        {
            // No half-written file left behind (nor an empty one for a format this build lacks).
            File.Delete(destination);
            throw;
        }
        output.WriteLine($"Wrote {Path.GetFullPath(destination)} ({format}, {trace.CallCount} calls, {new FileInfo(destination).Length:N0} bytes).");
        return 0;
    }

    static void Export(CallTrace trace, string format, Stream stream)
    {
        switch (format)
        {
            case "chrome": ChromeTrace.Write(trace, stream); break;
            case "json": TraceJson.Write(trace, stream, indented: true); break;
            default: TraceHtmlExport.Write(trace, stream); break;
        }
    }

    static CallTrace Read(string path)
    {
        if (!File.Exists(path))
            throw new CliError(Directory.Exists(path) ? $"'{path}' is a folder; give a trace file (a Trapweave JSON call tree)." : $"'{path}' does not exist.");
        try
        {
            return TraceJson.ReadFile(path);
        }
        catch (InvalidDataException e)
        {
            if (IsChromeTrace(path))
                throw new CliError($"'{path}' is already in the Chrome trace-event format (it has traceEvents): open it in Perfetto or chrome://tracing. trapweave trace reads Trapweave's JSON call trees.");
            throw new CliError($"'{path}' is not a Trapweave trace: {e.Message}", e);
        }
    }

    static bool IsChromeTrace(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var document = JsonDocument.Parse(stream);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("traceEvents", out _);
        }
        catch (JsonException) { return false; }
    }

    static string DefaultOutput(string input, string format)
    {
        var folder = Path.GetDirectoryName(input)!;
        var stem = Path.GetFileNameWithoutExtension(input);
        var name = format switch { "chrome" => stem + ".chrome.json", "json" => stem + ".trace.json", _ => stem + ".html" };
        return Path.Combine(folder, name);
    }
}
