using Shop;
using Trapweave;

namespace Shop.Tests;

public class OrderServiceTests
{
    [Fact]
    public void A_sealed_service_sees_a_frozen_clock()
    {
        using var clock = Trap.When(() => SystemClock.Now()).Returns(new DateTime(2030, 1, 2, 9, 0, 0));
        var orders = new OrderService();
        Assert.Equal("Ax2@20300102=20.00", orders.Place("A", 2));
        Assert.True(orders.IsOpen());
    }

    [Fact]
    public void One_instance_can_be_arranged_alone()
    {
        var closed = new OrderService();
        var open = new OrderService();
        using var arranged = Trap.When(() => closed.IsOpen()).Returns(false);
        using var clock = Trap.When(() => SystemClock.Now()).Returns(new DateTime(2030, 1, 2, 12, 0, 0));
        Assert.False(closed.IsOpen());
        Assert.True(open.IsOpen());
    }

    [Fact]
    public void Calls_to_statics_can_be_recorded()
    {
        using var recorder = Trap.Record<Func<int, decimal>>(Pricing.Discount);
        new OrderService().Place("A", 12);
        var call = Assert.Single(recorder.Calls);
        Assert.Equal(12, call.Arguments[0]);
        Assert.Equal(0.1m, call.Result);
    }
}
