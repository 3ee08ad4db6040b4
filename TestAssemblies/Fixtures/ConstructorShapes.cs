using System.Collections.Generic;

namespace Fixtures;

public class Base
{
    public readonly List<string> Trail = new();

    public Base() => Trail.Add("base()");

    public Base(string tag) => Trail.Add("base(" + tag + ")");
}

public class Widget : Base
{
    public List<string> Items = new() { "initial" };
    public int Size = 10;
    public string Name;

    public Widget(string name) : base("widget")
    {
        Name = name;
        Trail.Add("widget(" + name + ")");
    }

    public Widget() : this("unnamed")
    {
        Trail.Add("widget()");
    }

    public Widget(int size, bool flag = false) : base(flag ? "yes" : "no")
    {
        Size = size;
        Trail.Add("widget(size)");
    }
}

public class PrimaryCtor(string name, int count)
{
    public string Name { get; } = name;

    public int Twice() => count * 2;
}

public class NoExplicitCtor
{
    public int Value = 5;
}

public class TryInCtor
{
    public string State = "start";

    public TryInCtor(string input)
    {
        try
        {
            State = int.Parse(input).ToString();
        }
        catch (System.FormatException)
        {
            State = "bad";
        }
    }
}

public class ArgHeavyBase
{
    public readonly int Sum;

    public ArgHeavyBase(int a, int b, int c) => Sum = a + b + c;
}

public class ArgHeavyDerived : ArgHeavyBase
{
    public readonly string Note;

    // Branches and calls in the base(...) arguments.
    public ArgHeavyDerived(int x) : base(x > 0 ? x : -x, Compute(x), x switch { 0 => 1, _ => 2 })
    {
        Note = "derived " + x;
    }

    static int Compute(int x) => x * 10;
}

public sealed class GenericCtor<T>
{
    public readonly T Value;
    public readonly string Label;

    public GenericCtor(T value)
    {
        Value = value;
        Label = "made " + value;
    }
}
