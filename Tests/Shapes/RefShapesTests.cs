using Fixtures;

namespace Trapweave.Tests.Shapes;

public class RefShapesTests
{
    delegate bool TryParseFn(string text, out int value);
    delegate void SwapFn(ref int a, ref int b);
    delegate int SumInFn(in Big big);
    delegate ref int RefAtFn(int index);
    delegate ref readonly int ReadOnlyAtFn(int index);
    delegate ref int FieldRefFn();
    delegate void FillFn(out string a, out Point b, ref object c);
    delegate ref T PickFn<T>(ref T a, ref T b, bool first);
    delegate ref int ScopedFn(scoped ref int a);
    delegate int ReadonlyRefFn(ref readonly int value);

    static readonly int[] Elsewhere = { 100, 200, 300 };

    [Fact]
    public void A_patch_can_write_out_arguments()
    {
        using (Trap.Patch<TryParseFn>(RefParams.TryParse, (string _, out int v) => { v = 42; return true; }))
        {
            Assert.True(RefParams.TryParse("nope", out var v));
            Assert.Equal(42, v);
        }
        Assert.False(RefParams.TryParse("nope", out _));
        Assert.True(RefParams.TryParse("7", out var seven));
        Assert.Equal(7, seven);
    }

    [Fact]
    public void A_patch_can_read_and_write_ref_arguments()
    {
        int a = 1, b = 2;
        using (Trap.Patch<SwapFn>(RefParams.Swap, (ref int x, ref int y) => { x += 10; y += 10; }))
            RefParams.Swap(ref a, ref b);
        Assert.Equal((11, 12), (a, b));
        RefParams.Swap(ref a, ref b);
        Assert.Equal((12, 11), (a, b));
    }

    [Fact]
    public void In_and_ref_readonly_parameters_pass_through_by_reference()
    {
        var big = Big.Make(1);
        var value = 5;
        using (Trap.Patch<SumInFn>(RefParams.Sum, (in Big x) => (int)x.A * 100))
        using (Trap.Patch<ReadonlyRefFn>(RefParams.ReadonlyRefParam, (ref readonly int v) => v * 3))
        {
            Assert.Equal(100, RefParams.Sum(in big));
            Assert.Equal(15, RefParams.ReadonlyRefParam(in value));
        }
        Assert.Equal(5, RefParams.Sum(in big));
        Assert.Equal(6, RefParams.ReadonlyRefParam(in value));
    }

    [Fact]
    public void A_patch_can_return_a_reference()
    {
        using (Trap.Patch<RefAtFn>(RefParams.At, i => ref Elsewhere[i]))
        using (Trap.Patch<ReadOnlyAtFn>(RefParams.ReadOnlyAt, i => ref Elsewhere[i]))
        {
            RefParams.At(1) = 222;
            Assert.Equal(222, Elsewhere[1]);
            Assert.Equal(300, RefParams.ReadOnlyAt(2));
        }
        Assert.Equal(2, RefParams.Storage[1]);
        RefParams.At(0) = 11;
        Assert.Equal(11, RefParams.Storage[0]);
        RefParams.At(0) = 1;
    }

    [Fact]
    public void An_instance_ref_return_is_patchable_per_instance()
    {
        var mine = new RefParams();
        var other = new RefParams();
        var box = new int[1];
        using (Trap.Patch<FieldRefFn>(mine.FieldRef, () => ref box[0]))
        {
            mine.FieldRef() = 9;
            other.FieldRef() = 8;
            Assert.Equal((9, 5, 8), (box[0], mine.Field, other.Field));
        }
        mine.FieldRef() = 7;
        Assert.Equal(7, mine.Field);
    }

    [Fact]
    public void Several_out_and_ref_arguments_of_any_type_are_writable()
    {
        var r = new RefParams();
        object c = null;
        using (Trap.Patch<FillFn>(r.Fill, (out string a, out Point b, ref object o) => { a = "A"; b = new Point(9, 9); o = 1; }))
        {
            r.Fill(out var a, out var b, ref c);
            Assert.Equal(("A", new Point(9, 9), (object)1), (a, b, c));
        }
        r.Fill(out var a2, out var b2, ref c);
        Assert.Equal(("a", new Point(1, 2), (object)"c"), (a2, b2, c));
    }

    [Fact]
    public void Generic_ref_returns_are_patched_per_instantiation()
    {
        var target = typeof(RefParams).GetMethod("Pick")!.MakeGenericMethod(typeof(int));
        int x = 1, y = 2;
        string s = "s", t = "t";
        using (Trap.Patch(target, (PickFn<int>)((ref int a, ref int b, bool first) => ref first ? ref b : ref a)))
        {
            RefParams.Pick(ref x, ref y, true) = 20;
            RefParams.Pick(ref s, ref t, true) = "S";
        }
        Assert.Equal((1, 20, "S", "t"), (x, y, s, t));
        RefParams.Pick(ref x, ref y, true) = 10;
        Assert.Equal(10, x);
    }

    [Fact]
    public void Scoped_ref_parameters_are_patchable()
    {
        var local = 3;
        using (Trap.Patch<ScopedFn>(RefParams.ScopedFirst, (scoped ref int a) => ref Elsewhere[2]))
            Assert.Equal(300, RefParams.ScopedFirst(ref local));
        Assert.Equal(RefParams.Storage[0], RefParams.ScopedFirst(ref local));
    }
}

/// <summary>Interceptors on methods given null refs: the ref passes on untouched and shows as <see cref="Invocation.Unavailable"/>.</summary>
public class NullRefArgumentTests
{
    [Fact]
    public void A_pass_through_interceptor_passes_a_null_ref_on_and_writes_nothing_back()
    {
        var readOr = typeof(NullRefs).GetMethod(nameof(NullRefs.ReadOr))!;
        var setIfPresent = typeof(NullRefs).GetMethod(nameof(NullRefs.SetIfPresent))!;
        var seen = new List<object>();
        using (Trap.Intercept(readOr, call => seen.Add(call.Arguments[0])))
        using (Trap.Intercept(setIfPresent, call => seen.Add(call.Arguments[0])))
        {
            Assert.Equal(-1, NullRefs.WithoutTarget());
            var value = 5;
            Assert.Equal(5, NullRefs.ReadOr(ref value, -1));
            NullRefs.SetIfPresent(ref System.Runtime.CompilerServices.Unsafe.NullRef<int>(), 3);
            NullRefs.SetIfPresent(ref value, 8);
            Assert.Equal(8, value);
        }
        Assert.Equal(new object[] { Invocation.Unavailable, 5, Invocation.Unavailable, 5 }, seen);
    }
}

/// <summary>Interceptors hand the original's own values on unchecked, even one reinterpreted with Unsafe.As (found in Jint).</summary>
public class ReinterpretedValueTests
{
    [Fact]
    public void A_pass_through_interceptor_returns_and_passes_on_a_reinterpreted_array()
    {
        var results = new List<Type>();
        using (Trap.Intercept(typeof(Reinterpreted).GetMethod(nameof(Reinterpreted.AsStrings))!, null, call => results.Add(call.Result!.GetType())))
        using (Trap.Intercept(typeof(Reinterpreted).GetMethod(nameof(Reinterpreted.CountOf))!, call => results.Add(call.Arguments[0]!.GetType())))
            Assert.Equal(2, Reinterpreted.RoundTrip());
        Assert.Equal(new[] { typeof(object[]), typeof(object[]) }, results);
    }

    [Fact]
    public void A_replacement_that_does_not_fit_is_still_refused()
    {
        using (Trap.Intercept(typeof(Reinterpreted).GetMethod(nameof(Reinterpreted.CountOf))!, call => call.Arguments[0] = new object[] { 1 }))
            Assert.Contains("which is not a String[]", Assert.Throws<TrapException>(() => Reinterpreted.RoundTrip()).Message);
        using (Trap.Intercept(typeof(Reinterpreted).GetMethod(nameof(Reinterpreted.AsStrings))!, null, call => call.Result = new object[] { 1 }))
            Assert.Throws<TrapException>(() => Reinterpreted.AsStrings());
    }
}
