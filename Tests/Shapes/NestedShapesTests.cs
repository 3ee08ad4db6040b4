using System.Reflection;
using Fixtures;

namespace Trapweave.Tests.Shapes;

public class NestedShapesTests
{
    delegate bool ToggleFn(ref Building.Door self);

    [Fact]
    public void Methods_of_nested_classes_and_structs_are_patchable()
    {
        var floor = new Building.Floor();
        var door = new Building.Door();
        using (Trap.Patch<Func<string>>(floor.Label, () => "penthouse"))
        using (Trap.Patch(Bind.Method(typeof(Building.Floor.Room), "Name"), (Func<Building.Floor.Room, string>)(_ => "suite")))
        using (Trap.Patch(Bind.Method(typeof(Building.Door), "Toggle"), (ToggleFn)((ref Building.Door d) => d.Open)))
        {
            Assert.Equal("penthouse", floor.Label());
            Assert.Equal("floor 1", new Building.Floor().Label());
            Assert.Equal("suite", new Building.Floor.Room().Name());
            Assert.False(door.Toggle());
            Assert.False(door.Open);
        }
        Assert.Equal("floor 1", floor.Label());
        Assert.Equal("room", new Building.Floor.Room().Name());
        Assert.True(door.Toggle());
    }

    [Fact]
    public void Private_nested_types_nested_interfaces_and_nested_static_classes_are_patchable()
    {
        var hidden = typeof(Building.Floor).GetNestedType("Hidden", BindingFlags.NonPublic)!;
        var keys = typeof(Building).GetNestedType("Keys", BindingFlags.NonPublic)!;
        Building.ILock theLock = new Building.Lock();
        using (Trap.Patch(Bind.Method(hidden, "Secret"), (Func<int>)(() => 0)))
        using (Trap.Patch(Bind.Method(keys, "Master"), (Func<string>)(() => "copy")))
        using (Trap.Patch<Func<int, bool>>(theLock.Unlock, _ => true))
        {
            Assert.Equal(0, Building.Floor.HiddenSecret());
            Assert.Equal("copy", Bind.Method(keys, "Master").Invoke(null, null));
            Assert.True(theLock.Unlock(0));
            Assert.False(((Building.ILock)new Building.Lock()).Unlock(0));
        }
        Assert.Equal(13, Building.Floor.HiddenSecret());
        Assert.False(theLock.Unlock(0));
    }

    [Fact]
    public void Generic_types_nested_in_plain_and_generic_types_are_patched_per_instantiation()
    {
        var shelf = new Building.Shelf<int> { Item = 3 };
        using (Trap.Patch<Func<int>>(shelf.Take, () => -3))
        using (Trap.Patch(Bind.Method(typeof(Building.Shelf<int>.Box<string>), "Pack"), (Func<Building.Shelf<int>.Box<string>, int, string, string>)((_, _, _) => "packed")))
        using (Trap.Patch<Func<int, string>>(Container<int>.Cache.KeyFor, _ => "key"))
        {
            Assert.Equal(-3, shelf.Take());
            Assert.Equal(3, new Building.Shelf<int> { Item = 3 }.Take());
            Assert.Equal("packed", new Building.Shelf<int>.Box<string>().Pack(1, "a"));
            Assert.Equal("1+a", new Building.Shelf<long>.Box<string>().Pack(1, "a"));
            Assert.Equal("1+2", new Building.Shelf<int>.Box<int>().Pack(1, 2));
            Assert.Equal("key", Container<int>.Cache.KeyFor(1));
            Assert.Equal("String#1", Container<string>.Cache.KeyFor("1"));
        }
        Assert.Equal(3, shelf.Take());
        Assert.Equal("Int32#1", Container<int>.Cache.KeyFor(1));
    }
}

public class NestedSignatureTests
{
    [Fact]
    public void Signatures_naming_nested_types_of_generic_types_are_patchable()
    {
        var plain = new Outer<string>.Plain();
        using (Trap.Patch(Bind.Method(typeof(Outer<string>), "MakePlain"), (Func<Outer<string>, Outer<string>.Plain>)(_ => plain)))
        using (Trap.Patch<Func<Container<int>.Mode, Container<int>.Mode>>(Container<int>.Flip, m => m))
        {
            Assert.Same(plain, new Outer<string>().MakePlain());
            Assert.Equal(Container<int>.Mode.A, Container<int>.Flip(Container<int>.Mode.A));
            Assert.Equal(Container<string>.Mode.B, Container<string>.Flip(Container<string>.Mode.A));
        }
        Assert.NotSame(plain, new Outer<string>().MakePlain());
    }
}
