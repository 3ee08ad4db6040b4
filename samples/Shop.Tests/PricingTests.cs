using Shop;
using Trapweave;

namespace Shop.Tests;

// These classes run in parallel (xunit runs test classes in parallel) and patch the same statics
// differently: each sees only its own patches.
public class CheapPricingTests
{
    [Fact]
    public void Total_uses_the_patched_unit_price()
    {
        using var price = Trap.Patch<Func<string, decimal>>(Pricing.UnitPrice, _ => 1m);
        for (var i = 0; i < 1000; i++) Assert.Equal(3m, Pricing.Total("A", 3));
    }

    [Fact]
    public async Task Patches_follow_the_test_across_awaits_and_Task_Run()
    {
        using var price = Trap.Patch<Func<string, decimal>>(Pricing.UnitPrice, _ => 2m);
        await Task.Yield();
        Assert.Equal(4m, await Task.Run(() => Pricing.Total("A", 2)));
    }
}

public class ExpensivePricingTests
{
    [Fact]
    public void Total_uses_another_patched_unit_price()
    {
        using var price = Trap.When(() => Pricing.UnitPrice(Arg.Any<string>())).Returns(1000m);
        for (var i = 0; i < 1000; i++) Assert.Equal(3000m, Pricing.Total("A", 3));
    }

    [Fact]
    public void Unpatched_code_runs_the_real_thing()
    {
        Assert.Equal(30m, Pricing.Total("A", 3));
        Assert.Equal(900m, Pricing.Total("PRO-1", 10));
    }
}
