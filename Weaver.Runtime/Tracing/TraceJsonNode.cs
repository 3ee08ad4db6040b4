using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;

namespace Trapweave.Tracing;

/// <summary>
/// A minimal JSON tree for the trace reader, built without recursion from <see cref="Utf8JsonReader"/>:
/// JsonDocument takes time quadratic in the nesting depth, and a trace of deep recursion nests deeply.
/// </summary>
internal sealed class TraceJsonNode
{
    public JsonValueKind Kind { get; private set; }
    string? _string;
    long _integer;
    bool _isInteger;
    string? _raw;
    List<TraceJsonNode>? _items;
    List<KeyValuePair<string, TraceJsonNode>>? _properties;

    public static TraceJsonNode Parse(ReadOnlySpan<byte> utf8, int maxDepth)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = maxDepth });
        var open = new Stack<TraceJsonNode>();
        string? pendingName = null;
        TraceJsonNode? root = null;
        while (reader.Read())
        {
            TraceJsonNode node;
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    pendingName = reader.GetString();
                    continue;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    open.Pop();
                    continue;
                case JsonTokenType.StartObject:
                    node = new TraceJsonNode { Kind = JsonValueKind.Object, _properties = new() };
                    break;
                case JsonTokenType.StartArray:
                    node = new TraceJsonNode { Kind = JsonValueKind.Array, _items = new() };
                    break;
                case JsonTokenType.String:
                    node = new TraceJsonNode { Kind = JsonValueKind.String, _string = reader.GetString() };
                    break;
                case JsonTokenType.Number:
                    node = new TraceJsonNode { Kind = JsonValueKind.Number, _isInteger = reader.TryGetInt64(out var number), _raw = Encoding.UTF8.GetString(reader.ValueSpan) };
                    node._integer = number;
                    break;
                case JsonTokenType.True: node = new TraceJsonNode { Kind = JsonValueKind.True }; break;
                case JsonTokenType.False: node = new TraceJsonNode { Kind = JsonValueKind.False }; break;
                case JsonTokenType.Null: node = new TraceJsonNode { Kind = JsonValueKind.Null }; break;
                default: continue;
            }
            if (open.Count == 0) root = node;
            else if (open.Peek()._items is { } items) items.Add(node);
            else open.Peek()._properties!.Add(new(pendingName!, node));
            if (node.Kind is JsonValueKind.Object or JsonValueKind.Array) open.Push(node);
        }
        return root ?? throw new JsonException("empty input");
    }

    public bool TryGetProperty(string name, out TraceJsonNode value)
    {
        if (_properties is not null)
            for (int i = _properties.Count - 1; i >= 0; i--)
                if (_properties[i].Key == name) { value = _properties[i].Value; return true; }
        value = null!;
        return false;
    }

    public string? GetString() => _string;

    public bool TryGetInt64(out long value)
    {
        value = _integer;
        return _isInteger;
    }

    public IReadOnlyList<TraceJsonNode> Items => _items ?? (IReadOnlyList<TraceJsonNode>)Array.Empty<TraceJsonNode>();

    public string RawText => _raw ?? Kind.ToString();
}
