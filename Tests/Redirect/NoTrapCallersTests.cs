using External;
using Fixtures.Redirects;

namespace Trapweave.Tests.Redirect;

public class NoTrapCallersTests
{
    [Fact]
    public async Task Generated_code_of_NoTrap_members_is_not_redirected()
    {
        using (Trap.When(() => Library.Add(Arg.Any<int>(), Arg.Any<int>())).Returns(-1))
        {
            Assert.Equal(3, await NoTrapCallers.AsyncMethod(2));
            Assert.Equal(3, NoTrapCallers.Lambda(2));
            Assert.Equal(3, NoTrapCallers.LocalFunction(2));
            Assert.Equal(new[] { 3 }, NoTrapCallers.Iterator(2).ToArray());
            Assert.Equal(2, new NoTrapType().Field);
            Assert.Equal(2, NoTrapType.Method());

            Assert.Equal(-1, await NoTrapCallers.WovenAsyncMethod(2));
            Assert.Equal(new[] { -1 }, NoTrapCallers.WovenIterator(2).ToArray());
            Assert.Equal(-1, NoTrapCallers.WovenLocalFunction(2));
        }
    }
}
