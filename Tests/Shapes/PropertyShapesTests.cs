using Fixtures;

namespace Trapweave.Tests.Shapes;

public class PropertyShapesTests
{
    static Settings New() => new() { Required = "r" };

    [Fact]
    public void Auto_property_getters_and_setters_are_patchable()
    {
        var s = New();
        var written = new List<int>();
        using (Trap.Patch(Bind.Getter(typeof(Settings), "Auto"), (Func<Settings, int>)(_ => 99)))
        using (Trap.Patch(Bind.Setter(typeof(Settings), "Auto"), (Action<Settings, int>)((_, v) => written.Add(v))))
        {
            s.Auto = 5;
            Assert.Equal(99, s.Auto);
            Assert.Equal(new[] { 5 }, written);
        }
        Assert.Equal(3, s.Auto);
        s.Auto = 5;
        Assert.Equal(5, s.Auto);
    }

    [Fact]
    public void An_instance_patch_on_a_getter_covers_that_instance_only()
    {
        var mine = New();
        var other = New();
        using (Trap.Patch(Bind.On<Func<string>>(mine, Bind.Getter(typeof(Settings), "Name")), () => "mine"))
        {
            Assert.Equal("mine", mine.Name);
            Assert.Equal("default", other.Name);
        }
        Assert.Equal("default", mine.Name);
    }

    [Fact]
    public void Manual_read_only_init_only_and_static_properties_are_patchable()
    {
        var s = New();
        using (Trap.Patch(Bind.Setter(typeof(Settings), "Name"), (Action<Settings, string>)((_, _) => { })))
        using (Trap.Patch(Bind.Getter(typeof(Settings), "ReadOnly"), (Func<Settings, int>)(_ => 0)))
        using (Trap.Patch(Bind.Setter(typeof(Settings), "InitOnly"), (Action<Settings, int>)((_, _) => { })))
        using (Trap.Patch(Bind.Getter(typeof(Settings), "StaticProp"), (Func<string>)(() => "patched static")))
        using (Trap.Patch(Bind.Getter(typeof(Settings), "Lazy"), (Func<Settings, string>)(_ => "not computed")))
        {
            s.Name = "  x  ";
            Assert.Equal("default", s.Name);
            Assert.Equal(0, s.ReadOnly);
            Assert.Equal(7, new Settings { InitOnly = 1, Required = "r" }.InitOnly);
            Assert.Equal("patched static", Settings.StaticProp);
            Assert.Equal("not computed", s.Lazy);
        }
        s.Name = "  x  ";
        Assert.Equal("x", s.Name);
        Assert.Equal(42, s.ReadOnly);
        Assert.Equal(1, new Settings { InitOnly = 1, Required = "r" }.InitOnly);
        Assert.Equal("static", Settings.StaticProp);
        Assert.Equal("computed", s.Lazy);
    }

    [Fact]
    public void Indexers_are_patchable()
    {
        var s = New();
        s["k"] = "v";
        var getByKey = typeof(Settings).GetProperty("Item", new[] { typeof(string) })!.GetMethod!;
        var setByCell = typeof(Settings).GetProperty("Item", new[] { typeof(int), typeof(int) })!.SetMethod!;
        using (Trap.Patch(getByKey, (Func<Settings, string, string>)((_, key) => "patched " + key)))
        using (Trap.Patch(setByCell, (Action<Settings, int, int, int>)((_, _, _, _) => { })))
        {
            Assert.Equal("patched k", s["k"]);
            s[1, 1] = 5;
            Assert.Equal(0, s[1, 1]);
        }
        Assert.Equal("v", s["k"]);
        s[1, 1] = 5;
        Assert.Equal(5, s[1, 1]);
    }

    [Fact]
    public void Virtual_and_interface_properties_are_intercepted_as_dispatched()
    {
        Entity e = new DerivedEntity();
        IHasId asInterface = new Entity();
        using (Trap.Patch(Bind.On<Func<int>>(e, Bind.Getter(typeof(Entity), "Id")), () => -2))
        using (Trap.Patch(Bind.On<Func<int>>(asInterface, Bind.Getter(typeof(IHasId), "Id")), () => -100))
        {
            Assert.Equal(-2, e.Id);
            Assert.Equal(2, new DerivedEntity().Id);
            Assert.Equal(-100, asInterface.Id);
            Assert.Equal(1, ((Entity)asInterface).Id);
        }
        Assert.Equal(2, e.Id);
        Assert.Equal(100, asInterface.Id);
    }
}
