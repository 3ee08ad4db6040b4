using System;
using System.Collections.Generic;

namespace Trapweave.Tracing;

/// <summary>Matches names against <c>*</c>-glob patterns, ignoring case.</summary>
internal sealed class SecretNames
{
    readonly string[][] _patterns;

    public SecretNames(IReadOnlyList<string> patterns)
    {
        _patterns = new string[patterns.Count][];
        for (int i = 0; i < patterns.Count; i++)
        {
            var pattern = patterns[i] ?? throw new ArgumentException($"TraceRenderOptions.SecretNamePatterns[{i}] is null.");
            // Split at '*': pieces must appear in order; the first is anchored at the start, the last at the end.
            _patterns[i] = pattern.Split('*');
        }
    }

    public bool Matches(string? name)
    {
        if (string.IsNullOrEmpty(name)) return false;
        foreach (var pieces in _patterns)
            if (Match(name, pieces)) return true;
        return false;
    }

    static bool Match(string name, string[] pieces)
    {
        if (pieces.Length == 1) return string.Equals(name, pieces[0], StringComparison.OrdinalIgnoreCase);
        var first = pieces[0];
        var last = pieces[pieces.Length - 1];
        if (!name.StartsWith(first, StringComparison.OrdinalIgnoreCase)) return false;
        int position = first.Length;
        for (int i = 1; i < pieces.Length - 1; i++)
        {
            if (pieces[i].Length == 0) continue;
            int found = name.IndexOf(pieces[i], position, StringComparison.OrdinalIgnoreCase);
            if (found < 0) return false;
            position = found + pieces[i].Length;
        }
        return name.Length - position >= last.Length && name.EndsWith(last, StringComparison.OrdinalIgnoreCase);
    }
}
