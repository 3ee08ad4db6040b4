using System;

namespace Fixtures.Runtime;

/// <summary>Targets whose stack traces are read while they are patched.</summary>
public static class StackTraces
{
    public static int Ratio(int a, int b)
    {
        var scaled = a * 100;
        return scaled / b;
    }

    public static string Where() => Environment.StackTrace;
}
