namespace Fixtures;

public class RefParams
{
    public static int[] Storage = { 1, 2, 3 };

    public static bool TryParse(string text, out int value)
    {
        return int.TryParse(text, out value);
    }

    public static void Swap(ref int a, ref int b)
    {
        (a, b) = (b, a);
    }

    public static int Sum(in Big big) => (int)(big.A + big.B + big.C + big.D + big.E);

    public static ref int At(int index) => ref Storage[index];

    public static ref readonly int ReadOnlyAt(int index) => ref Storage[index];

    public int Field = 5;

    public ref int FieldRef() => ref Field;

    public void Fill(out string a, out Point b, ref object c)
    {
        a = "a";
        b = new Point(1, 2);
        c = "c";
    }

    public static ref T Pick<T>(ref T a, ref T b, bool first) => ref first ? ref a : ref b;

    public static void Deconstruct(Point p, out int x, out int y)
    {
        x = p.X;
        y = p.Y;
    }

    public static ref int ScopedFirst(scoped ref int a) => ref Storage[0];

    public static int ReadonlyRefParam(ref readonly int value) => value + 1;
}

/// <summary>Optional ref parameters passed as null refs (Acornima's parser does: ref Unsafe.NullRef&lt;T&gt;()).</summary>
public static class NullRefs
{
    public static int ReadOr(ref int value, int fallback) => System.Runtime.CompilerServices.Unsafe.IsNullRef(ref value) ? fallback : value;

    public static void SetIfPresent(ref int target, int value)
    {
        if (!System.Runtime.CompilerServices.Unsafe.IsNullRef(ref target)) target = value;
    }

    public static int WithoutTarget() => ReadOr(ref System.Runtime.CompilerServices.Unsafe.NullRef<int>(), -1);
}

/// <summary>An object its static type does not describe, as Jint makes with Unsafe.As (an object[] handed on as a JsValue[]).</summary>
public static class Reinterpreted
{
    static readonly object[] Cache = { "a", "b" };

    public static string[] AsStrings() => System.Runtime.CompilerServices.Unsafe.As<string[]>(Cache);

    public static int CountOf(string[] values) => values.Length;

    public static int RoundTrip() => CountOf(AsStrings());
}
