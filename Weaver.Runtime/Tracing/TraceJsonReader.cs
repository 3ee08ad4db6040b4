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
        byte[] utf8;
        using (var buffer = new MemoryStream())
        {
            stream.CopyTo(buffer);
            utf8 = buffer.ToArray();
        }
        TraceJsonNode root;
        try
        {
            root = TraceJsonNode.Parse(utf8, TraceJsonWriter.MaxJsonDepth);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not JSON ({e.Message})", e);
        }
        return Read(root, source);
    }

    static CallTrace Read(TraceJsonNode root, string source)
    {
        var at = new Path(source);
        if (root.Kind != JsonValueKind.Object) throw at.Error("$", "expected a JSON object");
        var format = String(root, "format", at, "$");
        if (format != TraceJsonWriter.Format) throw at.Error("$.format", $"is \"{format}\", expected \"{TraceJsonWriter.Format}\": not a Trapweave trace");
        var version = Int64(root, "version", at, "$");
        if (version != TraceJsonWriter.Version) throw at.Error("$.version", $"is {version}; this Trapweave reads version {TraceJsonWriter.Version}");

        string? name = root.TryGetProperty("name", out var n) && n.Kind == JsonValueKind.String ? n.GetString() : null;
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
        if (root.TryGetProperty("truncated", out var t) && t.Kind == JsonValueKind.Object)
            truncated = new TraceTruncation(Int64(t, "droppedCalls", at, "$.truncated"), Int64(t, "droppedValues", at, "$.truncated"),
                                            String(t, "limit", at, "$.truncated"), Int64(t, "maxCalls", at, "$.truncated"),
                                            Int64(t, "maxRenderedBytes", at, "$.truncated"));

        var roots = Calls(Array(root, "roots", at, "$"), at, "$.roots");
        return new CallTrace(name, startedAt, Int64(root, "durationNs", at, "$"), process, filter, truncated,
                         Int64(root, "callCount", at, "$"), roots);
    }

    /// <summary>Builds the calls of one array, children before parents, without recursion.</summary>
    static List<TraceCall> Calls(TraceJsonNode array, Path at, string path)
    {
        var top = new List<TraceCall>();
        // Each entry: the element, where it is, the list its call goes into, and its children once read.
        var stack = new Stack<(TraceJsonNode Element, Where Here, List<TraceCall> Into, List<TraceCall>? Children)>();
        var roots = new Where(null, path, -1);
        PushAll(stack, array, roots, top);
        while (stack.Count > 0)
        {
            var (element, here, into, children) = stack.Pop();
            if (element.Kind != JsonValueKind.Object) throw at.Error(here, "expected a call object");
            if (children is null)
            {
                // Come back to this call once its children are read; they go into its own list, in order.
                var mine = new List<TraceCall>();
                stack.Push((element, here, into, mine));
                PushAll(stack, Array(element, "children", at, here), new Where(here, "children", -1), mine);
                continue;
            }
            into.Add(Call(element, at, here, children));
        }
        return top;
    }

    static void PushAll(Stack<(TraceJsonNode, Where, List<TraceCall>, List<TraceCall>?)> stack, TraceJsonNode array, Where parent, List<TraceCall> into)
    {
        var items = array.Items;
        for (int i = items.Count - 1; i >= 0; i--) stack.Push((items[i], new Where(parent, null, i), into, null));
    }

    /// <summary>A JSON path built only when an error names it: deep trees would make every path string long.</summary>
    sealed class Where
    {
        readonly Where? _parent;
        readonly string? _name;
        readonly int _index;

        public Where(Where? parent, string? name, int index)
        {
            _parent = parent;
            _name = name;
            _index = index;
        }

        public override string ToString()
        {
            var parts = new List<string>();
            for (var w = this; w is not null; w = w._parent)
                parts.Add(w._name is null ? $"[{w._index}]" : w._parent is null ? w._name : "." + w._name);
            parts.Reverse();
            return string.Concat(parts);
        }
    }

    static TraceCall Call(TraceJsonNode e, Path at, Where here, List<TraceCall> children)
    {
        var arguments = new List<TraceArgument>();
        var args = Array(e, "arguments", at, here);
        int index = 0;
        foreach (var argument in args.Items)
        {
            var argumentPath = new Where(new Where(here, "arguments", -1), null, index++);
            if (argument.Kind != JsonValueKind.Object) throw at.Error(argumentPath, "expected {\"name\", \"value\"}");
            arguments.Add(new TraceArgument(String(argument, "name", at, argumentPath), String(argument, "value", at, argumentPath)));
        }
        TracedException? exception = null;
        if (e.TryGetProperty("exception", out var x) && x.Kind == JsonValueKind.Object)
        {
            var where = new Where(here, "exception", -1);
            exception = new TracedException(String(x, "type", at, where), String(x, "message", at, where), String(x, "rendered", at, where));
        }
        return new TraceCall(
            Int64(e, "id", at, here), String(e, "method", at, here), String(e, "declaringType", at, here),
            OptionalString(e, "runtimeType"), arguments, OptionalString(e, "result"), exception,
            Int64(e, "startNs", at, here), Int64(e, "durationNs", at, here), (int)Int64(e, "thread", at, here),
            e.TryGetProperty("endThread", out var end) && end.TryGetInt64(out var endThread) ? (int)endThread : null,
            Int64(e, "flow", at, here), Bool(e, "arranged", at, here), Bool(e, "async", at, here), Bool(e, "completed", at, here),
            children);
    }

    static string? OptionalString(TraceJsonNode e, string name) =>
        e.TryGetProperty(name, out var v) && v.Kind == JsonValueKind.String ? v.GetString() : null;

    static TraceJsonNode Get(TraceJsonNode e, string name, JsonValueKind kind, Path at, object path, string what)
    {
        if (!e.TryGetProperty(name, out var value)) throw at.Error($"{path}.{name}", "is missing");
        if (value.Kind != kind) throw at.Error($"{path}.{name}", $"is {value.Kind}, expected {what}");
        return value;
    }

    static string String(TraceJsonNode e, string name, Path at, object path) => Get(e, name, JsonValueKind.String, at, path, "a string").GetString()!;
    static TraceJsonNode Object(TraceJsonNode e, string name, Path at, object path) => Get(e, name, JsonValueKind.Object, at, path, "an object");
    static TraceJsonNode Array(TraceJsonNode e, string name, Path at, object path) => Get(e, name, JsonValueKind.Array, at, path, "an array");

    static long Int64(TraceJsonNode e, string name, Path at, object path)
    {
        var value = Get(e, name, JsonValueKind.Number, at, path, "an integer");
        if (!value.TryGetInt64(out var number)) throw at.Error($"{path}.{name}", $"{value.RawText} is not an integer");
        return number;
    }

    static bool Bool(TraceJsonNode e, string name, Path at, object path)
    {
        if (!e.TryGetProperty(name, out var value)) throw at.Error($"{path}.{name}", "is missing");
        return value.Kind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw at.Error($"{path}.{name}", $"is {value.Kind}, expected true or false"),
        };
    }

    static List<string> Strings(TraceJsonNode e, string name, Path at, object path)
    {
        var list = new List<string>();
        int i = 0;
        foreach (var item in Array(e, name, at, path).Items)
        {
            if (item.Kind != JsonValueKind.String) throw at.Error($"{path}.{name}[{i}]", "expected a string");
            list.Add(item.GetString()!);
            i++;
        }
        return list;
    }

    readonly struct Path
    {
        readonly string _source;
        public Path(string source) => _source = source;
        /// <param name="path">A string or a <see cref="Where"/>: turned into text only here, when something is wrong.</param>
        /// <param name="problem">What is wrong there.</param>
        public InvalidDataException Error(object path, string problem) => new($"{_source}: {path} {problem}");
    }
}
