using Shop;
using Trapweave;

namespace Shop.Tests;

/// <summary>
/// Arrangements made in async setup reach the test: Trapweave runs every test in its own scope,
/// opened before the constructor, and ends what the test made when it ends (nothing is disposed here).
/// </summary>
public class AsyncSetupTests : IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await Task.Yield();
        Trap.When(() => SystemClock.Now()).Returns(new DateTime(2030, 1, 2, 9, 0, 0));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public void The_clock_frozen_in_InitializeAsync_is_seen_by_the_test()
    {
        Assert.Equal("Ax2@20300102=20.00", new OrderService().Place("A", 2));
    }

    [Fact]
    public async Task So_is_a_price_patched_in_the_test_until_the_test_ends()
    {
        Trap.Patch<Func<string, decimal>>(Pricing.UnitPrice, _ => 1m);
        await Task.Yield();
        Assert.Equal("Ax2@20300102=2.00", new OrderService().Place("A", 2));
    }
}
