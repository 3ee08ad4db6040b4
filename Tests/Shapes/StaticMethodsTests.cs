using Fixtures;

namespace Trapweave.Tests.Shapes;

public class StaticMethodsTests
{
    [Fact]
    public void Static_methods_of_every_arity_and_result_are_patchable()
    {
        using (Trap.Patch<Func<string, string>>(StaticMethods.Greet, n => "bye " + n))
        using (Trap.Patch<Func<int, int>>(StaticMethods.Square, x => -x))
        {
            Assert.Equal("bye bob", StaticMethods.Greet("bob"));
            Assert.Equal(-4, StaticMethods.Square(4));
        }
        Assert.Equal("hello bob", StaticMethods.Greet("bob"));
        Assert.Equal(16, StaticMethods.Square(4));
    }

    [Fact]
    public void Static_void_methods_are_patchable()
    {
        var calls = 0;
        var before = StaticMethods.Counter;
        using (Trap.Patch<Action>(StaticMethods.Increment, () => calls++))
            StaticMethods.Increment();
        Assert.Equal(1, calls);
        Assert.Equal(before, StaticMethods.Counter);
    }

    [Fact]
    public void Recursive_calls_made_by_the_original_are_not_intercepted_again()
    {
        // The replacement delegates to the original; the original's own recursion runs unpatched.
        var seen = new List<int>();
        using (Trap.Patch<Func<int, int>>(StaticMethods.Factorial, n => { seen.Add(n); return StaticMethods.Factorial(n) + 1; }))
            Assert.Equal(121, StaticMethods.Factorial(5));
        Assert.Equal(new[] { 5 }, seen);
        Assert.Equal(120, StaticMethods.Factorial(5));
    }
}
