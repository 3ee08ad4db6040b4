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
}
