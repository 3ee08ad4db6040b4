using System;
using System.Collections.Generic;
using System.Linq;

namespace Fixtures;

public static class ParamsShapes
{
    public static int Sum(params int[] values) => values.Sum();

    public static string Join(string separator, params object[] parts) => string.Join(separator, parts);

    public static int SpanSum(params ReadOnlySpan<int> values)
    {
        var s = 0;
        foreach (var v in values) s += v;
        return s;
    }

    public static int CountAll(params IEnumerable<string> items) => items.Count();

    public static string Optional(int a, int b = 2, string c = "c", object d = null, DateTime e = default) => $"{a}{b}{c}{d ?? "null"}{e.Year}";

    public static decimal OptionalDecimal(decimal m = 1.5m) => m;
}
