using Fixtures.Runtime;

namespace Trapweave.Tests.Runtime;

public class ArrangementsTests
{
    [Fact]
    public void Returns_a_value_for_matching_literal_arguments_only()
    {
        using (Trap.When(() => Pricing.PriceOf("A")).Returns(99m))
        {
            Assert.Equal(99m, Pricing.PriceOf("A"));
            Assert.Equal(3m, Pricing.PriceOf("AB"));
        }
        Assert.Equal(1.5m, Pricing.PriceOf("A"));
    }

    [Fact]
    public void Arg_Any_and_Arg_Is_match_arguments()
    {
        using var any = Trap.When(() => Pricing.Discount(Arg.Any<int>(), "VIP")).Returns(50);
        using var big = Trap.When(() => Pricing.Discount(Arg.Is<int>(q => q > 100), Arg.Any<string>())).Returns(70);
        Assert.Equal(50, Pricing.Discount(1, "VIP"));
        Assert.Equal(70, Pricing.Discount(500, "VIP"));
        Assert.Equal(0, Pricing.Discount(1, "none"));
        Assert.Equal(5, Pricing.Discount(20, "none"));
    }

    [Fact]
    public void Returns_can_compute_from_the_arguments()
    {
        using (Trap.When(() => Pricing.Discount(Arg.Any<int>(), Arg.Any<string>())).Returns((int q, string code) => q + code.Length))
            Assert.Equal(13, Pricing.Discount(10, "abc"));
        using (Trap.When(() => Pricing.Discount(Arg.Any<int>(), Arg.Any<string>())).Returns(call => (int)call.Arguments[0] * 2))
            Assert.Equal(8, Pricing.Discount(4, "x"));
        var n = 0;
        using (Trap.When(() => Pricing.Discount(1, "x")).Returns(() => ++n))
        {
            Assert.Equal(1, Pricing.Discount(1, "x"));
            Assert.Equal(2, Pricing.Discount(1, "x"));
        }
    }

    [Fact]
    public void Throws_delivers_the_same_exception_object()
    {
        var boom = new TimeoutException("boom");
        using (Trap.When(() => Pricing.PriceOf(Arg.Any<string>())).Throws(boom))
        {
            var thrown = Assert.Throws<TimeoutException>(() => Pricing.PriceOf("A"));
            Assert.Same(boom, thrown);
        }
        using (Trap.When(() => Pricing.PriceOf("x")).Throws<ArgumentException>())
            Assert.Throws<ArgumentException>(() => Pricing.PriceOf("x"));
    }

    [Fact]
    public void CallOriginal_carves_an_exception_out_of_a_broader_arrangement()
    {
        using var all = Trap.When(() => Pricing.PriceOf(Arg.Any<string>())).Returns(1m);
        using var real = Trap.When(() => Pricing.PriceOf("real")).CallOriginal();
        Assert.Equal(1m, Pricing.PriceOf("fake"));
        Assert.Equal(6m, Pricing.PriceOf("real"));
    }

    [Fact]
    public void Void_methods_can_do_nothing_or_something_else()
    {
        Pricing.Log.Clear();
        using (Trap.When(() => Pricing.Audit(Arg.Any<string>())).DoesNothing())
            Pricing.Audit("hidden");
        Assert.Empty(Pricing.Log);
        var seen = new List<object>();
        using (Trap.When(() => Pricing.Audit("x")).Does(call => seen.Add(call.Arguments[0])))
            Pricing.Audit("x");
        Assert.Equal(new object[] { "x" }, seen);
        Pricing.Audit("kept");
        Assert.Equal(new[] { "kept" }, Pricing.Log);
    }

    [Fact]
    public void An_instance_arrangement_matches_only_that_instance()
    {
        var mine = new Warehouse("mine");
        var other = new Warehouse("other");
        using (Trap.When(() => mine.Count("x")).Returns(1))
        {
            Assert.Equal(1, mine.Count("x"));
            Assert.Equal(10, other.Count("x"));
        }
    }

    [Fact]
    public void A_virtual_arrangement_intercepts_the_override_the_instance_runs()
    {
        Warehouse big = new BigWarehouse();
        IStock stock = new BigWarehouse();
        using var a = Trap.When(() => big.Count("x")).Returns(1);
        using var b = Trap.When(() => stock.Count("y")).Returns(2);
        Assert.Equal(1, big.Count("x"));
        Assert.Equal(1000, big.Count("y"));
        Assert.Equal(2, stock.Count("y"));
        Assert.Equal(1000, new BigWarehouse().Count("x"));
    }

    [Fact]
    public void Properties_and_indexers_can_be_arranged()
    {
        var w = new Warehouse("w");
        using var name = Trap.When(() => w.Name).Returns("renamed");
        using var shelf = Trap.When(() => w[3]).Returns("shelf three");
        using var opened = Trap.When(() => w.Opened).Returns(new DateTime(2020, 2, 2));
        Assert.Equal("renamed", w.Name);
        Assert.Equal("shelf three", w[3]);
        Assert.Equal("renamed:4", w[4]); // the indexer reads the arranged Name
        Assert.Equal(2020, w.Opened.Year);
        Assert.Equal("other", new Warehouse("other").Name);
    }

    [Fact]
    public void A_value_type_arrangement_matches_receivers_equal_to_the_captured_value()
    {
        var five = new Money(5);
        using var arranged = Trap.When(() => five.Times(2)).Returns(new Money(-1));
        Assert.Equal(-1, new Money(5).Times(2).Amount);
        Assert.Equal(12, new Money(6).Times(2).Amount);
    }

    [Fact]
    public void Constructors_can_be_made_to_throw()
    {
        using (Trap.When(() => new Basket("bad")).Throws(new InvalidOperationException("no baskets")))
        {
            Assert.Throws<InvalidOperationException>(() => new Basket("bad"));
            Assert.Equal("good", new Basket("good").Owner);
        }
        Assert.Equal("bad", new Basket("bad").Owner);
    }

    [Fact]
    public void Out_arguments_are_matched_by_any_and_written_by_an_interceptor()
    {
        using var arranged = Trap.When(() => Pricing.TryParse("seven", out Dummy.Int)).Does(call =>
        {
            call.Arguments[1] = 7;
            call.Return(true);
        });
        Assert.True(Pricing.TryParse("seven", out var value));
        Assert.Equal(7, value);
        Assert.True(Pricing.TryParse("8", out value));
        Assert.Equal(8, value);
    }

    static class Dummy
    {
        public static int Int;
    }

    [Fact]
    public void Bad_arrangements_fail_at_registration_with_a_clear_message()
    {
        var field = Assert.Throws<TrapException>(() => Trap.When(() => Pricing.Sku));
        Assert.Contains("field", field.Message);
        var wrongType = Assert.Throws<TrapException>(() => Trap.When(() => Pricing.Discount(1, "x")).Returns((string s, int q) => 1));
        Assert.Contains("Discount", wrongType.Message);
        Assert.Contains("parameter 1 ('quantity') is Int32 in the method, String in the compute function", wrongType.Message);
        Assert.Contains("parameter 2 ('code') is String in the method, Int32 in the compute function", wrongType.Message);
        var wrongCount = Assert.Throws<TrapException>(() => Trap.When(() => Pricing.Discount(1, "x")).Returns((int q) => 1));
        Assert.Contains("it takes 1 parameter, the method 2", wrongCount.Message);
        var nullReceiver = Assert.Throws<TrapException>(() => Trap.When(() => ((Warehouse)null).Count("x")));
        Assert.Contains("null", nullReceiver.Message);
    }
}
