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

// SQLitePCLRaw's utf8z: a readonly ref struct over bytes, pinned through its ref-returning GetPinnableReference.
public readonly ref struct Utf8Z
{
    readonly ReadOnlySpan<byte> _bytes;

    Utf8Z(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    public static Utf8Z FromString(string value) => value is null ? new(ReadOnlySpan<byte>.Empty) : new(System.Text.Encoding.UTF8.GetBytes(value + "\0"));

    public ref readonly byte GetPinnableReference() => ref _bytes.GetPinnableReference();

    public int Length => _bytes.Length;
}

public static class Utf8Calls
{
    public static unsafe int FirstByte(Utf8Z text)
    {
        fixed (byte* first = text) return first == null ? -1 : *first;
    }

    public static int LengthOf(Utf8Z text) => text.Length;
}
