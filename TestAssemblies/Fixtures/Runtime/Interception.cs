using System;
using System.Threading.Tasks;

namespace Fixtures.Runtime;

/// <summary>Targets for interceptors, recording and exceptions.</summary>
public static class Interception
{
    public static int Divide(int a, int b) => a / b;

    /// <summary>Registered on by several registrations at once, one of which ends while it handles a call.</summary>
    public static int Chained(int x) => x * 10;

    public static string Join(string a, string b) => a + "+" + b;

    public static void Split(string text, out string head, out string tail)
    {
        var i = text.IndexOf(' ');
        head = i < 0 ? text : text.Substring(0, i);
        tail = i < 0 ? "" : text.Substring(i + 1);
    }

    public static void Bump(ref int counter) => counter++;

    // An enum in and out: the handler's shape has its underlying int.
    public static DayOfWeek Next(DayOfWeek day) => (DayOfWeek)(((int)day + 1) % 7);

    public static int Fail(string why) => throw new InvalidOperationException(why);

    public static async Task<int> LoadAsync(int id)
    {
        await Task.Yield();
        return id * 2;
    }

    public static int Length(ReadOnlySpan<char> text) => text.Length;
}

public sealed class Ticker
{
    int _value;
    public int Next() => ++_value;
}
