using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;

namespace Trapweave.Tracing;

/// <summary>Reads the JSON call tree <see cref="TraceJsonWriter"/> writes; bad input fails naming the JSON path and what is wrong.</summary>
internal static class TraceJsonReader
{
    public static CallTrace Read(Stream stream, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = TraceJsonWriter.MaxJsonDepth });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not JSON ({e.Message})", e);
        }
        using (document) return Read(document.RootElement, source);
    }

    static CallTrace Read(JsonElement root, string source)
    {
        var at = new Path(source);
        if (root.ValueKind != JsonValueKind.Object) throw at.Error("$", "expected a JSON object");
        var format = String(root, "format", at, "$");
        if (format != TraceJsonWriter.Format) throw at.Error("$.format", $"is \"{format}\", expected \"{TraceJsonWriter.Format}\": not a Trapweave trace");
        var version = Int64(root, "version", at, "$");
        if (version != TraceJsonWriter.Version) throw at.Error("$.version", $"is {version}; this Trapweave reads version {TraceJsonWriter.Version}");

        string? name = root.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        var startedText = String(root, "startedAt", at, "$");
        if (!DateTimeOffset.TryParse(startedText, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var startedAt))
            throw at.Error("$.startedAt", $"\"{startedText}\" is not an ISO 8601 time");

        var processElement = Object(root, "process", at, "$");
        var process = new TraceProcess((int)Int64(processElement, "id", at, "$.process"), String(processElement, "name", at, "$.process"),
                                       String(processElement, "runtime", at, "$.process"), String(processElement, "os", at, "$.process"));

        var filterElement = Object(root, "filter", at, "$");
        var filter = new TraceCallFilter(Strings(filterElement, "include", at, "$.filter"), Strings(filterElement, "exclude", at, "$.filter"),
                                     Int64(filterElement, "minDurationNs", at, "$.filter"), Bool(filterElement, "redirected", at, "$.filter"));

        TraceTruncation? truncated = null;
        if (root.TryGetProperty("truncated", out var t) && t.ValueKind == JsonValueKind.Object)
            truncated = new TraceTruncation(Int64(t, "droppedCalls", at, "$.truncated"), Int64(t, "droppedValues", at, "$.truncated"),
                                            String(t, "limit", at, "$.truncated"), Int64(t, "maxCalls", at, "$.truncated"),
                                            Int64(t, "maxRenderedBytes", at, "$.truncated"));

        var roots = Calls(Array(root, "roots", at, "$"), at, "$.roots");
        return new CallTrace(name, startedAt, Int64(root, "durationNs", at, "$"), process, filter, truncated,
                         Int64(root, "callCount", at, "$"), roots);
    }

    /// <summary>Builds the calls of one array, children before parents, without recursion.</summary>
    static List<TraceCall> Calls(JsonElement array, Path at, string path)
    {
        var top = new List<TraceCall>();
        // Each entry: the element, its path, the list its call goes into, and its children once read.
        var stack = new Stack<(JsonElement Element, string Path, List<TraceCall> Into, List<TraceCall>? Children)>();
        for (int i = array.GetArrayLength() - 1; i >= 0; i--) stack.Push((array[i], $"{path}[{i}]", top, null));
        while (stack.Count > 0)
        {
            var (element, here, into, children) = stack.Pop();
            if (element.ValueKind != JsonValueKind.Object) throw at.Error(here, "expected a call object");
            if (children is null)
            {
                // Reserve this call's place so siblings keep their order, then read its children first.
                var mine = new List<TraceCall>();
                stack.Push((element, here, into, mine));
                var kids = Array(element, "children", at, here);
                for (int i = kids.GetArrayLength() - 1; i >= 0; i--) stack.Push((kids[i], $"{here}.children[{i}]", mine, null));
                continue;
            }
            into.Add(Call(element, at, here, children));
        }
        return top;
    }

    static TraceCall Call(JsonElement e, Path at, string here, List<TraceCall> children)
    {
        var arguments = new List<TraceArgument>();
        var args = Array(e, "arguments", at, here);
        int index = 0;
        foreach (var argument in args.EnumerateArray())
        {
            var argumentPath = $"{here}.arguments[{index++}]";
            if (argument.ValueKind != JsonValueKind.Object) throw at.Error(argumentPath, "expected {\"name\", \"value\"}");
            arguments.Add(new TraceArgument(String(argument, "name", at, argumentPath), String(argument, "value", at, argumentPath)));
        }
        TracedException? exception = null;
        if (e.TryGetProperty("exception", out var x) && x.ValueKind == JsonValueKind.Object)
            exception = new TracedException(String(x, "type", at, here + ".exception"), String(x, "message", at, here + ".exception"),
                                            String(x, "rendered", at, here + ".exception"));
        return new TraceCall(
            Int64(e, "id", at, here), String(e, "method", at, here), String(e, "declaringType", at, here),
            OptionalString(e, "runtimeType"), arguments, OptionalString(e, "result"), exception,
            Int64(e, "startNs", at, here), Int64(e, "durationNs", at, here), (int)Int64(e, "thread", at, here),
            e.TryGetProperty("endThread", out var end) && end.ValueKind == JsonValueKind.Number ? end.GetInt32() : null,
            Int64(e, "flow", at, here), Bool(e, "arranged", at, here), Bool(e, "async", at, here), Bool(e, "completed", at, here),
            children);
    }

    static string? OptionalString(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    static JsonElement Get(JsonElement e, string name, JsonValueKind kind, Path at, string path, string what)
    {
        if (!e.TryGetProperty(name, out var value)) throw at.Error($"{path}.{name}", "is missing");
        if (value.ValueKind != kind) throw at.Error($"{path}.{name}", $"is {value.ValueKind}, expected {what}");
        return value;
    }

    static string String(JsonElement e, string name, Path at, string path) => Get(e, name, JsonValueKind.String, at, path, "a string").GetString()!;
    static JsonElement Object(JsonElement e, string name, Path at, string path) => Get(e, name, JsonValueKind.Object, at, path, "an object");
    static JsonElement Array(JsonElement e, string name, Path at, string path) => Get(e, name, JsonValueKind.Array, at, path, "an array");

    static long Int64(JsonElement e, string name, Path at, string path)
    {
        var value = Get(e, name, JsonValueKind.Number, at, path, "an integer");
        if (!value.TryGetInt64(out var number)) throw at.Error($"{path}.{name}", $"{value.GetRawText()} is not an integer");
        return number;
    }

    static bool Bool(JsonElement e, string name, Path at, string path)
    {
        if (!e.TryGetProperty(name, out var value)) throw at.Error($"{path}.{name}", "is missing");
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw at.Error($"{path}.{name}", $"is {value.ValueKind}, expected true or false"),
        };
    }

    static List<string> Strings(JsonElement e, string name, Path at, string path)
    {
        var list = new List<string>();
        int i = 0;
        foreach (var item in Array(e, name, at, path).EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String) throw at.Error($"{path}.{name}[{i}]", "expected a string");
            list.Add(item.GetString()!);
            i++;
        }
        return list;
    }

    readonly struct Path
    {
        readonly string _source;
        public Path(string source) => _source = source;
        public InvalidDataException Error(string path, string problem) => new($"{_source}: {path} {problem}");
    }
}
