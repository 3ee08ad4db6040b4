using Fixtures;

namespace Trapweave.Tests.Shapes;

public class VirtualShapesTests
{
    [Fact]
    public void An_instance_patch_through_a_base_reference_intercepts_the_override_for_that_instance()
    {
        Shape mine = new Square { Side = 3 };
        Shape other = new Square { Side = 3 };
        using (Trap.Patch<Func<double>>(mine.Area, () => -1))
        {
            Assert.Equal(-1, mine.Area());
            Assert.Equal(9, other.Area());
            Assert.Equal("square of area -1", mine.Describe());
        }
        Assert.Equal(9, mine.Area());
    }

    [Fact]
    public void An_open_patch_on_an_override_covers_base_calls_from_derived_overrides()
    {
        using (Trap.Patch(Bind.Method(typeof(Square), "Name"), (Func<Square, string>)(_ => "patched")))
        {
            Assert.Equal("patched", new Square().Name());
            Assert.Equal("colored patched", new ColoredSquare().Name());
            Assert.Equal("shape", ((Shape)new Circle()).Name());
        }
        Assert.Equal("colored square", new ColoredSquare().Name());
    }

    [Fact]
    public void Sealed_overrides_are_patchable()
    {
        var c = new ColoredSquare();
        using (Trap.Patch<Func<string>>(c.Name, () => "sealed patched"))
        {
            Assert.Equal("sealed patched", c.Name());
            Assert.Equal("[sealed patched of area 4]", c.Describe());
            Assert.Equal("colored square", new ColoredSquare().Name());
        }
        Assert.Equal("colored square", c.Name());
    }

    [Fact]
    public void An_inherited_virtual_is_intercepted_in_its_declaring_type()
    {
        var sq = new Square();
        using (Trap.Patch<Func<string>>(sq.Describe, () => "described"))
        {
            Assert.Equal("described", sq.Describe());
            Assert.Equal("square of area 4", new Square().Describe());
        }
        Assert.Equal("square of area 4", sq.Describe());
    }

    [Fact]
    public void A_new_slot_method_and_the_one_it_hides_are_separate_targets()
    {
        var sq = new Square();
        using (Trap.Patch(Bind.Method(typeof(Shape), "NonVirtual"), (Func<Shape, string>)(_ => "base patched")))
        {
            Assert.Equal("base patched", ((Shape)sq).NonVirtual());
            Assert.Equal("square non-virtual", sq.NonVirtual());
        }
        Assert.Equal("base non-virtual", ((Shape)sq).NonVirtual());
    }

    [Fact]
    public void Methods_of_sealed_classes_are_patchable()
    {
        var c = new Circle { Radius = 2 };
        using (Trap.Patch<Func<double>>(c.Area, () => 0))
        using (Trap.Patch<Func<string>>(c.Extra, () => "patched extra"))
        {
            Assert.Equal(0, c.Area());
            Assert.Equal("patched extra", c.Extra());
        }
        Assert.Equal(12, c.Area());
        Assert.Equal("circle extra", c.Extra());
    }

    [Fact]
    public void Generic_virtual_overrides_are_intercepted_per_method_instantiation()
    {
        GenericVirtualBase d = new GenericVirtualDerived();
        using (Trap.Patch<Func<int, string>>(d.Show<int>, _ => "patched int"))
        {
            Assert.Equal("patched int", d.Show(1));
            Assert.Equal("derived x", d.Show("x"));
            Assert.Equal("derived 1", new GenericVirtualDerived().Show(1));
            Assert.Equal("base 1", new GenericVirtualBase().Show(1));
        }
        Assert.Equal("derived 1", d.Show(1));
    }

    [Fact]
    public void Abstract_methods_cannot_be_patched()
    {
        var e = Bind.AssertNotTrappable(Bind.Method(typeof(Shape), "Area"), (Func<Shape, double>)(_ => 0));
        Assert.Contains("abstract", e.Message);
    }
}

public class CovariantReturnTests
{
    [Fact]
    public void A_covariant_override_is_patchable_through_the_base_signature()
    {
        Prototype p = new DerivedPrototype();
        var replacement = new DerivedPrototype();
        using (Trap.Patch<Func<Prototype>>(p.Clone, () => replacement))
        {
            Assert.Same(replacement, p.Clone());
            Assert.NotSame(replacement, new DerivedPrototype().Clone());
        }
        Assert.NotSame(replacement, p.Clone());
    }

    [Fact]
    public void A_covariant_override_is_patchable_with_its_own_signature()
    {
        var p = new DerivedPrototype();
        var replacement = new DerivedPrototype();
        using (Trap.Patch<Func<DerivedPrototype>>(p.Clone, () => replacement))
            Assert.Same(replacement, p.Clone());
    }

    [Fact]
    public void A_wider_return_is_refused_at_registration_for_non_covariant_methods()
    {
        var e = Assert.Throws<TrapException>(() => Trap.Patch(Bind.Method(typeof(Circle), "Extra"), (Func<Circle, object>)(_ => "x")));
        Assert.Contains("Extra", e.Message);
    }

    [Fact]
    public void A_replacement_returning_the_wrong_derived_type_fails_at_the_call_not_silently()
    {
        Prototype p = new DerivedPrototype();
        using (Trap.Patch<Func<Prototype>>(p.Clone, () => new Prototype()))
            Assert.Throws<InvalidCastException>(() => p.Clone());
    }
}
