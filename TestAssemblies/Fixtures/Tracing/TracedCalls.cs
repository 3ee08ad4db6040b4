using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace Fixtures.Tracing;

/// <summary>Call trees for the trace recorder: sync, async, parallel, recursive and throwing, plus awkward values.</summary>
public static class TracedCalls
{
    // Sync nesting: Total calls Price for each line, Price calls Round.
    public static decimal Total(int[] quantities, decimal unitPrice)
    {
        decimal sum = 0;
        foreach (var quantity in quantities) sum += Price(quantity, unitPrice);
        return sum;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static decimal Price(int quantity, decimal unitPrice) => Round(quantity * unitPrice);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static decimal Round(decimal value) => Math.Round(value, 2);

    public static int Fibonacci(int n) => n < 2 ? n : Fibonacci(n - 1) + Fibonacci(n - 2);

    public static int Checked(int value)
    {
        try { return Fail(value); }
        catch (InvalidOperationException) { return -1; }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int Fail(int value) => throw new InvalidOperationException("no " + value);

    // Async: the awaited call's duration is its task's.
    public static async Task<int> LoadAsync(int id, Task gate)
    {
        var first = await FetchAsync(id, gate);
        return first + Price(1, 1m) > 0 ? first : 0;
    }

    public static async Task<int> FetchAsync(int id, Task gate)
    {
        await gate;
        return Double(id);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int Double(int x) => x * 2;

    public static async Task FailLaterAsync(Task gate)
    {
        await gate;
        throw new ArgumentException("later");
    }

    public static Task BothFailAsync(Task gate) => Task.WhenAll(FailLaterAsync(gate), FailLaterAsync(gate));

    public static async Task CancelLaterAsync(Task gate, CancellationToken token)
    {
        await gate;
        token.ThrowIfCancellationRequested();
    }

    /// <summary>A task not started yet: the caller starts it.</summary>
    public static Task<int> Cold(int x) => new(() => Double(x));

    public static async ValueTask<int> ValueLaterAsync(int x, Task gate)
    {
        await gate;
        return Double(x);
    }

    public static ValueTask<int> ValueNow(int x) => new(Double(x));

    // Parallel: two branches of one call, each on a pool thread.
    public static async Task<int> BothAsync(Task gate)
    {
        var left = Task.Run(() => FetchAsync(1, gate));
        var right = Task.Run(() => FetchAsync(2, gate));
        var results = await Task.WhenAll(left, right);
        return results[0] + results[1];
    }

    public static int OnThread(int x)
    {
        var result = 0;
        var thread = new Thread(() => result = Double(x));
        thread.Start();
        thread.Join();
        return result;
    }

    /// <summary>A sync method that sets an AsyncLocal for its caller (as Activity.Start or a logging scope does).</summary>
    public static readonly AsyncLocal<string?> Ambient = new();

    public static void SetAmbient(string value) => Ambient.Value = value;

    public static int Count(List<int> items) => items.Count;

    public static string Describe(object value) => value.GetType().Name;

    public static string Login(string user, string password) => user + ":" + password.Length;

    public static T Identity<T>(T value) => value;

    public static Node Link(Node node) => node;
}

public sealed class Node
{
    public Node(string name) => Name = name;

    public string Name { get; }
    public Node? Next { get; set; }

    public int Depth() => Next is null ? 1 : 1 + Next.Depth();
}

public sealed class ThrowsOnToString
{
    public override string ToString() => throw new InvalidOperationException("ToString is broken");
}

/// <summary>Another namespace's code, for filters.</summary>
public static class Untraced
{
    public static int Helper(int x) => TracedCalls.Double(x) + 1;
}
