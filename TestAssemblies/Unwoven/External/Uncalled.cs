namespace External;

/// <summary>Members no woven fixture calls: registering on them finds no redirected call site.</summary>
public static class Uncalled
{
    public static int Value() => 1;

    public static class Nested<T>
    {
        public static T Echo(T value) => value;
    }
}
