using Fixtures;

namespace Trapweave.Tests.Runtime;

public class PatchTests
{
    [Fact]
    public void Patch_replaces_a_static_method_until_disposed()
    {
        Assert.Equal(5, StaticMethods.Add(2, 3));
        using (Trap.Patch<Func<int, int, int>>(StaticMethods.Add, (a, b) => a * b))
        {
            Assert.Equal(6, StaticMethods.Add(2, 3));
            Assert.Equal(60, StaticMethods.CallsAdd(6)); // Add(6, 1) is now 6 * 1
        }
        Assert.Equal(5, StaticMethods.Add(2, 3));
    }

    [Fact]
    public void Registering_the_same_replacement_again_reuses_its_compiled_handler()
    {
        Internal.Registration Register(int factor) =>
            (Internal.Registration)Trap.Patch<Func<int, int, int>>(StaticMethods.Add, (a, b) => a * b * factor);

        var first = Register(1);
        var second = Register(10);
        var other = (Internal.Registration)Trap.Patch<Func<int, int, int>>(StaticMethods.Add, (a, b) => a - b);
        try
        {
            Assert.Same(first.CompiledHandler, second.CompiledHandler);
            Assert.NotSame(first.CompiledHandler, other.CompiledHandler);
            // Each still calls its own replacement, closed over its own captures.
            Assert.Equal(-1, StaticMethods.Add(2, 3));
            other.Dispose();
            Assert.Equal(60, StaticMethods.Add(2, 3));
            second.Dispose();
            Assert.Equal(6, StaticMethods.Add(2, 3));
        }
        finally
        {
            first.Dispose();
            second.Dispose();
            other.Dispose();
        }
    }
}
