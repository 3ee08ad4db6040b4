using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace Fixtures;

public static class BodyShapes
{
    public static List<string> Log = new();

    public static string TryCatchFinally(int x)
    {
        var trail = "";
        try
        {
            trail += "try;";
            if (x == 0) throw new InvalidOperationException("zero");
            trail += "ok;";
        }
        catch (InvalidOperationException e) when (e.Message == "zero")
        {
            trail += "caught;";
        }
        finally
        {
            trail += "finally;";
        }
        return trail;
    }

    // The whole body is a try block starting at the first instruction.
    public static int TryAtStart(string s)
    {
        try
        {
            return int.Parse(s);
        }
        catch (FormatException)
        {
            return -1;
        }
    }

    // The body ends inside a catch handler (rethrow is the last instruction).
    public static int EndsInCatch(string s)
    {
        try
        {
            return int.Parse(s);
        }
        catch
        {
            Log.Add("rethrowing");
            throw;
        }
    }

    // The body ends inside a finally handler.
    public static void EndsInFinally(List<string> trail)
    {
        try
        {
            trail.Add("body");
        }
        finally
        {
            trail.Add("finally");
        }
    }

    public static void EndsInThrow(string message) => throw new InvalidOperationException(message);

    // do/while: the loop jumps back to the method's first instruction.
    public static int DoWhileAtStart(int n)
    {
        do
        {
            n -= 3;
        } while (n > 0);
        return n;
    }

    public static int WhileAtStart(int n)
    {
        while (n > 10) n /= 2;
        return n;
    }

    public static int GotoStart(int n)
    {
    start:
        n++;
        if (n < 10) goto start;
        return n;
    }

    public static int Recursive(int n) => n <= 0 ? 0 : n + Recursive(n - 1);

    public static int MutualA(int n) => n <= 0 ? 0 : 1 + MutualB(n - 1);

    public static int MutualB(int n) => n <= 0 ? 0 : 10 + MutualA(n - 1);

    public static int StackAlloc(int n)
    {
        Span<int> buffer = stackalloc int[n];
        for (var i = 0; i < n; i++) buffer[i] = i;
        var sum = 0;
        foreach (var v in buffer) sum += v;
        return sum;
    }

    public static unsafe int StackAllocPointer(int n)
    {
        int* p = stackalloc int[n];
        for (var i = 0; i < n; i++) p[i] = i * 2;
        return p[n - 1];
    }

    public static unsafe int ReadPointer(int* p, int index) => p[index];

    public static unsafe void WritePointer(int* p, int value) => *p = value;

    public static unsafe byte* Advance(byte* p, int n) => p + n;

    public static unsafe int CallFunctionPointer(delegate*<int, int> f, int x) => f(x);

    public static int Square(int x) => x * x;

    public static unsafe int Fixed(int[] values)
    {
        fixed (int* p = values)
        {
            return p[0] + p[values.Length - 1];
        }
    }

    [SkipLocalsInit]
    public static int SkipInit(int n)
    {
        Span<byte> scratch = stackalloc byte[16];
        scratch.Clear();
        scratch[0] = (byte)n;
        return scratch[0] + scratch[15];
    }

    public static string Switch(int n)
    {
        switch (n)
        {
            case 0: return "zero";
            case 1: return "one";
            case 2: return "two";
            case 3: return "three";
            default: return "many";
        }
    }

    public static int UsingAndLock(object gate, List<string> log)
    {
        lock (gate)
        {
            using var d = new Noisy(log);
            log.Add("inside");
            return log.Count;
        }
    }

    public static int Nested(int x)
    {
        try
        {
            try
            {
                if (x < 0) throw new ArgumentException();
                return x;
            }
            finally
            {
                Log.Add("inner finally");
            }
        }
        catch (ArgumentException)
        {
            return 0;
        }
    }

    public static void VoidLoop(List<int> sink)
    {
        for (; sink.Count < 3;) sink.Add(sink.Count);
    }

    public static IntPtr NativeSize() => (IntPtr)IntPtr.Size;

    public static object Boxes(int x) => x;

    public static dynamic Dynamic(dynamic x) => x + 1;

    public static (int, string) Tuple(int x) => (x, x.ToString());

    public static int? NullableResult(bool has) => has ? 1 : null;

    public static T Generic<T>(Func<T> make) => make();

    public static int LocalFunctionUser(int x)
    {
        return Twice(x) + 1;
        static int Twice(int y) => y * 2;
    }

    public static Func<int, int> LambdaMaker(int k) => x => x + k;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Inlined(int x) => x + 1;

    public static int CallsInlined(int x) => Inlined(x) * 2;

    [MethodImpl(MethodImplOptions.Synchronized)]
    public static int Synchronized(int x) => x * 3;

    public static unsafe delegate*<int, int> SquarePointer() => &Square;

    // Never trapped: varargs and TypedReference cannot be passed on to a handler.
    public static int VarArgs(__arglist) => new ArgIterator(__arglist).GetRemainingCount();

    public static int Typed(TypedReference reference) => __refvalue(reference, int);

    public static int ManyArgs(int a, int b, int c, int d, int e, int f, int g, int h, int i, int j) => a + b + c + d + e + f + g + h + i + j;
}

public sealed class Noisy : IDisposable
{
    readonly List<string> _log;

    public Noisy(List<string> log) => _log = log;

    public void Dispose() => _log.Add("disposed");
}
