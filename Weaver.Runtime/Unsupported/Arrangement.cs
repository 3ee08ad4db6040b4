using System;

namespace Trapweave;

/// <summary>Build for runtimes before .NET 8: never created (<see cref="Trap.When(System.Linq.Expressions.Expression{Action})"/> throws).</summary>
public class Arrangement
{
    private protected Arrangement() { }

    public IDisposable Throws(Exception exception) => throw UnsupportedRuntime.Exception("Arrangement.Throws");
    public IDisposable Throws<TException>() where TException : Exception, new() => throw UnsupportedRuntime.Exception("Arrangement.Throws");
    public IDisposable CallOriginal() => throw UnsupportedRuntime.Exception("Arrangement.CallOriginal");
    public IDisposable DoesNothing() => throw UnsupportedRuntime.Exception("Arrangement.DoesNothing");
    public IDisposable Does(Action<Invocation> action) => throw UnsupportedRuntime.Exception("Arrangement.Does");
}

/// <summary>Build for runtimes before .NET 8: never created (<see cref="Trap.When{TResult}(System.Linq.Expressions.Expression{Func{TResult}})"/> throws).</summary>
public sealed class Arrangement<TResult> : Arrangement
{
    Arrangement() { }

    public IDisposable Returns(TResult value) => throw Unsupported();
    public IDisposable Returns(Func<TResult> compute) => throw Unsupported();
    public IDisposable Returns(Func<Invocation, TResult> compute) => throw Unsupported();
    public IDisposable Returns<T1>(Func<T1, TResult> compute) => throw Unsupported();
    public IDisposable Returns<T1, T2>(Func<T1, T2, TResult> compute) => throw Unsupported();
    public IDisposable Returns<T1, T2, T3>(Func<T1, T2, T3, TResult> compute) => throw Unsupported();
    public IDisposable Returns<T1, T2, T3, T4>(Func<T1, T2, T3, T4, TResult> compute) => throw Unsupported();

    static TrapException Unsupported() => UnsupportedRuntime.Exception("Arrangement.Returns");
}
