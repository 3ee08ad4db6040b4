using System.Collections.Generic;
using System.Linq;

namespace Fixtures;

public static class StringExtensions
{
    public static int WordCount(this string s) => s.Split(' ', System.StringSplitOptions.RemoveEmptyEntries).Length;

    public static string Repeat(this string s, int times) => string.Concat(Enumerable.Repeat(s, times));

    public static T FirstOr<T>(this IEnumerable<T> items, T fallback)
    {
        foreach (var item in items) return item;
        return fallback;
    }

    public static void Bump(this ref Point p) => p.X++;

    public static int Length2(this in Point p) => p.X * p.X + p.Y * p.Y;
}

// C# 14 extension members: the implementation methods are ordinary static methods of this class.
public static class ModernExtensions
{
    extension(string s)
    {
        public string Shouted() => s.ToUpperInvariant() + "!";

        public bool IsBlank => string.IsNullOrWhiteSpace(s);

        public static string Joined(string a, string b) => a + "+" + b;
    }

    extension<T>(List<T> list)
    {
        public T Second() => list[1];
    }
}
