using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;

namespace DebugInfo;

// Tests find the lines marked "// line:NAME" in this file and expect stack traces and sequence
// points of the woven copy to point at exactly those lines, as they do in the unwoven one.
public static class Lines
{
    public static int Counter;

    public static int FirstLine(int x) => x * 2 + 1; // line:FirstLine

    public static void Throws(int value)
    {
        Counter += value;
        throw new InvalidOperationException("thrown on a known line"); // line:Throws
    }

    public static int ThrowsInLoop(int count)
    {
        var i = 0;
        while (true)
        {
            i++;
            if (i > count) throw new ArgumentOutOfRangeException(nameof(count), "loop ran out"); // line:ThrowsInLoop
        }
    }

    public static int ThrowsInTry(string text)
    {
        try
        {
            return int.Parse(text) / Counter; // line:ThrowsInTry
        }
        finally
        {
            Counter++;
        }
    }

    public static int ThrowsThroughCaller(int value) => Helper(value) + 1; // line:ThrowsThroughCaller

    // Never inlined: the helper's own frame is part of what the test compares.
    [MethodImpl(MethodImplOptions.NoInlining)]
    static int Helper(int value)
    {
        if (value > 0) throw new NotSupportedException("from the helper"); // line:Helper
        return value;
    }

    public static async Task<int> ThrowsAsync(int value)
    {
        await Task.Yield();
        if (value > 0) throw new TimeoutException("after an await"); // line:ThrowsAsync
        return value;
    }

    public static IEnumerable<int> ThrowsInIterator(int count)
    {
        for (var i = 0; i < count; i++) yield return i;
        throw new InvalidOperationException("iterator ran out"); // line:ThrowsInIterator
    }

    public static int ThrowsInConstructor(int value) => new Widget(value).Value;

    public static int CallsInstance(int value) => new Widget(1).Twice(value);
}

public sealed class Widget
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public Widget(int value)
    {
        if (value < 0) throw new ArgumentException("negative widget"); // line:Widget.ctor
        Value = value;
    }

    public int Value { get; }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public int Twice(int value)
    {
        if (value == 13) throw new InvalidOperationException("unlucky"); // line:Widget.Twice
        return value * 2 * Value;
    }
}
