namespace StrongNamed;

public static class Signed
{
    public static int Add(int a, int b) => a + b;

    public static string Describe(int value) => "value " + Add(value, 1);
}
