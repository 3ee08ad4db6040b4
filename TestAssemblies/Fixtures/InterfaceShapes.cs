using System;

namespace Fixtures;

public interface IGreeter
{
    string Greet(string name);

    string Farewell(string name);

    // Default interface method: its body lives in the interface.
    string Both(string name) => Greet(name) + " / " + Farewell(name);

    static string Shout(string s) => s.ToUpperInvariant() + "!";

    int Priority => 1;
}

public class PoliteGreeter : IGreeter
{
    public string Greet(string name) => "Good day, " + name;

    // Explicit implementation: private, named Fixtures.IGreeter.Farewell.
    string IGreeter.Farewell(string name) => "Farewell, " + name;
}

public class OverridingGreeter : IGreeter
{
    public string Greet(string name) => "Hi " + name;

    public string Farewell(string name) => "Bye " + name;

    public string Both(string name) => "both overridden for " + name;
}

public struct StructGreeter : IGreeter
{
    public string Tag;

    public string Greet(string name) => Tag + " hello " + name;

    public string Farewell(string name) => Tag + " bye " + name;
}

public static class GreeterCalls
{
    // Constrained calls: on a struct T, Greet runs on the caller's value without boxing.
    public static string GreetVia<T>(T greeter, string name) where T : IGreeter => greeter.Greet(name);

    public static string BothVia<T>(T greeter, string name) where T : IGreeter => greeter.Both(name);
}

public interface IParser<T>
{
    T Parse(string text);
}

public class IntParser : IParser<int>, IParser<bool>
{
    public int Parse(string text) => int.Parse(text);

    bool IParser<bool>.Parse(string text) => text == "yes";
}

public interface IHasDefault<TSelf> where TSelf : IHasDefault<TSelf>
{
    static abstract TSelf Zero();

    static virtual string Label() => "default label";
}

public struct Meters : IHasDefault<Meters>
{
    public double Value;

    public static Meters Zero() => new Meters { Value = 0 };

    public static string LabelOf<T>() where T : IHasDefault<T> => T.Label();

    public static T ZeroOf<T>() where T : IHasDefault<T> => T.Zero();
}

public struct Feet : IHasDefault<Feet>
{
    public double Value;

    // Explicit implementation of a static abstract member.
    static Feet IHasDefault<Feet>.Zero() => new Feet { Value = 0 };

    static string IHasDefault<Feet>.Label() => "feet";
}

public interface IDisposableThing : IDisposable
{
}

public class DisposableThing : IDisposableThing
{
    public int Disposed;

    public void Dispose() => Disposed++;
}

public interface IConverter
{
    T To<T>(object value);

    string Describe<T>() => "converter to " + typeof(T).Name;
}

public class ChangeTypeConverter : IConverter
{
    public T To<T>(object value) => (T)System.Convert.ChangeType(value, typeof(T));
}

public class ExplicitConverter : IConverter
{
    T IConverter.To<T>(object value) => default;
}
