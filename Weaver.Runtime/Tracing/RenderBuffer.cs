using System;
using System.Text;

namespace Trapweave.Tracing;

/// <summary>
/// The text of one rendered value and its budgets: once the length or the visit budget is spent,
/// further appends are dropped and the text ends with a marker, so rendering stays bounded.
/// </summary>
internal sealed class RenderBuffer
{
    public const string TruncatedMarker = "…<truncated>";

    readonly StringBuilder _text = new();
    readonly int _maxLength;
    int _visitsLeft;

    public RenderBuffer(int maxLength, int maxVisits)
    {
        _maxLength = maxLength;
        _visitsLeft = maxVisits;
    }

    /// <summary>True once either budget is spent: callers stop expanding.</summary>
    public bool Exhausted { get; private set; }

    public int Length => _text.Length;

    /// <summary>Counts one visited value; false (and exhausted) when the budget is spent.</summary>
    public bool Visit()
    {
        if (Exhausted) return false;
        if (--_visitsLeft >= 0) return true;
        Exhaust();
        return false;
    }

    public RenderBuffer Append(string? text)
    {
        if (Exhausted || text is null) return this;
        int room = _maxLength - TruncatedMarker.Length - _text.Length;
        if (text.Length <= room) { _text.Append(text); return this; }
        if (room > 0)
        {
            // Never split a surrogate pair.
            if (char.IsHighSurrogate(text[room - 1])) room--;
            _text.Append(text, 0, room);
        }
        Exhaust();
        return this;
    }

    public RenderBuffer Append(char c)
    {
        if (Exhausted) return this;
        if (_text.Length < _maxLength - TruncatedMarker.Length) _text.Append(c);
        else Exhaust();
        return this;
    }

    void Exhaust()
    {
        if (Exhausted) return;
        Exhausted = true;
        _text.Append(TruncatedMarker);
    }

    public override string ToString() => _text.ToString();
}
