using Fixtures;

namespace Trapweave.Tests.Shapes;

public class ExtensionShapesTests
{
    delegate void RefPoint(ref Point p);
    delegate int InPoint(in Point p);

    [Fact]
    public void Classic_extension_methods_are_patchable_as_static_methods()
    {
        using (Trap.Patch<Func<string, int>>(StringExtensions.WordCount, _ => 99))
        using (Trap.Patch<Func<string, int, string>>(StringExtensions.Repeat, (s, n) => s + n))
        {
            Assert.Equal(99, "a b c".WordCount());
            Assert.Equal("ab3", "ab".Repeat(3));
        }
        Assert.Equal(3, "a b c".WordCount());
        Assert.Equal("ababab", "ab".Repeat(3));
    }

    [Fact]
    public void A_target_bound_to_the_extended_value_is_refused_with_a_hint()
    {
        var e = Assert.Throws<TrapException>(() => Trap.Patch<Func<int>>("a b".WordCount, () => 1));
        Assert.Contains("WordCount", e.Message);
    }

    [Fact]
    public void Generic_and_ref_extension_methods_are_patchable()
    {
        var p = new Point(1, 1);
        using (Trap.Patch<Func<IEnumerable<int>, int, int>>(StringExtensions.FirstOr, (_, f) => f))
        using (Trap.Patch(Bind.Method(typeof(StringExtensions), "Bump"), (RefPoint)((ref Point x) => x.Y = 100)))
        using (Trap.Patch(Bind.Method(typeof(StringExtensions), "Length2"), (InPoint)((in Point x) => -1)))
        {
            Assert.Equal(7, new[] { 1 }.FirstOr(7));
            Assert.Equal("a", new[] { "a" }.FirstOr("z"));
            p.Bump();
            Assert.Equal(new Point(1, 100), p);
            Assert.Equal(-1, p.Length2());
        }
        Assert.Equal(1, new[] { 1 }.FirstOr(7));
        p.Bump();
        Assert.Equal(new Point(2, 100), p);
    }

    [Fact]
    public void Extension_block_members_are_patchable_through_their_implementation_methods()
    {
        var shouted = Bind.Method(typeof(ModernExtensions), "Shouted", typeof(string));
        var isBlank = Bind.Method(typeof(ModernExtensions), "get_IsBlank", typeof(string));
        var joined = Bind.Method(typeof(ModernExtensions), "Joined", typeof(string), typeof(string));
        var second = typeof(ModernExtensions).GetMethod("Second")!.MakeGenericMethod(typeof(int));
        using (Trap.Patch(shouted, (Func<string, string>)(s => "quiet " + s)))
        using (Trap.Patch(isBlank, (Func<string, bool>)(_ => true)))
        using (Trap.Patch(joined, (Func<string, string, string>)((a, b) => b + a)))
        using (Trap.Patch(second, (Func<List<int>, int>)(l => l[0])))
        {
            Assert.Equal("quiet hi", "hi".Shouted());
            Assert.True("x".IsBlank);
            Assert.Equal("ba", string.Joined("a", "b"));
            Assert.Equal(1, new List<int> { 1, 2 }.Second());
            Assert.Equal("b", new List<string> { "a", "b" }.Second());
        }
        Assert.Equal("HI!", "hi".Shouted());
        Assert.False("x".IsBlank);
        Assert.Equal("a+b", string.Joined("a", "b"));
        Assert.Equal(2, new List<int> { 1, 2 }.Second());
    }
}
