using System;

namespace Trapweave;

/// <summary>
/// Argument matchers for <see cref="Trap.When{TResult}(System.Linq.Expressions.Expression{Func{TResult}})"/>.
/// Only meaningful inside the arranged expression; any other argument matches by <see cref="object.Equals(object)"/>.
/// </summary>
public static class Arg
{
    /// <summary>Matches any value.</summary>
    public static T Any<T>() => default!;

    /// <summary>Matches values for which <paramref name="predicate"/> is true.</summary>
    public static T Is<T>(Func<T, bool> predicate) => default!;
}
