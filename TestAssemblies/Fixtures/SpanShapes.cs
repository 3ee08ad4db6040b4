using System;

namespace Fixtures;

public static class SpanShapes
{
    public static int Sum(ReadOnlySpan<int> values)
    {
        var sum = 0;
        foreach (var v in values) sum += v;
        return sum;
    }

    public static void FillWith(Span<int> values, int value) => values.Fill(value);

    public static Span<int> Slice(Span<int> values, int start) => values.Slice(start);

    public static ReadOnlySpan<char> Trimmed(ReadOnlySpan<char> text) => text.Trim();

    public static int CountChars(ReadOnlySpan<char> text, char c)
    {
        var n = 0;
        for (var i = 0; i < text.Length; i++) if (text[i] == c) n++;
        return n;
    }

    public static int Total(Cursor cursor) => cursor.Remaining;

    public static T First<T>(Span<T> values) => values[0];
}

// A ref struct: its methods take `this` by reference.
public ref struct Cursor
{
    Span<int> _data;
    int _position;

    public Cursor(Span<int> data)
    {
        _data = data;
        _position = 0;
    }

    public int Remaining => _data.Length - _position;

    public int Read() => _data[_position++];

    public readonly int Peek() => _data[_position];
}

public ref struct RefFieldHolder
{
    public ref int Target;

    public RefFieldHolder(ref int target) => Target = ref target;

    public void Increment() => Target++;
}
