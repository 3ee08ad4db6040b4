using External;
using Fixtures.Redirects;

namespace Trapweave.Tests.Redirect;

public class NoTrapCallersTests
{
    [Fact]
    public async Task Generated_code_of_NoTrap_members_is_not_redirected_but_reaches_the_native_patch()
    {
        // [NoTrap] keeps the callers' own call sites unredirected (NoTrapCallersWithoutNativeFallbackTests);
        // the member they call is patched natively, so their calls are intercepted like any unwoven code's.
        using (Trap.When(() => Library.Add(Arg.Any<int>(), Arg.Any<int>())).Returns(-1))
        {
            Assert.Equal(-1, await NoTrapCallers.AsyncMethod(2));
            Assert.Equal(-1, NoTrapCallers.Lambda(2));
            Assert.Equal(-1, NoTrapCallers.LocalFunction(2));
            Assert.Equal(new[] { -1 }, NoTrapCallers.Iterator(2).ToArray());
            Assert.Equal(-1, new NoTrapType().Field);
            Assert.Equal(-1, NoTrapType.Method());

            Assert.Equal(-1, await NoTrapCallers.WovenAsyncMethod(2));
            Assert.Equal(new[] { -1 }, NoTrapCallers.WovenIterator(2).ToArray());
            Assert.Equal(-1, NoTrapCallers.WovenLocalFunction(2));
        }
        Assert.Equal(3, NoTrapCallers.Lambda(2));
    }
}

/// <summary>Redirect alone (the native fallback off, process-wide).</summary>
[Collection(NotInParallel.Name)]
public class NoTrapCallersWithoutNativeFallbackTests
{
    [Fact]
    public async Task Generated_code_of_NoTrap_members_is_not_redirected()
    {
        using var off = new Native.NativeFallbackOff();
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
