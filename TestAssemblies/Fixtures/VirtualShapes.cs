namespace Fixtures;

public abstract class Shape
{
    public abstract double Area();

    public virtual string Name() => "shape";

    public virtual string Describe() => Name() + " of area " + Area();

    public string NonVirtual() => "base non-virtual";
}

public class Square : Shape
{
    public double Side = 2;

    public override double Area() => Side * Side;

    public override string Name() => "square";

    public new string NonVirtual() => "square non-virtual";
}

public class ColoredSquare : Square
{
    public sealed override string Name() => "colored " + base.Name();

    public override string Describe() => "[" + base.Describe() + "]";
}

public sealed class Circle : Shape
{
    public double Radius = 1;

    public override double Area() => 3 * Radius * Radius;

    public string Extra() => "circle extra";
}

public class GenericVirtualBase
{
    public virtual string Show<T>(T value) => "base " + value;
}

public class GenericVirtualDerived : GenericVirtualBase
{
    public override string Show<T>(T value) => "derived " + value;
}

public class Prototype
{
    public virtual Prototype Clone() => new Prototype();
}

public class DerivedPrototype : Prototype
{
    // Covariant return: the override returns a more derived type than the slot it overrides.
    public override DerivedPrototype Clone() => new DerivedPrototype();
}
