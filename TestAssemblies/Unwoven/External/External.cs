using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace External;

/// <summary>Statics of every signature shape a call site can have.</summary>
public static class Library
{
    public static int Calls;

    public static int Add(int a, int b) { Calls++; return a + b; }
    public static string Greeting => "hello";
    public static int Counter { get; set; }
    public static T Echo<T>(T value) => value;
    public static bool TryParse(string text, out int value) => int.TryParse(text, out value);
    public static void Increment(ref int value) => value++;
    public static long Sum(in Pair pair) => pair.A + pair.B;
    public static int Count(ReadOnlySpan<char> text, char c)
    {
        var n = 0;
        foreach (var x in text) if (x == c) n++;
        return n;
    }
    public static ref int Slot(int[] array, int index) => ref array[index];
    public static unsafe int Deref(int* pointer) => *pointer;
    public static Task<int> LaterAsync(int value) => Task.FromResult(value);
    public static IEnumerable<int> Range(int count)
    {
        for (var i = 0; i < count; i++) yield return i;
    }
    public static TOut Convert<TIn, TOut>(TIn value, Func<TIn, TOut> convert) => convert(value);
    public static List<T> ListOf<T>(params T[] items) where T : IComparable<T> => new(items);
}

public struct Pair
{
    public long A, B;
    public Pair(long a, long b) { A = a; B = b; }
}

public interface IStore
{
    string Get(int key);
    int Size { get; }
}

/// <summary>A class with virtual, non-virtual and interface members.</summary>
public class Store : IStore
{
    public Store(string name) => Name = name;
    public Store() : this("default") { }

    public string Name { get; set; }
    public virtual string Get(int key) => Name + ":" + key;
    public string Describe() => "store " + Name;
    public int Size => Name.Length;
    public override string ToString() => "Store(" + Name + ")";
}

public sealed class CachedStore : Store
{
    public CachedStore(string name) : base(name) { }
    public override string Get(int key) => "cached " + base.Get(key);
}

/// <summary>A generic class: members are redirected per instantiation.</summary>
public class Box<T>
{
    public Box(T value) => Value = value;
    public T Value { get; set; }
    public TOut Map<TOut>(Func<T, TOut> map) => map(Value);
    public static Box<T> Of(T value) => new(value);
}

/// <summary>Something read: generic code calls it with <c>constrained.</c> on struct and class receivers.</summary>
public interface IReading
{
    int Read();
}

/// <summary>A class implementing <see cref="IReading"/>.</summary>
public sealed class Gauge : IReading
{
    public Gauge(int level) => Level = level;
    public int Level { get; }
    public int Read() => Level;
}

/// <summary>A value type: instance members are called on its address, its constructor in place.</summary>
public struct Meter : IComparable<Meter>, IReading
{
    public Meter(int reading) => Reading = reading;
    public int Reading { get; }
    public int Read() => Reading;
    public Meter Add(int more) => new(Reading + more);
    public int CompareTo(Meter other) => Reading.CompareTo(other.Reading);
    public override string ToString() => "Meter(" + Reading + ")";
}

/// <summary>A ref struct receiver.</summary>
public ref struct TextCursor
{
    readonly ReadOnlySpan<char> _text;
    int _at;
    public TextCursor(ReadOnlySpan<char> text) { _text = text; _at = 0; }
    public char Next() => _at < _text.Length ? _text[_at++] : '\0';
}
