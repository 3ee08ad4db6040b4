using Shop;
using Trapweave;

namespace Shop.Tests;

// Shop's clock reads DateTime.Now, a framework member nobody can weave: Trapweave redirects the call
// in the woven copy of Shop.dll (DateTime.Now is in the default set), so a test arranges DateTime.Now
// itself. These classes run in parallel, each with its own time; the real clock is untouched. This
// test project is not woven: its own reads of DateTime.Now reach the arrangement through the native
// fallback, which patches DateTime.Now while an arrangement is alive.
public class MorningTests
{
    [Fact]
    public async Task The_shop_is_open_and_dates_orders_by_the_faked_clock()
    {
        using var clock = Trap.When(() => DateTime.Now).Returns(new DateTime(2030, 1, 2, 9, 30, 0));
        var orders = new OrderService();
        Assert.True(orders.IsOpen());
        await Task.Yield();
        Assert.Equal("Ax2@20300102=20.00", await Task.Run(() => orders.Place("A", 2)));
    }
}

public class EveningTests
{
    [Fact]
    public void The_shop_is_closed_at_the_faked_hour()
    {
        using var clock = Trap.When(() => DateTime.Now).Returns(new DateTime(2031, 6, 7, 21, 0, 0));
        var orders = new OrderService();
        Assert.Equal(21, DateTime.Now.Hour);   // the test's own call, through the native fallback
        Assert.False(orders.IsOpen());
        Assert.Equal("Bx1@20310607=10.00", orders.Place("B", 1));
    }

    [Fact]
    public void Without_an_arrangement_the_clock_is_real()
    {
        var before = DateTime.Now;
        var seen = SystemClock.Now();
        Assert.InRange(seen, before, DateTime.Now);
    }
}
