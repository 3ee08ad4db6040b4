using System;

namespace Fixtures;

public struct Point : IEquatable<Point>
{
    public int X;
    public int Y;

    public Point(int x, int y)
    {
        X = x;
        Y = y;
    }

    // this(...) chain: the prologue goes after it.
    public Point(int both) : this(both, both)
    {
        X += 1000;
    }

    public Point(string text)
    {
        // Starts with ldarg.0, then constructs another Point in place: not a this(...) chain.
        Y = text.Length;
        var other = new Point(7, 8);
        X = other.X;
    }

    public int Sum() => X + Y;

    public void Move(int dx, int dy)
    {
        X += dx;
        Y += dy;
    }

    public readonly int ReadonlyProduct() => X * Y;

    public static Point Origin() => default;

    public bool Equals(Point other) => X == other.X && Y == other.Y;

    public override bool Equals(object obj) => obj is Point p && Equals(p);

    public override int GetHashCode() => HashCode.Combine(X, Y);

    public override string ToString() => $"({X}, {Y})";
}

public readonly struct Money
{
    public readonly decimal Amount;
    public readonly string Currency;

    public Money(decimal amount, string currency)
    {
        Amount = amount;
        Currency = currency;
    }

    public Money Times(decimal factor) => new Money(Amount * factor, Currency);

    public string Format() => Amount + " " + Currency;

    public static Money operator +(Money a, Money b) => new Money(a.Amount + b.Amount, a.Currency);

    public static Money operator -(Money a) => new Money(-a.Amount, a.Currency);

    public static bool operator ==(Money a, Money b) => a.Amount == b.Amount && a.Currency == b.Currency;

    public static bool operator !=(Money a, Money b) => !(a == b);

    public static implicit operator decimal(Money m) => m.Amount;

    public static explicit operator Money(decimal d) => new Money(d, "EUR");

    public static bool operator true(Money m) => m.Amount != 0;

    public static bool operator false(Money m) => m.Amount == 0;

    public static Money operator ++(Money m) => new Money(m.Amount + 1, m.Currency);
}

public struct WithInitializers
{
    public int A = 5;
    public string B = "b";

    public WithInitializers() { }

    public WithInitializers(int a)
    {
        A = a;
    }

    public int Total() => A + B.Length;
}

public record struct PairRecord(int Left, int Right)
{
    public int Sum() => Left + Right;
}

public record PersonRecord(string First, string Last)
{
    public string Full() => First + " " + Last;
}

// A large struct, returned and passed by value.
public struct Big
{
    public long A, B, C, D, E;

    public Big Doubled() => new Big { A = A * 2, B = B * 2, C = C * 2, D = D * 2, E = E * 2 };

    public static Big Make(long v) => new Big { A = v, B = v, C = v, D = v, E = v };
}
