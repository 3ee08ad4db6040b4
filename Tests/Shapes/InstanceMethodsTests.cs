using Fixtures;

namespace Trapweave.Tests.Shapes;

public class InstanceMethodsTests
{
    [Fact]
    public void A_bound_patch_replaces_calls_on_that_instance_only()
    {
        var a = new Counter(1);
        var b = new Counter(1);
        using (Trap.Patch<Func<int>>(a.Next, () => 100))
        {
            Assert.Equal(100, a.Next());
            Assert.Equal(2, b.Next());
        }
        Assert.Equal(2, a.Next());
    }

    [Fact]
    public void An_open_patch_replaces_calls_on_every_instance_and_may_take_the_receiver()
    {
        var a = new Counter(1);
        var b = new Counter(5);
        using (Trap.Patch(Bind.Method(typeof(Counter), "Add"), (Func<Counter, int, int>)((self, x) => self.Current * 1000 + x)))
        {
            Assert.Equal(1003, a.Add(3));
            Assert.Equal(5003, b.Add(3));
            Assert.Equal(1, a.Current);
        }
        Assert.Equal(4, a.Add(3));
    }

    [Fact]
    public void Void_methods_are_replaced_and_restored()
    {
        var c = new Counter(9);
        using (Trap.Patch<Action>(c.Reset, () => { }))
        {
            c.Reset();
            Assert.Equal(9, c.Current);
        }
        c.Reset();
        Assert.Equal(0, c.Current);
    }

    [Fact]
    public void Private_and_internal_methods_are_patchable_by_reflection()
    {
        var c = new Counter(4);
        using (Trap.Patch(Bind.Method(typeof(Counter), "PrivateTwice"), (Func<int>)(() => -1)))
        using (Trap.Patch(Bind.Method(typeof(Counter), "InternalPeek"), (Func<Counter, int>)(self => -2)))
        {
            Assert.Equal(-1, c.CallsPrivate());
            Assert.Equal(-2, c.Peek());
        }
        Assert.Equal(8, c.CallsPrivate());
        Assert.Equal(4, c.Peek());
    }

    [Fact]
    public void Static_factories_are_patchable()
    {
        var fake = new Counter(77);
        using (Trap.Patch<Func<int, Counter>>(Counter.Create, _ => fake))
            Assert.Same(fake, Counter.Create(1));
        Assert.Equal(1, Counter.Create(1).Current);
    }

    [Fact]
    public void A_replacement_calling_the_same_method_runs_the_original()
    {
        var c = new Counter(0);
        using (Trap.Patch<Func<int, int>>(c.Add, x => c.Add(x * 2) + 1000))
            Assert.Equal(1010, c.Add(5));
        Assert.Equal(11, c.Add(1));
    }
}
