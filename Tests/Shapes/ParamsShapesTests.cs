using Fixtures;

namespace Trapweave.Tests.Shapes;

public class ParamsShapesTests
{
    delegate int SpanSumFn(params ReadOnlySpan<int> values);

    [Fact]
    public void Params_arrays_arrive_as_the_array()
    {
        int[] seen = null;
        using (Trap.Patch<Func<int[], int>>(ParamsShapes.Sum, v => { seen = v; return -1; }))
        using (Trap.Patch<Func<string, object[], string>>(ParamsShapes.Join, (s, p) => p.Length + s))
        {
            Assert.Equal(-1, ParamsShapes.Sum(1, 2, 3));
            Assert.Equal("2;", ParamsShapes.Join(";", "a", 1));
        }
        Assert.Equal(new[] { 1, 2, 3 }, seen);
        Assert.Equal(6, ParamsShapes.Sum(1, 2, 3));
        Assert.Equal("a;1", ParamsShapes.Join(";", "a", 1));
    }

    [Fact]
    public void Params_spans_and_collections_are_patchable()
    {
        using (Trap.Patch<SpanSumFn>(ParamsShapes.SpanSum, v => v.Length * 100))
        using (Trap.Patch<Func<IEnumerable<string>, int>>(ParamsShapes.CountAll, _ => -1))
        {
            Assert.Equal(300, ParamsShapes.SpanSum(1, 2, 3));
            Assert.Equal(-1, ParamsShapes.CountAll("a", "b"));
        }
        Assert.Equal(6, ParamsShapes.SpanSum(1, 2, 3));
        Assert.Equal(2, ParamsShapes.CountAll("a", "b"));
    }

    [Fact]
    public void Optional_parameters_arrive_with_their_defaults()
    {
        using (Trap.Patch<Func<int, int, string, object, DateTime, string>>(ParamsShapes.Optional, (a, b, c, d, e) => $"{a}|{b}|{c}|{d ?? "null"}|{e.Ticks}"))
        using (Trap.Patch<Func<decimal, decimal>>(ParamsShapes.OptionalDecimal, m => m * 2))
        {
            Assert.Equal("1|2|c|null|0", ParamsShapes.Optional(1));
            Assert.Equal("1|5|c|x|0", ParamsShapes.Optional(1, 5, d: "x"));
            Assert.Equal(3m, ParamsShapes.OptionalDecimal());
        }
        Assert.Equal("12cnull1", ParamsShapes.Optional(1));
        Assert.Equal(1.5m, ParamsShapes.OptionalDecimal());
    }
}
