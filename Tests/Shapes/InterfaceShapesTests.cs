using Fixtures;

namespace Trapweave.Tests.Shapes;

public class InterfaceShapesTests
{
    [Fact]
    public void Implicit_implementations_are_intercepted_through_the_interface()
    {
        IGreeter g = new PoliteGreeter();
        using (Trap.Patch<Func<string, string>>(g.Greet, n => "yo " + n))
        {
            Assert.Equal("yo ann", g.Greet("ann"));
            Assert.Equal("yo ann", ((PoliteGreeter)g).Greet("ann"));
            Assert.Equal("Good day, ann", new PoliteGreeter().Greet("ann"));
        }
        Assert.Equal("Good day, ann", g.Greet("ann"));
    }

    [Fact]
    public void Explicit_implementations_are_intercepted_through_the_interface()
    {
        IGreeter g = new PoliteGreeter();
        using (Trap.Patch<Func<string, string>>(g.Farewell, n => "later " + n))
        {
            Assert.Equal("later ann", g.Farewell("ann"));
            Assert.Equal("Farewell, ann", ((IGreeter)new PoliteGreeter()).Farewell("ann"));
        }
        Assert.Equal("Farewell, ann", g.Farewell("ann"));

        var explicitImpl = Bind.Method(typeof(PoliteGreeter), "Fixtures.IGreeter.Farewell");
        Assert.True(Trap.IsTrapped(explicitImpl));
        using (Trap.Patch(explicitImpl, (Func<string, string>)(n => "all " + n)))
            Assert.Equal("all bo", ((IGreeter)new PoliteGreeter()).Farewell("bo"));
    }

    [Fact]
    public void Default_interface_methods_are_woven_in_the_interface()
    {
        IGreeter polite = new PoliteGreeter();
        IGreeter overriding = new OverridingGreeter();
        var both = Bind.Method(typeof(IGreeter), "Both");
        Assert.True(Trap.IsTrapped(both));
        using (Trap.Patch(both, (Func<IGreeter, string, string>)((self, n) => self.GetType().Name + " both " + n)))
        {
            Assert.Equal("PoliteGreeter both x", polite.Both("x"));
            Assert.Equal("both overridden for x", overriding.Both("x"));
        }
        Assert.Equal("Good day, x / Farewell, x", polite.Both("x"));
    }

    [Fact]
    public void A_default_interface_method_is_intercepted_for_one_instance()
    {
        IGreeter mine = new PoliteGreeter();
        IGreeter other = new PoliteGreeter();
        using (Trap.Patch<Func<string, string>>(mine.Both, _ => "mine"))
        {
            Assert.Equal("mine", mine.Both("x"));
            Assert.Equal("Good day, x / Farewell, x", other.Both("x"));
        }
    }

    [Fact]
    public void Static_and_property_members_of_interfaces_are_patchable()
    {
        IGreeter g = new PoliteGreeter();
        using (Trap.Patch<Func<string, string>>(IGreeter.Shout, s => s))
        using (Trap.Patch(Bind.Getter(typeof(IGreeter), "Priority"), (Func<IGreeter, int>)(_ => 9)))
        {
            Assert.Equal("hey", IGreeter.Shout("hey"));
            Assert.Equal(9, g.Priority);
        }
        Assert.Equal("HEY!", IGreeter.Shout("hey"));
        Assert.Equal(1, g.Priority);
    }

    [Fact]
    public void Struct_implementations_match_equal_receivers()
    {
        var a = new StructGreeter { Tag = "a" };
        var sameAsA = new StructGreeter { Tag = "a" };
        var b = new StructGreeter { Tag = "b" };
        using (Trap.Patch<Func<string, string>>(a.Greet, n => "struct " + n))
        {
            Assert.Equal("struct x", a.Greet("x"));
            Assert.Equal("struct x", sameAsA.Greet("x"));
            Assert.Equal("b hello x", b.Greet("x"));
            IGreeter boxed = a;
            Assert.Equal("struct x", boxed.Greet("x"));
            Assert.Equal("struct x / a bye x", boxed.Both("x"));
        }
        Assert.Equal("a hello x", a.Greet("x"));
    }

    [Fact]
    public void Implementations_of_generic_interfaces_are_separate_per_interface()
    {
        var p = new IntParser();
        IParser<bool> asBool = p;
        IParser<int> asInt = p;
        using (Trap.Patch<Func<string, bool>>(asBool.Parse, _ => true))
        {
            Assert.True(asBool.Parse("no"));
            Assert.Equal(5, asInt.Parse("5"));
        }
        Assert.False(asBool.Parse("no"));
    }

    [Fact]
    public void Static_virtual_interface_members_are_intercepted_per_instantiation()
    {
        var label = Bind.Method(typeof(IHasDefault<Meters>), "Label");
        Assert.True(Trap.IsTrapped(label));
        using (Trap.Patch(label, (Func<string>)(() => "patched label")))
        using (Trap.Patch<Func<Meters>>(Meters.Zero, () => new Meters { Value = 5 }))
        {
            Assert.Equal("patched label", Meters.LabelOf<Meters>());
            Assert.Equal(5, Meters.ZeroOf<Meters>().Value);
        }
        Assert.Equal("default label", Meters.LabelOf<Meters>());
        Assert.Equal(0, Meters.ZeroOf<Meters>().Value);
        Bind.AssertNotTrappable(Bind.Method(typeof(IHasDefault<Meters>), "Zero"));
    }

    [Fact]
    public void Dispose_through_an_interface_is_intercepted()
    {
        var thing = new DisposableThing();
        using (Trap.Patch<Action>(((IDisposable)thing).Dispose, () => { }))
            ((IDisposable)thing).Dispose();
        Assert.Equal(0, thing.Disposed);
        thing.Dispose();
        Assert.Equal(1, thing.Disposed);
    }
}

public class GenericInterfaceMethodTests
{
    [Fact]
    public void Generic_interface_methods_are_intercepted_per_instance_and_instantiation()
    {
        IConverter mine = new ChangeTypeConverter();
        IConverter other = new ChangeTypeConverter();
        IConverter explicitOne = new ExplicitConverter();
        using (Trap.Patch<Func<object, int>>(mine.To<int>, _ => 42))
        using (Trap.Patch<Func<object, long>>(explicitOne.To<long>, _ => 7L))
        {
            Assert.Equal(42, mine.To<int>("1"));
            Assert.Equal(1L, mine.To<long>("1"));
            Assert.Equal(1, other.To<int>("1"));
            Assert.Equal(7L, explicitOne.To<long>("1"));
            Assert.Equal(0, explicitOne.To<int>("1"));
        }
        Assert.Equal(1, mine.To<int>("1"));
        Assert.Equal(0L, explicitOne.To<long>("1"));
    }

    [Fact]
    public void Generic_default_interface_methods_are_patched_per_instantiation()
    {
        IConverter c = new ChangeTypeConverter();
        var target = typeof(IConverter).GetMethod("Describe")!.MakeGenericMethod(typeof(int));
        using (Trap.Patch(target, (Func<IConverter, string>)(_ => "patched")))
        {
            Assert.Equal("patched", c.Describe<int>());
            Assert.Equal("converter to String", c.Describe<string>());
        }
        Assert.Equal("converter to Int32", c.Describe<int>());
    }
}

public class ConstrainedCallTests
{
    [Fact]
    public void Constrained_calls_on_struct_receivers_are_intercepted_for_equal_values()
    {
        var a = new StructGreeter { Tag = "a" };
        using (Trap.Patch<Func<string, string>>(a.Greet, n => "patched " + n))
        {
            Assert.Equal("patched x", GreeterCalls.GreetVia(a, "x"));
            Assert.Equal("b hello x", GreeterCalls.GreetVia(new StructGreeter { Tag = "b" }, "x"));
            Assert.Equal("patched x / a bye x", GreeterCalls.BothVia(a, "x"));
            Assert.Equal("Good day, x", GreeterCalls.GreetVia(new PoliteGreeter(), "x"));
        }
        Assert.Equal("a hello x", GreeterCalls.GreetVia(a, "x"));
    }
}

public class ExplicitStaticAbstractTests
{
    [Fact]
    public void Explicit_implementations_of_static_abstract_members_are_patchable()
    {
        var zero = typeof(Feet).GetMethods(System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static).Single(m => m.Name.EndsWith(".Zero"));
        var label = typeof(Feet).GetMethods(System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static).Single(m => m.Name.EndsWith(".Label"));
        using (Trap.Patch(zero, (Func<Feet>)(() => new Feet { Value = 12 })))
        using (Trap.Patch(label, (Func<string>)(() => "inches")))
        {
            Assert.Equal(12, Meters.ZeroOf<Feet>().Value);
            Assert.Equal("inches", Meters.LabelOf<Feet>());
            Assert.Equal("default label", Meters.LabelOf<Meters>());
        }
        Assert.Equal(0, Meters.ZeroOf<Feet>().Value);
        Assert.Equal("feet", Meters.LabelOf<Feet>());
    }
}
