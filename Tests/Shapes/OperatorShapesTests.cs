using Fixtures;

namespace Trapweave.Tests.Shapes;

public class OperatorShapesTests
{
    [Fact]
    public void Binary_and_unary_operators_are_patchable()
    {
        var a = new Money(1, "EUR");
        var b = new Money(2, "EUR");
        using (Trap.Patch(Bind.Method(typeof(Money), "op_Addition"), (Func<Money, Money, Money>)((x, y) => new Money(0, "ZERO"))))
        using (Trap.Patch(Bind.Method(typeof(Money), "op_UnaryNegation"), (Func<Money, Money>)(x => x)))
        using (Trap.Patch(Bind.Method(typeof(Money), "op_Increment"), (Func<Money, Money>)(x => new Money(100, x.Currency))))
        {
            Assert.Equal("0 ZERO", (a + b).Format());
            Assert.Equal("1 EUR", (-a).Format());
            var c = a;
            c++;
            Assert.Equal("100 EUR", c.Format());
        }
        Assert.Equal("3 EUR", (a + b).Format());
        Assert.Equal("-1 EUR", (-a).Format());
    }

    [Fact]
    public void Comparison_true_false_and_conversion_operators_are_patchable()
    {
        var a = new Money(1, "EUR");
        using (Trap.Patch(Bind.Method(typeof(Money), "op_Equality"), (Func<Money, Money, bool>)((_, _) => true)))
        using (Trap.Patch(Bind.Method(typeof(Money), "op_Implicit"), (Func<Money, decimal>)(_ => 42m)))
        using (Trap.Patch(Bind.Method(typeof(Money), "op_Explicit"), (Func<decimal, Money>)(d => new Money(d, "USD"))))
        using (Trap.Patch(Bind.Method(typeof(Money), "op_True"), (Func<Money, bool>)(_ => false)))
        {
            Assert.True(a == new Money(5, "X"));
            Assert.False(a != new Money(5, "X"));
            decimal d = a;
            Assert.Equal(42m, d);
            Assert.Equal("3 USD", ((Money)3m).Format());
            Assert.Equal("false", a ? "true" : "false");
        }
        Assert.False(a == new Money(5, "X"));
        decimal back = a;
        Assert.Equal(1m, back);
        Assert.Equal("true", a ? "true" : "false");
    }

    [Fact]
    public void Class_operators_are_patchable()
    {
        var v = new Vector(1, 2);
        using (Trap.Patch(Bind.Method(typeof(Vector), "op_Multiply"), (Func<Vector, int, Vector>)((x, k) => x)))
        using (Trap.Patch(Bind.Method(typeof(Vector), "op_Explicit"), (Func<int, Vector>)(n => new Vector(0, 0))))
        {
            Assert.Same(v, v * 3);
            Assert.Equal(0, ((Vector)5).X);
        }
        Assert.Equal(3, (v * 3).X);
    }

    [Fact]
    public void Instance_compound_assignment_operators_are_patchable()
    {
        var acc = new Accumulator();
        var mine = typeof(Accumulator).GetMethods().Single(m => m.Name.Contains("Addition") && !m.IsStatic);
        using (Trap.Patch(Bind.On<Action<int>>(acc, mine), _ => { }))
        {
            acc += 5;
            Assert.Equal(0, acc.Total);
            var other = new Accumulator();
            other += 5;
            Assert.Equal(5, other.Total);
        }
        acc += 5;
        acc++;
        Assert.Equal(6, acc.Total);
    }
}

public class GenericOperatorTests
{
    [Fact]
    public void Operators_of_generic_types_are_patched_per_instantiation()
    {
        var add = typeof(Pair<int>).GetMethod("op_Addition")!;
        using (Trap.Patch(add, (Func<Pair<int>, Pair<int>, Pair<int>>)((x, _) => x)))
        using (Trap.Patch<Func<double[], double>>(GenericMath.SumAll, _ => -1))
        {
            Assert.Equal(1, GenericMath.AddPairs(new Pair<int>(1, 1), new Pair<int>(2, 2)).A);
            Assert.Equal(3L, GenericMath.AddPairs(new Pair<long>(1, 1), new Pair<long>(2, 2)).A);
            Assert.Equal(-1, GenericMath.SumAll(new[] { 1.0, 2.0 }));
            Assert.Equal(3, GenericMath.SumAll(new[] { 1, 2 }));
        }
        Assert.Equal(3, GenericMath.AddPairs(new Pair<int>(1, 1), new Pair<int>(2, 2)).A);
        Assert.Equal(3.0, GenericMath.SumAll(new[] { 1.0, 2.0 }));
    }
}
