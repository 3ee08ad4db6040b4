using System.Linq.Expressions;
using Fixtures;
using Trapweave.Internal;

namespace Trapweave.Tests.Runtime;

/// <summary>
/// A patch handler calls a replacement's method directly when the delegate is a plain binding,
/// and through Invoke otherwise. Either way the replacement must run exactly as the delegate would.
/// </summary>
public class DirectCallTests
{
    [Fact]
    public void A_lambda_without_captures_is_called_directly()
    {
        Func<int, int, int> replacement = (a, b) => a * b;
        AssertPatchRuns(replacement, expected: 6, direct: true);
    }

    [Fact]
    public void A_closure_is_called_directly_on_its_captured_state()
    {
        var offset = 100;
        Func<int, int, int> replacement = (a, b) => a + b + offset;
        AssertPatchRuns(replacement, expected: 105, direct: true);
        offset = 200;
        AssertPatchRuns(replacement, expected: 205, direct: true);
    }

    [Fact]
    public void A_static_method_group_is_called_directly()
    {
        AssertPatchRuns(new Func<int, int, int>(Replacements.Subtract), expected: -1, direct: true);
    }

    [Fact]
    public void A_generic_method_instantiation_is_called_directly()
    {
        AssertPatchRuns(new Func<int, int, int>(Replacements.First<int>), expected: 2, direct: true);
    }

    [Fact]
    public void An_extension_method_closed_over_its_first_argument_is_called_directly()
    {
        var scale = new Scale(10);
        AssertPatchRuns(new Func<int, int, int>(scale.Apply), expected: 50, direct: true);
    }

    [Fact]
    public void A_non_virtual_instance_method_is_called_directly()
    {
        var calculator = new Calculator(7);
        AssertPatchRuns(new Func<int, int, int>(calculator.AddBase), expected: 12, direct: true);
    }

    [Fact]
    public void An_overridden_virtual_method_keeps_virtual_dispatch()
    {
        Calculator calculator = new DoublingCalculator(7);
        AssertPatchRuns(new Func<int, int, int>(calculator.Combine), expected: 10, direct: false);
    }

    [Fact]
    public void A_struct_method_bound_to_a_boxed_copy_goes_through_the_delegate()
    {
        var offset = new Offset(1000);
        AssertPatchRuns(new Func<int, int, int>(offset.Apply), expected: 1005, direct: false);
    }

    [Fact]
    public void A_multicast_delegate_runs_every_target_through_the_delegate()
    {
        var calls = new List<string>();
        Func<int, int, int> first = (a, b) => { calls.Add("first"); return 1; };
        Func<int, int, int> second = (a, b) => { calls.Add("second"); return 2; };
        AssertPatchRuns(first + second, expected: 2, direct: false);
        Assert.Equal(new[] { "first", "second" }, calls);
    }

    [Fact]
    public void A_compiled_expression_goes_through_the_delegate()
    {
        Expression<Func<int, int, int>> expression = (a, b) => a * b * 2;
        AssertPatchRuns(expression.Compile(), expected: 12, direct: false);
    }

    [Fact]
    public void A_method_taking_a_base_type_is_called_directly_through_variance()
    {
        Func<string, string> replacement = Replacements.Describe;
        Assert.NotNull(DirectCall.For(replacement));
        using (Trap.Patch(StaticMethods.Greet, replacement))
            Assert.Equal("object bob", StaticMethods.Greet("bob"));
    }

    [Fact]
    public void A_throwing_direct_replacement_reaches_the_caller_unchanged()
    {
        var thrown = new InvalidOperationException("direct");
        Func<int, int, int> replacement = (a, b) => throw thrown;
        Assert.NotNull(DirectCall.For(replacement));
        using (Trap.Patch(StaticMethods.Add, replacement))
            Assert.Same(thrown, Assert.Throws<InvalidOperationException>(() => StaticMethods.Add(2, 3)));
        Assert.Equal(5, StaticMethods.Add(2, 3));
    }

    static void AssertPatchRuns(Func<int, int, int> replacement, int expected, bool direct)
    {
        Assert.Equal(direct, DirectCall.For(replacement) is not null);
        using (Trap.Patch(StaticMethods.Add, replacement))
            Assert.Equal(expected, StaticMethods.Add(2, 3));
        Assert.Equal(5, StaticMethods.Add(2, 3));
    }

    class Calculator(int @base)
    {
        protected int Base { get; } = @base;
        public int AddBase(int a, int b) => a + b + Base;
        public virtual int Combine(int a, int b) => a + b;
    }

    sealed class DoublingCalculator(int @base) : Calculator(@base)
    {
        public override int Combine(int a, int b) => 2 * (a + b);
    }

    struct Offset(int value)
    {
        public int Apply(int a, int b) => a + b + value;
    }
}

static class Replacements
{
    public static int Subtract(int a, int b) => a - b;
    public static T First<T>(T a, T b) => a;
    public static string Describe(object value) => "object " + value;
    public static int Apply(this Scale scale, int a, int b) => (a + b) * scale.Factor;
}

sealed class Scale(int factor)
{
    public int Factor { get; } = factor;
}
