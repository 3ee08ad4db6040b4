using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using External;
using Trapweave;

namespace Fixtures.Redirects;

/// <summary>
/// Calls to members of another assembly (External, redirected by FodyWeavers.xml's Redirect; and
/// the framework's default set) in every way IL reaches a member. Each method is one call shape.
/// </summary>
public static class RedirectedCalls
{
    // call: statics of every signature shape
    public static int StaticCall(int a, int b) => Library.Add(a, b);
    public static string StaticGetter() => Library.Greeting;
    public static void StaticSetter(int value) => Library.Counter = value;
    public static int StaticCounter() => Library.Counter;
    public static bool OutParameter(string text, out int value) => Library.TryParse(text, out value);
    public static int RefParameter(int start)
    {
        var value = start;
        Library.Increment(ref value);
        return value;
    }
    public static long InParameter(long a, long b)
    {
        var pair = new Pair(a, b);
        return Library.Sum(in pair);
    }
    public static int SpanParameter(string text) => Library.Count(text.AsSpan(), 'a');
    public static int RefReturn(int[] array)
    {
        ref var slot = ref Library.Slot(array, 0);
        slot = 42;
        return array[0];
    }
    public static unsafe int PointerParameter(int value) => Library.Deref(&value);

    // generic methods, per instantiation
    public static int GenericInt(int value) => Library.Echo(value);
    public static string GenericString(string value) => Library.Echo(value);
    public static T GenericFromContext<T>(T value) => Library.Echo(value);
    public static string TwoTypeArguments(int value) => Library.Convert(value, v => v.ToString());
    public static int ConstrainedGeneric() => Library.ListOf(3, 1, 2).Count;

    // callvirt: virtual, non-virtual and interface members, through base and derived types
    public static string VirtualCall(Store store, int key) => store.Get(key);
    public static string InterfaceCall(IStore store, int key) => store.Get(key);
    public static int InterfacePropertyCall(IStore store) => store.Size;
    public static string NonVirtualCall(Store store) => store.Describe();
    public static string PropertyGetter(Store store) => store.Name;
    public static void PropertySetter(Store store, string name) => store.Name = name;
    public static string ObjectVirtualCall(Store store) => store.ToString();

    // generic types, per instantiation
    public static int GenericTypeGetter(Box<int> box) => box.Value;
    public static string GenericTypeGetterString(Box<string> box) => box.Value;
    public static string GenericTypeGenericMethod(Box<int> box) => box.Map(v => "#" + v);
    public static Box<T> GenericTypeStatic<T>(T value) => Box<T>.Of(value);

    // constrained. calls on generic receivers and value types
    public static string ConstrainedToString<T>(T value) => value.ToString();
    public static int ConstrainedCompare<T>(T a, T b) where T : IComparable<T> => a.CompareTo(b);
    // ... of a redirected (External) interface member: the stub is generic over the receiver
    public static int ConstrainedRead<T>(T reading) where T : IReading => reading.Read();
    public static string ConstrainedGet<T>(T store, int key) where T : IStore => store.Get(key);

    // value types: instance members on an address, constructors in place
    public static int ValueCall(Meter meter) => meter.Read();
    public static int ValueGetter(Meter meter) => meter.Reading;
    public static int ValueChained(int reading) => new Meter(reading).Add(1).Read();
    public static int ValueConstructedInPlace(int reading)
    {
        Meter meter;
        meter = new Meter(reading);
        return meter.Reading;
    }
    public static char RefStructReceiver(string text)
    {
        var cursor = new TextCursor(text.AsSpan());
        cursor.Next();
        return cursor.Next();
    }

    // newobj
    public static Store Construct(string name) => new Store(name);
    public static Store ConstructDefault() => new Store();
    public static Box<T> ConstructGeneric<T>(T value) => new Box<T>(value);

    // ldftn / ldvirtftn: method groups as delegates
    public static Func<int, int, int> StaticMethodGroup() => Library.Add;
    public static Func<int, string> VirtualMethodGroup(Store store) => store.Get;
    public static Func<string> NonVirtualMethodGroup(Store store) => store.Describe;
    public static Func<int, int> GenericMethodGroup() => Library.Echo;

    // compiler-generated code
    public static async Task<int> InAsyncMethod(int a)
    {
        await Task.Yield();
        var sum = Library.Add(a, 1);
        await Task.Yield();
        return sum + await Library.LaterAsync(0);
    }
    public static IEnumerable<int> InIterator(int count)
    {
        for (var i = 0; i < count; i++) yield return Library.Add(i, 0);
    }
    public static int InLambda(int a)
    {
        Func<int, int> f = x => Library.Add(x, a);
        return f(1);
    }
    public static int InLocalFunction(int a)
    {
        return Local(2);
        int Local(int x) => Library.Add(x, a);
    }
    public static int InLinq(int count) => Enumerable.Range(0, count).Select(i => Library.Add(i, 1)).Sum();

    // the framework's default set
    public static DateTime Now() => DateTime.Now;
    public static DateTime UtcNow() => DateTime.UtcNow;
    public static Guid NewGuid() => Guid.NewGuid();
    public static bool FileExists(string path) => File.Exists(path);
    public static string ReadAllText(string path) => File.ReadAllText(path);
    public static void WriteAllText(string path, string text) => File.WriteAllText(path, text);
    public static int NextRandom(Random random, int max) => random.Next(max);
    public static async Task<DateTime> NowAfterDelay()
    {
        await Task.Delay(1);
        return DateTime.Now;
    }

    // left alone
    [NoTrap]
    public static int InNoTrapMethod(int a, int b) => Library.Add(a, b);
}

/// <summary>Field initialisers: static ones run in the static constructor, instance ones in the constructor.</summary>
public sealed class InitialisedFields
{
    public static readonly int StaticField = Library.Add(20, 1);
    public readonly int InstanceField = Library.Add(40, 2);
    public readonly DateTime Created = DateTime.Now;
}

/// <summary>A derived class whose base constructor lives in External: base(...) stays as it is.</summary>
public sealed class DerivedStore : Store
{
    public DerivedStore() : base("derived") { }
    public override string Get(int key) => "derived " + base.Get(key);
}
