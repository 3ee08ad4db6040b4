using System;
using System.Collections.Generic;

namespace Fixtures;

public class User
{
    public string Name = "user";
}

public class Order
{
    public int Id;
}

public class Repo<T>
{
    public string Get<U>(U key) => typeof(T).Name + ":" + typeof(U).Name + ":" + key;

    public T Echo(T item) => item;

    public List<T> Items { get; } = new();

    public void Add(T item) => Items.Add(item);

    public static string Kind() => "repo of " + typeof(T).Name;

    public TOut Convert<TOut>(T item, Func<T, TOut> f) => f(item);
}

public static class GenericStatics
{
    public static T Identity<T>(T value) => value;

    public static string Pair<A, B>(A a, B b) => a + "&" + b;

    public static T[] Repeat<T>(T value, int count)
    {
        var result = new T[count];
        for (var i = 0; i < count; i++) result[i] = value;
        return result;
    }

    public static T Max<T>(T a, T b) where T : IComparable<T> => a.CompareTo(b) >= 0 ? a : b;

    public static T Create<T>() where T : new() => new T();

    public static string ClassOnly<T>(T value) where T : class => value?.ToString() ?? "null";

    public static T StructOnly<T>(T value) where T : struct => value;

    public static unsafe int SizeOf<T>() where T : unmanaged => sizeof(T);

    public static unsafe T FirstOf<T>(T* items) where T : unmanaged => items[0];

    public static TBase Upcast<TBase, TDerived>(TDerived d) where TDerived : TBase => d;

    public static T? NullableOf<T>(T value) where T : struct => value;

#if NET9_0_OR_GREATER
    // 'allows ref struct' needs the .NET 9 runtime (CS9240 on net8.0); its test is skipped there.
    public static int CountRefStruct<T>(T value) where T : allows ref struct => 1;
#endif

    public static T Corner<T>(T[,] grid) => grid[0, 0];

    public static T Last<T>(T[][] jagged) => jagged[^1][^1];

    public static unsafe T Apply<T>(delegate*<T, T> f, T x) => f(x);

    public static (T, List<T>) Wrap<T>(T value) => (value, new List<T> { value });

    public static Dictionary<K, List<V>> Group<K, V>(IEnumerable<(K, V)> pairs) where K : notnull
    {
        var d = new Dictionary<K, List<V>>();
        foreach (var (k, v) in pairs)
        {
            if (!d.TryGetValue(k, out var list)) d[k] = list = new List<V>();
            list.Add(v);
        }
        return d;
    }
}

public class Constrained<T> where T : class, new()
{
    public T Make() => new T();
}

public struct ValueBox<T> where T : struct, IComparable<T>
{
    public T Value;

    public ValueBox(T value) => Value = value;

    public bool GreaterThan(T other) => Value.CompareTo(other) > 0;

    public ValueBox<T> With(T value) => new ValueBox<T>(value);
}

public class UnmanagedBuffer<T> where T : unmanaged
{
    public unsafe int ElementSize() => sizeof(T);

    public unsafe T Read(T* p) => *p;

    public unsafe T* Advance(T* p, int n) => p + n;

    public T[] Fill(T value, int n)
    {
        var a = new T[n];
        Array.Fill(a, value);
        return a;
    }
}

public class Outer<T>
{
    public class Inner<U>
    {
        public string Both(T t, U u) => t + "|" + u;

        public static string Names() => typeof(T).Name + "/" + typeof(U).Name;
    }

    public class Plain
    {
        public T Keep(T value) => value;
    }

    public Plain MakePlain() => new Plain();

    public Inner<int> MakeInner() => new Inner<int>();

    public static Inner<T> Self(Inner<T> inner) => inner;
}

public interface IStore<T>
{
    T Load(int id);

    string Info() => "store of " + typeof(T).Name;
}

public class MemoryStore<T> : IStore<T> where T : new()
{
    public T Load(int id) => new T();
}

public abstract class Handler<TIn, TOut>
{
    public abstract TOut Handle(TIn input);

    public virtual string Name() => "handler";
}

public class LengthHandler : Handler<string, int>
{
    public override int Handle(string input) => input.Length;

    public override string Name() => "length";
}

public class SelfReferencing<TSelf> where TSelf : SelfReferencing<TSelf>
{
    public TSelf Self() => (TSelf)this;
}

public sealed class Concrete : SelfReferencing<Concrete>
{
}

/// <summary>
/// A generic method constrained on a private nested interface (Acornima's RegExpParser.ParsePattern&lt;TMode&gt;
/// where TMode : IMode): the handler type's copy of the constraint must stay legal outside the class.
/// </summary>
public class PrivateConstraints
{
    interface IMode { int Value { get; } }

    struct Fast : IMode { public int Value => 1; }

    sealed class Slow : IMode { public int Value => 2; }

    protected internal interface IShared { int Value { get; } }

    sealed class Shared : IShared { public int Value => 3; }

    static int Run<TMode>(TMode mode) where TMode : IMode => mode.Value * 10;

    static int RunShared<T>(T value) where T : IShared => value.Value * 10;

    public static int RunFast() => Run(new Fast());

    public static int RunSlow() => Run(new Slow());

    public static int RunAsInterface() => Run<IMode>(new Slow());

    public static int RunProtectedInternal() => RunShared<IShared>(new Shared());

    public static System.Reflection.MethodInfo RunOverInterface =>
        typeof(PrivateConstraints).GetMethod(nameof(Run), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!.MakeGenericMethod(typeof(IMode));
}
