extern alias Optimized;
using Fixtures;

namespace Trapweave.Tests.Shapes;

public class StructShapesTests
{
    delegate void PointCtor(ref Point self, int both);
    delegate void PointTextCtor(ref Point self, string text);
    delegate void OptPointTextCtor(ref Optimized::Fixtures.Point self, string text);
    delegate void InitCtor(ref WithInitializers self, int a);
    delegate void MoveWithSelf(ref Point self, int dx, int dy);

    [Fact]
    public void An_instance_patch_on_a_struct_matches_equal_receivers()
    {
        var p = new Point(1, 2);
        var equal = new Point(1, 2);
        var different = new Point(2, 2);
        using (Trap.Patch<Func<int>>(p.Sum, () => 100))
        {
            Assert.Equal(100, p.Sum());
            Assert.Equal(100, equal.Sum());
            Assert.Equal(4, different.Sum());
        }
        Assert.Equal(3, p.Sum());
    }

    [Fact]
    public void An_open_patch_on_a_mutating_struct_method_can_mutate_the_receiver_by_ref()
    {
        var p = new Point(1, 1);
        using (Trap.Patch(Bind.Method(typeof(Point), "Move"), (MoveWithSelf)((ref Point self, int dx, int dy) => self.X = -dx)))
        {
            p.Move(5, 5);
            Assert.Equal(new Point(-5, 1), p);
        }
        p.Move(5, 5);
        Assert.Equal(new Point(0, 6), p);
    }

    [Fact]
    public void Readonly_members_and_readonly_structs_are_patchable()
    {
        var p = new Point(3, 4);
        var m = new Money(2, "EUR");
        using (Trap.Patch<Func<int>>(p.ReadonlyProduct, () => -1))
        using (Trap.Patch<Func<decimal, Money>>(m.Times, f => new Money(f, "XXX")))
        {
            Assert.Equal(-1, p.ReadonlyProduct());
            Assert.Equal("3 XXX", m.Times(3).Format());
            Assert.Equal("6 USD", new Money(2, "USD").Times(3).Format());
        }
        Assert.Equal(12, p.ReadonlyProduct());
        Assert.Equal("6 EUR", m.Times(3).Format());
    }

    [Fact]
    public void Large_structs_pass_through_by_value()
    {
        var big = Big.Make(3);
        using (Trap.Patch<Func<Big>>(big.Doubled, () => new Big { A = -1 }))
        using (Trap.Patch<Func<long, Big>>(Big.Make, v => new Big { E = v }))
        {
            Assert.Equal(-1, big.Doubled().A);
            Assert.Equal(0, Big.Make(4).A);
            Assert.Equal(4, Big.Make(4).E);
        }
        Assert.Equal(6, big.Doubled().E);
    }

    [Fact]
    public void A_struct_this_chain_runs_before_the_patched_constructor()
    {
        using (Trap.Patch(Bind.Ctor(typeof(Point), typeof(int)), (PointCtor)((ref Point self, int both) => self.Y = -both)))
            Assert.Equal(new Point(5, -5), new Point(5));
        Assert.Equal(new Point(1005, 5), new Point(5));
    }

    [Fact]
    public void Constructing_another_value_in_a_struct_constructor_is_not_mistaken_for_a_chain()
    {
        // The whole constructor is replaced: nothing of its body (not even the first assignment) runs.
        using (Trap.Patch(Bind.Ctor(typeof(Point), typeof(string)), (PointTextCtor)((ref Point self, string t) => self.X = -1)))
            Assert.Equal(new Point(-1, 0), new Point("abcd"));
        Assert.Equal(new Point(7, 4), new Point("abcd"));

        var optimized = typeof(Optimized::Fixtures.Point);
        using (Trap.Patch(Bind.Ctor(optimized, typeof(string)), (OptPointTextCtor)((ref Optimized::Fixtures.Point self, string t) => self.X = -1)))
        {
            var p = new Optimized::Fixtures.Point("abcd");
            Assert.Equal((-1, 0), (p.X, p.Y));
        }
    }

    [Fact]
    public void A_patched_struct_constructor_replaces_its_field_initializers_too()
    {
        // A struct constructor has no base(...) call: its field initializers are part of the replaced body.
        using (Trap.Patch(Bind.Ctor(typeof(WithInitializers), typeof(int)), (InitCtor)((ref WithInitializers self, int a) => self.A = a * 10)))
        {
            var w = new WithInitializers(2);
            Assert.Equal(20, w.A);
            Assert.Null(w.B);
        }
        Assert.Equal(3, new WithInitializers(2).Total());
        Assert.Equal(6, new WithInitializers().Total());
    }

    [Fact]
    public void Record_structs_and_records_are_patchable()
    {
        var pair = new PairRecord(1, 2);
        var person = new PersonRecord("Ada", "Lovelace");
        using (Trap.Patch<Func<int>>(pair.Sum, () => 0))
        using (Trap.Patch<Func<string>>(person.Full, () => "anon"))
        using (Trap.Patch(Bind.Getter(typeof(PersonRecord), "First"), (Func<PersonRecord, string>)(_ => "Grace")))
        {
            Assert.Equal(0, pair.Sum());
            Assert.Equal(4, new PairRecord(1, 3).Sum());
            Assert.Equal("anon", person.Full());
            Assert.Equal("Grace", person.First);
        }
        Assert.Equal(3, pair.Sum());
        Assert.Equal("Ada Lovelace", person.Full());
    }

    [Fact]
    public void Struct_overrides_of_object_members_are_patchable()
    {
        var p = new Point(1, 2);
        using (Trap.Patch<Func<string>>(p.ToString, () => "point!"))
        {
            Assert.Equal("point!", p.ToString());
            Assert.Equal("point!", ((object)p).ToString());
        }
        Assert.Equal("(1, 2)", p.ToString());
    }
}

public class StructEqualityTests
{
    delegate bool EqualsPointFn(Point other);

    [Fact]
    public void An_instance_patch_on_Equals_itself_does_not_recurse_when_matching_receivers()
    {
        var p = new Point(1, 2);
        using (Trap.Patch<Func<object, bool>>(p.Equals, _ => true))
        {
            Assert.True(p.Equals((object)new Point(9, 9)));
            Assert.True(new Point(1, 2).Equals((object)new Point(9, 9)));
            Assert.False(new Point(3, 3).Equals((object)new Point(9, 9)));
        }
        Assert.False(p.Equals((object)new Point(9, 9)));
    }

    [Fact]
    public void An_instance_patch_on_IEquatable_Equals_does_not_recurse_through_Equals_object()
    {
        var p = new Point(1, 2);
        using (Trap.Patch<EqualsPointFn>(p.Equals, _ => true))
        {
            Assert.True(p.Equals(new Point(9, 9)));
            Assert.False(new Point(3, 3).Equals(new Point(9, 9)));
            Assert.True(new Point(3, 3).Equals((object)new Point(3, 3)));
        }
        Assert.False(p.Equals(new Point(9, 9)));
    }

    [Fact]
    public void An_instance_recorder_on_Equals_itself_does_not_recurse_when_matching_receivers()
    {
        // The recorder's receiver check calls Point.Equals(object), the method it records: that
        // call runs as if inside the recorder, so it is neither recorded nor re-checked.
        var p = new Point(1, 2);
        using var calls = Trap.Record<Func<object, bool>>(p.Equals);
        Assert.False(p.Equals((object)new Point(9, 9)));
        Assert.True(new Point(1, 2).Equals((object)new Point(1, 2)));
        Assert.False(new Point(3, 3).Equals((object)new Point(9, 9)));
        Assert.Equal(2, calls.Count);
    }
}
