using Fixtures;

namespace Trapweave.Tests.Shapes;

public class ConstructorShapesTests
{
    [Fact]
    public void A_patched_constructor_runs_field_initializers_and_base_then_the_replacement()
    {
        using (Trap.Patch(Bind.Ctor(typeof(Widget), typeof(string)), (Action<Widget, string>)((w, n) => w.Trail.Add("patched " + n))))
        {
            var w = new Widget("x");
            Assert.Equal(new[] { "initial" }, w.Items);
            Assert.Equal(10, w.Size);
            Assert.Null(w.Name);
            Assert.Equal(new[] { "base(widget)", "patched x" }, w.Trail);
        }
        var real = new Widget("x");
        Assert.Equal("x", real.Name);
        Assert.Equal(new[] { "base(widget)", "widget(x)" }, real.Trail);
    }

    [Fact]
    public void A_this_chain_runs_the_chained_constructor_with_its_own_trap()
    {
        using (Trap.Patch(Bind.Ctor(typeof(Widget), typeof(string)), (Action<Widget, string>)((w, n) => w.Trail.Add("patched " + n))))
            Assert.Equal(new[] { "base(widget)", "patched unnamed", "widget()" }, new Widget().Trail);

        using (Trap.Patch(Bind.Ctor(typeof(Widget)), (Action<Widget>)(w => w.Trail.Add("patched ()"))))
            Assert.Equal(new[] { "base(widget)", "widget(unnamed)", "patched ()" }, new Widget().Trail);

        Assert.Equal(new[] { "base(widget)", "widget(unnamed)", "widget()" }, new Widget().Trail);
    }

    [Fact]
    public void Base_arguments_with_branches_and_calls_are_evaluated_before_the_trap()
    {
        using (Trap.Patch(Bind.Ctor(typeof(ArgHeavyDerived), typeof(int)), (Action<ArgHeavyDerived, int>)((_, _) => { })))
        {
            var d = new ArgHeavyDerived(-3);
            Assert.Equal(3 + -30 + 2, d.Sum);
            Assert.Null(d.Note);
        }
        Assert.Equal("derived -3", new ArgHeavyDerived(-3).Note);

        using (Trap.Patch(Bind.Ctor(typeof(Widget), typeof(int), typeof(bool)), (Action<Widget, int, bool>)((w, _, _) => w.Trail.Add("patched"))))
        {
            var w = new Widget(5, true);
            Assert.Equal(10, w.Size);
            Assert.Equal(new[] { "base(yes)", "patched" }, w.Trail);
        }
    }

    [Fact]
    public void Primary_and_implicit_constructors_are_patchable()
    {
        using (Trap.Patch(Bind.Ctor(typeof(PrimaryCtor), typeof(string), typeof(int)), (Action<PrimaryCtor, string, int>)((_, _, _) => { })))
        using (Trap.Patch(Bind.Ctor(typeof(NoExplicitCtor)), (Action<NoExplicitCtor>)(o => o.Value = -1)))
        {
            var p = new PrimaryCtor("n", 2);
            Assert.Equal("n", p.Name);
            Assert.Equal(4, p.Twice());
            Assert.Equal(-1, new NoExplicitCtor().Value);
        }
        Assert.Equal(5, new NoExplicitCtor().Value);
    }

    [Fact]
    public void Constructors_with_try_blocks_and_of_generic_types_are_patchable()
    {
        using (Trap.Patch(Bind.Ctor(typeof(TryInCtor), typeof(string)), (Action<TryInCtor, string>)((o, s) => o.State = "patched " + s)))
        using (Trap.Patch(Bind.Ctor(typeof(GenericCtor<int>), typeof(int)), (Action<GenericCtor<int>, int>)((_, _) => { })))
        {
            Assert.Equal("patched 1", new TryInCtor("1").State);
            Assert.Null(new GenericCtor<int>(5).Label);
            Assert.Equal("made x", new GenericCtor<string>("x").Label);
        }
        Assert.Equal("bad", new TryInCtor("x").State);
        Assert.Equal("made 5", new GenericCtor<int>(5).Label);
    }

    [Fact]
    public void A_replacement_that_throws_leaves_the_exception_unchanged()
    {
        var boom = new InvalidOperationException("boom");
        using (Trap.Patch(Bind.Ctor(typeof(Widget), typeof(string)), (Action<Widget, string>)((_, _) => throw boom)))
            Assert.Same(boom, Assert.Throws<InvalidOperationException>(() => new Widget("x")));
    }
}
