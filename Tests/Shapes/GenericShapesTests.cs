using Fixtures;

namespace Trapweave.Tests.Shapes;

public class GenericShapesTests
{
#if NET9_0_OR_GREATER
    delegate int CountFn<T>(T value) where T : allows ref struct;
#endif
    unsafe delegate int FirstOfInt(int* items);

    [Fact]
    public void A_patch_on_one_instantiation_leaves_the_others_alone()
    {
        var users = new Repo<User>();
        var orders = new Repo<Order>();
        var ints = new Repo<int>();
        var target = typeof(Repo<User>).GetMethod("Get")!.MakeGenericMethod(typeof(int));
        using (Trap.Patch(target, (Func<Repo<User>, int, string>)((_, k) => "patched " + k)))
        {
            Assert.Equal("patched 1", users.Get(1));
            Assert.Equal("patched 1", new Repo<User>().Get(1));
            Assert.Equal("Order:Int32:1", orders.Get(1));
            Assert.Equal("User:String:1", users.Get("1"));
            Assert.Equal("Int32:Int32:1", ints.Get(1));
        }
        Assert.Equal("User:Int32:1", users.Get(1));
    }

    [Fact]
    public void A_bound_patch_on_a_generic_method_covers_that_instance_and_instantiation()
    {
        var users = new Repo<User>();
        using (Trap.Patch<Func<int, string>>(users.Get<int>, k => "mine"))
        {
            Assert.Equal("mine", users.Get(1));
            Assert.Equal("User:Int32:1", new Repo<User>().Get(1));
            Assert.Equal("User:Int64:1", users.Get(1L));
        }
    }

    [Fact]
    public void Methods_of_generic_types_are_patched_per_type_argument()
    {
        var fake = new User { Name = "fake" };
        using (Trap.Patch(Bind.Method(typeof(Repo<User>), "Echo"), (Func<Repo<User>, User, User>)((_, _) => fake)))
        using (Trap.Patch<Func<string>>(Repo<int>.Kind, () => "ints"))
        {
            Assert.Same(fake, new Repo<User>().Echo(new User()));
            var order = new Order();
            Assert.Same(order, new Repo<Order>().Echo(order));
            Assert.Equal("ints", Repo<int>.Kind());
            Assert.Equal("repo of Int64", Repo<long>.Kind());
        }
        Assert.Equal("repo of Int32", Repo<int>.Kind());
    }

    [Fact]
    public void Static_generic_methods_are_patched_per_method_argument()
    {
        using (Trap.Patch<Func<int, int>>(GenericStatics.Identity<int>, x => -x))
        using (Trap.Patch<Func<string, int, string>>(GenericStatics.Pair<string, int>, (a, b) => "pair"))
        {
            Assert.Equal(-3, GenericStatics.Identity(3));
            Assert.Equal(3L, GenericStatics.Identity(3L));
            Assert.Equal("s", GenericStatics.Identity("s"));
            Assert.Equal("pair", GenericStatics.Pair("a", 1));
            Assert.Equal("1&a", GenericStatics.Pair(1, "a"));
        }
        Assert.Equal(3, GenericStatics.Identity(3));
    }

    [Fact]
    public void Constrained_generic_methods_are_patchable()
    {
        var made = new User { Name = "made" };
        using (Trap.Patch<Func<int, int, int>>(GenericStatics.Max<int>, (a, b) => Math.Min(a, b)))
        using (Trap.Patch<Func<User>>(GenericStatics.Create<User>, () => made))
        using (Trap.Patch<Func<string, string>>(GenericStatics.ClassOnly<string>, _ => "class"))
        using (Trap.Patch<Func<int, int>>(GenericStatics.StructOnly<int>, _ => 99))
        using (Trap.Patch<Func<int>>(GenericStatics.SizeOf<long>, () => 1))
        using (Trap.Patch<Func<string, object>>(GenericStatics.Upcast<object, string>, _ => "up"))
        using (Trap.Patch<Func<int, int?>>(GenericStatics.NullableOf<int>, _ => null))
        {
            Assert.Equal(2, GenericStatics.Max(2, 5));
            Assert.Equal("b", GenericStatics.Max("a", "b"));
            Assert.Same(made, GenericStatics.Create<User>());
            Assert.Equal("class", GenericStatics.ClassOnly("x"));
            Assert.Equal(99, GenericStatics.StructOnly(1));
            Assert.Equal(1, GenericStatics.SizeOf<long>());
            Assert.Equal(4, GenericStatics.SizeOf<int>());
            Assert.Equal("up", GenericStatics.Upcast<object, string>("x"));
            Assert.Null(GenericStatics.NullableOf(1));
        }
        Assert.Equal(5, GenericStatics.Max(2, 5));
        Assert.NotSame(made, GenericStatics.Create<User>());
        Assert.Equal(8, GenericStatics.SizeOf<long>());
        Assert.Equal(1, GenericStatics.NullableOf(1));
    }

    [Fact]
    public unsafe void Unmanaged_pointer_generics_are_patchable()
    {
        var target = typeof(GenericStatics).GetMethod("FirstOf")!.MakeGenericMethod(typeof(int));
        var values = stackalloc int[] { 7, 8 };
        using (Trap.Patch(target, (FirstOfInt)(p => p[1])))
            Assert.Equal(8, GenericStatics.FirstOf(values));
        Assert.Equal(7, GenericStatics.FirstOf(values));
    }

#if NET9_0_OR_GREATER
    [Fact]
    public void A_method_allowing_ref_struct_type_arguments_is_patchable_for_a_span_instantiation()
    {
        var target = typeof(GenericStatics).GetMethod("CountRefStruct")!.MakeGenericMethod(typeof(Span<int>));
        using (Trap.Patch(target, (CountFn<Span<int>>)(s => s.Length)))
        {
            Assert.Equal(3, GenericStatics.CountRefStruct<Span<int>>(new int[3]));
            Assert.Equal(1, GenericStatics.CountRefStruct(new int[3]));
        }
        Assert.Equal(1, GenericStatics.CountRefStruct<Span<int>>(new int[3]));
    }
#else
    [Fact(Skip = RuntimeLimits.AllowsRefStruct)]
    public void A_method_allowing_ref_struct_type_arguments_is_patchable_for_a_span_instantiation() { }
#endif

    [Fact]
    public void Generic_types_with_constraints_are_patchable()
    {
        var made = new User();
        var box = new ValueBox<int>(5);
        var buffer = new UnmanagedBuffer<long>();
        using (Trap.Patch(Bind.Method(typeof(Constrained<User>), "Make"), (Func<Constrained<User>, User>)(_ => made)))
        using (Trap.Patch<Func<int, bool>>(box.GreaterThan, _ => false))
        using (Trap.Patch<Func<int>>(buffer.ElementSize, () => 0))
        {
            Assert.Same(made, new Constrained<User>().Make());
            Assert.False(box.GreaterThan(1));
            Assert.False(new ValueBox<int>(5).GreaterThan(1));
            Assert.True(new ValueBox<int>(6).GreaterThan(1));
            Assert.True(new ValueBox<long>(5).GreaterThan(1));
            Assert.Equal(0, buffer.ElementSize());
            Assert.Equal(4, new UnmanagedBuffer<int>().ElementSize());
        }
        Assert.True(box.GreaterThan(1));
        Assert.Equal(8, buffer.ElementSize());
    }

    [Fact]
    public void Nested_generic_types_are_patched_per_instantiation()
    {
        var inner = new Outer<int>.Inner<string>();
        using (Trap.Patch<Func<int, string, string>>(inner.Both, (t, u) => "inner"))
        using (Trap.Patch<Func<string>>(Outer<int>.Inner<string>.Names, () => "names"))
        using (Trap.Patch(Bind.Method(typeof(Outer<string>.Plain), "Keep"), (Func<Outer<string>.Plain, string, string>)((_, _) => "kept")))
        {
            Assert.Equal("inner", inner.Both(1, "a"));
            Assert.Equal("names", Outer<int>.Inner<string>.Names());
            Assert.Equal("String/String", Outer<string>.Inner<string>.Names());
            Assert.Equal("Int32/Int32", Outer<int>.Inner<int>.Names());
            Assert.Equal("kept", new Outer<string>.Plain().Keep("x"));
            Assert.Equal(1, new Outer<int>.Plain().Keep(1));
        }
        Assert.Equal("1|a", inner.Both(1, "a"));
    }

    [Fact]
    public void Generic_interfaces_with_default_methods_and_generic_bases_are_patchable()
    {
        IStore<User> users = new MemoryStore<User>();
        IStore<Order> orders = new MemoryStore<Order>();
        var loaded = new User();
        Handler<string, int> handler = new LengthHandler();
        using (Trap.Patch<Func<int, User>>(users.Load, _ => loaded))
        using (Trap.Patch(Bind.Method(typeof(IStore<User>), "Info"), (Func<IStore<User>, string>)(_ => "patched info")))
        using (Trap.Patch<Func<string, int>>(handler.Handle, _ => -1))
        {
            Assert.Same(loaded, users.Load(1));
            Assert.Equal("patched info", users.Info());
            Assert.Equal("store of Order", orders.Info());
            Assert.Equal(-1, handler.Handle("abc"));
            Assert.Equal(3, new LengthHandler().Handle("abc"));
        }
        Assert.NotSame(loaded, users.Load(1));
        Assert.Equal("store of User", users.Info());
    }

    [Fact]
    public void Self_referencing_generics_are_patchable()
    {
        var a = new Concrete();
        var other = new Concrete();
        using (Trap.Patch<Func<Concrete>>(a.Self, () => other))
            Assert.Same(other, a.Self());
        Assert.Same(a, a.Self());
    }

    [Fact]
    public void Open_generic_targets_are_refused_with_a_hint()
    {
        var open = typeof(Repo<>).GetMethod("Echo")!;
        var e = Assert.Throws<TrapException>(() => Trap.Patch(open, (Func<object, object>)(x => x)));
        Assert.Contains("Echo", e.Message);
        Assert.Contains("open generic", e.Message);
    }
}

public class GenericSignatureTests
{
    unsafe delegate int ApplyIntFn(delegate*<int, int> f, int x);

    static int Twice(int x) => x * 2;

    [Fact]
    public unsafe void Arrays_tuples_and_function_pointers_over_type_parameters_are_patchable()
    {
        var apply = typeof(GenericStatics).GetMethod("Apply")!.MakeGenericMethod(typeof(int));
        using (Trap.Patch<Func<int[,], int>>(GenericStatics.Corner, g => g[1, 1]))
        using (Trap.Patch<Func<string[][], string>>(GenericStatics.Last, j => j[0][0]))
        using (Trap.Patch<Func<int, (int, List<int>)>>(GenericStatics.Wrap, v => (v, null)))
        using (Trap.Patch(apply, (ApplyIntFn)((f, x) => f(f(x)))))
        {
            Assert.Equal(4, GenericStatics.Corner(new[,] { { 1, 2 }, { 3, 4 } }));
            Assert.Equal("a", GenericStatics.Last(new[] { new[] { "a" }, new[] { "b" } }));
            Assert.Null(GenericStatics.Wrap(1).Item2);
            Assert.Equal(12, GenericStatics.Apply(&Twice, 3));
            Assert.Equal(1L, GenericStatics.Corner(new[,] { { 1L, 2L }, { 3L, 4L } }));
        }
        Assert.Equal(1, GenericStatics.Corner(new[,] { { 1, 2 }, { 3, 4 } }));
        Assert.Equal(6, GenericStatics.Apply(&Twice, 3));
    }
}

/// <summary>Generic methods whose constraints name types only their class can see (found in Acornima).</summary>
public class PrivateConstraintTests
{
    [Fact]
    public void They_run_over_value_types_reference_types_and_the_private_interface_itself()
    {
        Assert.Equal(10, PrivateConstraints.RunFast());
        Assert.Equal(20, PrivateConstraints.RunSlow());
        Assert.Equal(20, PrivateConstraints.RunAsInterface());
        Assert.Equal(30, PrivateConstraints.RunProtectedInternal());
        System.Runtime.CompilerServices.RuntimeHelpers.PrepareMethod(PrivateConstraints.RunOverInterface.MethodHandle);
    }

    [Fact]
    public void They_are_trapped_and_can_be_intercepted()
    {
        var target = PrivateConstraints.RunOverInterface;
        Assert.True(Trap.IsTrapped(target));
        using (Trap.Intercept(target, call => call.Result = 99))
        {
            Assert.Equal(99, PrivateConstraints.RunAsInterface());
            Assert.Equal(20, PrivateConstraints.RunSlow());
        }
        Assert.Equal(20, PrivateConstraints.RunAsInterface());
    }
}
