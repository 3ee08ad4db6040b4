namespace Fixtures;

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
