using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Trapweave.Internal;

namespace Trapweave;

/// <summary>
/// A call arranged with <see cref="Trap.When(System.Linq.Expressions.Expression{Action})"/>: say what
/// matching calls do. Each outcome registers and returns an <see cref="IDisposable"/> that removes it.
/// </summary>
public class Arrangement
{
    internal readonly TrapRegistry Registry;
    internal readonly CallPattern Pattern;
    internal readonly TrapTarget Target;
    readonly Interception _interception;

    internal Arrangement(TrapRegistry registry, CallPattern pattern)
    {
        Registry = registry;
        Pattern = pattern;
        _interception = Targets.Resolve(pattern.Method, pattern.Instance);
        Target = _interception.Target;
    }

    /// <summary>Matching calls throw <paramref name="exception"/> (the same object reaches the caller).</summary>
    public IDisposable Throws(Exception exception)
    {
        if (exception is null) throw new ArgumentNullException(nameof(exception));
        return Register([StackTraceHidden] (call) => call.Throw(exception));
    }

    /// <summary>Matching calls throw a new <typeparamref name="TException"/>.</summary>
    public IDisposable Throws<TException>() where TException : Exception, new() => Register([StackTraceHidden] (call) => call.Throw(new TException()));

    /// <summary>Matching calls run the original body (useful to carve exceptions out of a broader arrangement).</summary>
    public IDisposable CallOriginal() => Register([StackTraceHidden] (_) => { }, passThrough: true);

    /// <summary>Matching calls do nothing and return the default value.</summary>
    public IDisposable DoesNothing()
    {
        var value = DefaultOf(Target.ReturnType);
        return Register([StackTraceHidden] (call) => call.Return(value));
    }

    /// <summary>Matching calls run <paramref name="action"/> instead of the original.</summary>
    public IDisposable Does(Action<Invocation> action)
    {
        if (action is null) throw new ArgumentNullException(nameof(action));
        var value = DefaultOf(Target.ReturnType);
        return Register([StackTraceHidden] (call) =>
        {
            action(call);
            if (!call.HasOutcome) call.Return(value);
        });
    }

    internal IDisposable Register(Action<Invocation> outcome, bool passThrough = false) =>
        _interception.Activate((t, route) => new ArrangementRegistration(t, route, Registry.IsGlobal, Pattern, outcome) { PassesThrough = passThrough });

    static object? DefaultOf(Type type) =>
        type == typeof(void) || !type.IsValueType || type.IsByRefLike ? null : Activator.CreateInstance(type);

    internal void CheckParameterTypes(params Type[] types)
    {
        var ps = Target.Parameters;
        var problems = new List<string>();
        if (types.Length != ps.Length)
            problems.Add($"it takes {types.Length} parameter{(types.Length == 1 ? "" : "s")}, the method {ps.Length}");
        for (var i = 0; i < Math.Min(types.Length, ps.Length); i++)
        {
            var expected = ps[i].ParameterType.IsByRef ? ps[i].ParameterType.GetElementType()! : ps[i].ParameterType;
            if (!types[i].IsAssignableFrom(expected))
                problems.Add($"parameter {i + 1} ('{ps[i].Name}') is {TrapTarget.TypeName(expected)} in the method, {TrapTarget.TypeName(types[i])} in the compute function");
        }
        if (problems.Count > 0)
            throw new TrapException($"The compute function ({string.Join(", ", types.Select(TrapTarget.TypeName))}) does not fit {Target.Name}: {string.Join("; ", problems)}. Take the method's parameters in order, or take an Invocation.");
    }
}

/// <summary>An arranged call with a result: adds <c>Returns</c>.</summary>
public sealed class Arrangement<TResult> : Arrangement
{
    internal Arrangement(TrapRegistry registry, CallPattern pattern) : base(registry, pattern)
    {
        if (Target.IsConstructor) return;
        var returns = Target.ReturnType.IsByRef ? Target.ReturnType.GetElementType()! : Target.ReturnType;
        if (!typeof(TResult).IsAssignableFrom(returns) && !returns.IsAssignableFrom(typeof(TResult)))
            throw new TrapException($"{Target.Name} returns {TrapTarget.TypeName(returns)}, not {TrapTarget.TypeName(typeof(TResult))}.");
    }

    /// <summary>Matching calls return <paramref name="value"/>.</summary>
    public IDisposable Returns(TResult value)
    {
        RefuseConstructor();
        return Register([StackTraceHidden] (call) => call.Return(value));
    }

    /// <summary>Matching calls return what <paramref name="compute"/> returns, computed per call.</summary>
    public IDisposable Returns(Func<TResult> compute)
    {
        RefuseConstructor();
        return Register([StackTraceHidden] (call) => call.Return(compute()));
    }

    /// <summary>Matching calls return <paramref name="compute"/> of the invocation (arguments, receiver).</summary>
    public IDisposable Returns(Func<Invocation, TResult> compute)
    {
        RefuseConstructor();
        return Register([StackTraceHidden] (call) => call.Return(compute(call)));
    }

    public IDisposable Returns<T1>(Func<T1, TResult> compute)
    {
        RefuseConstructor();
        CheckParameterTypes(typeof(T1));
        return Register([StackTraceHidden] (call) => call.Return(compute((T1)call.Arguments[0]!)));
    }

    public IDisposable Returns<T1, T2>(Func<T1, T2, TResult> compute)
    {
        RefuseConstructor();
        CheckParameterTypes(typeof(T1), typeof(T2));
        return Register([StackTraceHidden] (call) => call.Return(compute((T1)call.Arguments[0]!, (T2)call.Arguments[1]!)));
    }

    public IDisposable Returns<T1, T2, T3>(Func<T1, T2, T3, TResult> compute)
    {
        RefuseConstructor();
        CheckParameterTypes(typeof(T1), typeof(T2), typeof(T3));
        return Register([StackTraceHidden] (call) => call.Return(compute((T1)call.Arguments[0]!, (T2)call.Arguments[1]!, (T3)call.Arguments[2]!)));
    }

    public IDisposable Returns<T1, T2, T3, T4>(Func<T1, T2, T3, T4, TResult> compute)
    {
        RefuseConstructor();
        CheckParameterTypes(typeof(T1), typeof(T2), typeof(T3), typeof(T4));
        return Register([StackTraceHidden] (call) => call.Return(compute((T1)call.Arguments[0]!, (T2)call.Arguments[1]!, (T3)call.Arguments[2]!, (T4)call.Arguments[3]!)));
    }

    void RefuseConstructor()
    {
        if (Target.IsConstructor)
            throw new TrapException($"{Target.Name} is a constructor and cannot return a value. Use Throws, DoesNothing or CallOriginal.");
    }
}
