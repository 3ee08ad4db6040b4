using System.Numerics;

namespace Fixtures;

public readonly struct Pair<T> where T : INumber<T>
{
    public readonly T A, B;

    public Pair(T a, T b)
    {
        A = a;
        B = b;
    }

    public static Pair<T> operator +(Pair<T> x, Pair<T> y) => new(x.A + y.A, x.B + y.B);

    public static bool operator ==(Pair<T> x, Pair<T> y) => x.A == y.A && x.B == y.B;

    public static bool operator !=(Pair<T> x, Pair<T> y) => !(x == y);

    public override bool Equals(object obj) => obj is Pair<T> p && this == p;

    public override int GetHashCode() => A.GetHashCode() ^ B.GetHashCode();
}

public static class GenericMath
{
    public static T SumAll<T>(T[] values) where T : INumber<T>
    {
        var sum = T.Zero;
        foreach (var v in values) sum += v;
        return sum;
    }

    public static Pair<T> AddPairs<T>(Pair<T> x, Pair<T> y) where T : INumber<T> => x + y;
}

public sealed class Vector
{
    public readonly int X, Y;

    public Vector(int x, int y)
    {
        X = x;
        Y = y;
    }

    public static Vector operator +(Vector a, Vector b) => new Vector(a.X + b.X, a.Y + b.Y);

    public static Vector operator *(Vector a, int k) => new Vector(a.X * k, a.Y * k);

    public static bool operator ==(Vector a, Vector b) => a?.X == b?.X && a?.Y == b?.Y;

    public static bool operator !=(Vector a, Vector b) => !(a == b);

    public static implicit operator (int, int)(Vector v) => (v.X, v.Y);

    public static explicit operator Vector(int both) => new Vector(both, both);

    public override bool Equals(object obj) => obj is Vector v && this == v;

    public override int GetHashCode() => X ^ Y;
}

// C# 14 user-defined compound assignment and increment operators (instance methods).
public class Accumulator
{
    public int Total;

    public void operator +=(int amount) => Total += amount;

    public void operator ++() => Total++;
}
