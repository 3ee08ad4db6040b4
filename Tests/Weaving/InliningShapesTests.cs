extern alias Optimized;
using System.Reflection;
using OptimizedShapes = Optimized::Fixtures.InliningShapes;

namespace Trapweave.Tests.Weaving;

/// <summary>
/// In an optimized module, woven methods that were small enough for the JIT to always inline (16
/// bytes of IL) are marked AggressiveInlining, so weaving does not turn them into calls; the
/// inlined copies keep their trap. A Debug module (never inlined, every frame shown) gets no marks.
/// </summary>
public class InliningShapesTests
{
    static MethodImplAttributes Flags(Type type, string name) =>
        type.GetMethod(name, BindingFlags.Public | BindingFlags.Static)!.MethodImplementationFlags;

    static bool Marked(Type type, string name) => Flags(type, name).HasFlag(MethodImplAttributes.AggressiveInlining);

    [Theory]
    [InlineData(nameof(OptimizedShapes.Tiny))]
    [InlineData("get_" + nameof(OptimizedShapes.Property))]
    public void A_method_the_JIT_always_inlined_is_marked_to_be_inlined(string name) =>
        Assert.True(Marked(typeof(OptimizedShapes), name), name + " should be marked AggressiveInlining");

    [Theory]
    [InlineData(nameof(OptimizedShapes.Larger))]
    [InlineData(nameof(OptimizedShapes.TinyWithFinally))]
    [InlineData(nameof(OptimizedShapes.SumOfTiny))]
    [InlineData(nameof(OptimizedShapes.Fail))]
    public void A_larger_method_one_with_exception_handling_or_one_that_throws_is_left_to_the_JIT(string name) =>
        Assert.False(Marked(typeof(OptimizedShapes), name), name + " should not be marked");

    [Fact]
    public void A_method_marked_not_to_be_inlined_keeps_its_mark()
    {
        var flags = Flags(typeof(OptimizedShapes), nameof(OptimizedShapes.TinyNoInlining));
        Assert.True(flags.HasFlag(MethodImplAttributes.NoInlining));
        Assert.False(flags.HasFlag(MethodImplAttributes.AggressiveInlining));
    }

    [Fact]
    public void A_Debug_module_gets_no_marks() =>
        Assert.False(Marked(typeof(Fixtures.InliningShapes), nameof(Fixtures.InliningShapes.Tiny)));

    [Fact]
    public void A_throwing_method_keeps_its_frame_in_stack_traces()
    {
        var e = Assert.Throws<InvalidOperationException>(OptimizedShapes.Fail);
        Assert.Contains("InliningShapes.Fail()", e.StackTrace);
    }

    [Fact]
    public void A_registration_reaches_calls_the_JIT_inlined_into_an_optimized_caller()
    {
        Assert.Equal(55, OptimizedShapes.SumOfTiny(10)); // compiled fully optimized now, Tiny inlined
        using (Trap.Patch<Func<int, int>>(OptimizedShapes.Tiny, x => 100))
            Assert.Equal(1000, OptimizedShapes.SumOfTiny(10));
        Assert.Equal(55, OptimizedShapes.SumOfTiny(10));
    }
}
