using System;
using System.Runtime.CompilerServices;

namespace Fixtures;

public static class StaticMethods
{
    public static int Add(int a, int b) => a + b;

    public static string Greet(string name) => "hello " + name;

    public static int Counter;

    public static void Increment() => Counter++;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int Square(int x) => x * x;

    public static int CallsAdd(int a) => Add(a, 1) * 10;

    public static int Factorial(int n) => n <= 1 ? 1 : n * Factorial(n - 1);
}
