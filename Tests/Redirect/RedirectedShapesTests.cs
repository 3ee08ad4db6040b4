using System.IO;
using System.Reflection;
using System.Runtime.CompilerServices;
using External;
using Trapweave.Tests.Shapes;
using Calls = Fixtures.Redirects.RedirectedCalls;

namespace Trapweave.Tests.Redirect;

/// <summary>
/// Every redirected call shape of <see cref="Calls"/>, in the Debug and the optimized fixture build:
/// arranged on the external member, seen through the woven caller, and the real member again once
/// the registration ends.
/// </summary>
public class RedirectedShapesTests
{
    delegate bool TryParseFn(string text, out int value);
    delegate void IncrementFn(ref int value);
    delegate long SumFn(in Pair pair);
    delegate int CountFn(ReadOnlySpan<char> text, char c);
    delegate ref int SlotFn(int[] array, int index);
    unsafe delegate int DerefFn(int* pointer);
    delegate char NextFn(ref TextCursor self);

    public static TheoryData<string> Builds => FixtureBuild.Names;

    [Theory]
    [MemberData(nameof(Builds))]
    public void Static_calls_getters_and_setters(string build)
    {
        var b = FixtureBuild.Of(build);
        Assert.Equal(3, b.Call<int>(nameof(Calls.StaticCall), 1, 2));
        using (Trap.When(() => Library.Add(1, 2)).Returns(30))
        using (Trap.When(() => Library.Greeting).Returns("hi"))
        {
            Assert.Equal(30, b.Call<int>(nameof(Calls.StaticCall), 1, 2));
            Assert.Equal(5, b.Call<int>(nameof(Calls.StaticCall), 2, 3));
            Assert.Equal("hi", b.Call<string>(nameof(Calls.StaticGetter)));
        }
        Assert.Equal("hello", b.Call<string>(nameof(Calls.StaticGetter)));

        var set = new List<int>();
        var before = Library.Counter;
        using (Trap.Patch(typeof(Library).GetProperty(nameof(Library.Counter))!.SetMethod!, new Action<int>(set.Add)))
        using (Trap.When(() => Library.Counter).Returns(-1))
        {
            b.Call<object>(nameof(Calls.StaticSetter), 77);
            Assert.Equal(-1, b.Call<int>(nameof(Calls.StaticCounter)));
        }
        Assert.Equal(new[] { 77 }, set);
        Assert.Equal(before, Library.Counter);
    }

    [Theory]
    [MemberData(nameof(Builds))]
    public void Out_ref_and_in_parameters(string build)
    {
        var b = FixtureBuild.Of(build);
        var outArgs = new object[] { "nope", null };
        using (Trap.Patch<TryParseFn>(Library.TryParse, (string _, out int v) => { v = 42; return true; }))
        using (Trap.Patch<IncrementFn>(Library.Increment, (ref int v) => v += 100))
        using (Trap.Patch<SumFn>(Library.Sum, (in Pair p) => p.A * p.B))
        {
            Assert.True(b.Call<bool>(nameof(Calls.OutParameter), outArgs));
            Assert.Equal(42, outArgs[1]);
            Assert.Equal(101, b.Call<int>(nameof(Calls.RefParameter), 1));
            Assert.Equal(12L, b.Call<long>(nameof(Calls.InParameter), 3L, 4L));
        }
        Assert.False(b.Call<bool>(nameof(Calls.OutParameter), outArgs));
        Assert.Equal(2, b.Call<int>(nameof(Calls.RefParameter), 1));
        Assert.Equal(7L, b.Call<long>(nameof(Calls.InParameter), 3L, 4L));
    }

    [Theory]
    [MemberData(nameof(Builds))]
    public unsafe void Spans_ref_struct_receivers_ref_returns_and_pointers(string build)
    {
        var b = FixtureBuild.Of(build);
        var elsewhere = new int[1];
        var array = new int[1];
        using (Trap.Patch<CountFn>(Library.Count, (t, c) => t.Length))
        using (Trap.Patch(typeof(TextCursor).GetMethod(nameof(TextCursor.Next))!, (NextFn)((ref TextCursor _) => 'z')))
        using (Trap.Patch<SlotFn>(Library.Slot, (a, i) => ref elsewhere[0]))
        using (Trap.Patch<DerefFn>(Library.Deref, p => *p * 2))
        {
            Assert.Equal(3, b.Call<int>(nameof(Calls.SpanParameter), "abc"));
            Assert.Equal('z', b.Call<char>(nameof(Calls.RefStructReceiver), "ab"));
            // The fixture writes 42 through the returned reference, then reads its own array.
            Assert.Equal(0, b.Call<int>(nameof(Calls.RefReturn), array));
            Assert.Equal(42, elsewhere[0]);
            Assert.Equal(42, b.Call<int>(nameof(Calls.PointerParameter), 21));
        }
        Assert.Equal(1, b.Call<int>(nameof(Calls.SpanParameter), "abc"));
        Assert.Equal('b', b.Call<char>(nameof(Calls.RefStructReceiver), "ab"));
        Assert.Equal(42, b.Call<int>(nameof(Calls.RefReturn), array));
        Assert.Equal(21, b.Call<int>(nameof(Calls.PointerParameter), 21));
    }

    [Theory]
    [MemberData(nameof(Builds))]
    public void Members_of_generic_types_are_redirected_per_instantiation(string build)
    {
        var b = FixtureBuild.Of(build);
        var intBox = new Box<int>(1);
        var stringBox = new Box<string>("s");
        var ofInt = new Box<int>(-1);
        var constructedInt = new Box<int>(-2);
        using (Trap.Patch(typeof(Box<int>).GetProperty(nameof(Box<int>.Value))!.GetMethod!, new Func<Box<int>, int>(_ => 99)))
        using (Trap.When(() => Box<int>.Of(Arg.Any<int>())).Returns(ofInt))
        using (Trap.When(() => new Box<int>(Arg.Any<int>())).Returns(constructedInt))
        using (Trap.When(() => intBox.Map(Arg.Any<Func<int, string>>())).Returns("mapped"))
        {
            Assert.Equal(99, b.Call<int>(nameof(Calls.GenericTypeGetter), intBox));
            Assert.Equal("s", b.Call<string>(nameof(Calls.GenericTypeGetterString), stringBox));
            Assert.Same(ofInt, b.CallGeneric<Box<int>>(nameof(Calls.GenericTypeStatic), new[] { typeof(int) }, 5));
            Assert.Equal("t", b.CallGeneric<Box<string>>(nameof(Calls.GenericTypeStatic), new[] { typeof(string) }, "t").Value);
            Assert.Same(constructedInt, b.CallGeneric<Box<int>>(nameof(Calls.ConstructGeneric), new[] { typeof(int) }, 5));
            Assert.Equal("u", b.CallGeneric<Box<string>>(nameof(Calls.ConstructGeneric), new[] { typeof(string) }, "u").Value);
            Assert.Equal("mapped", b.Call<string>(nameof(Calls.GenericTypeGenericMethod), intBox));
            Assert.Equal("#2", b.Call<string>(nameof(Calls.GenericTypeGenericMethod), new Box<int>(2)));
        }
        using (Trap.Patch(typeof(Box<string>).GetProperty(nameof(Box<string>.Value))!.GetMethod!, new Func<Box<string>, string>(_ => "patched")))
        {
            Assert.Equal("patched", b.Call<string>(nameof(Calls.GenericTypeGetterString), stringBox));
            Assert.Equal(1, b.Call<int>(nameof(Calls.GenericTypeGetter), intBox));
        }
        Assert.Equal("#1", b.Call<string>(nameof(Calls.GenericTypeGenericMethod), intBox));
    }

    [Theory]
    [MemberData(nameof(Builds))]
    public void Generic_methods_and_their_method_groups_per_instantiation(string build)
    {
        var b = FixtureBuild.Of(build);
        using (Trap.When(() => Library.Echo(Arg.Any<int>())).Returns(7))
        using (Trap.When(() => Library.Convert(Arg.Any<int>(), Arg.Any<Func<int, string>>())).Returns("converted"))
        {
            Assert.Equal(7, b.Call<int>(nameof(Calls.GenericInt), 1));
            Assert.Equal("s", b.Call<string>(nameof(Calls.GenericString), "s"));
            Assert.Equal(7, b.CallGeneric<int>(nameof(Calls.GenericFromContext), new[] { typeof(int) }, 1));
            Assert.Equal("t", b.CallGeneric<string>(nameof(Calls.GenericFromContext), new[] { typeof(string) }, "t"));
            Assert.Equal(7, b.Call<Func<int, int>>(nameof(Calls.GenericMethodGroup))(1));
            Assert.Equal("converted", b.Call<string>(nameof(Calls.TwoTypeArguments), 3));
        }
        Assert.Equal(1, b.Call<Func<int, int>>(nameof(Calls.GenericMethodGroup))(1));
        Assert.Equal("3", b.Call<string>(nameof(Calls.TwoTypeArguments), 3));
        Assert.Equal(3, b.Call<int>(nameof(Calls.ConstrainedGeneric)));
    }

    [Theory]
    [MemberData(nameof(Builds))]
    public void Virtual_interface_and_non_virtual_calls_on_one_instance(string build)
    {
        var b = FixtureBuild.Of(build);
        var arranged = new CachedStore("a");
        var other = new Store("b");
        using (Trap.When(() => arranged.Get(1)).Returns("fake"))
        using (Trap.When(() => arranged.Size).Returns(100))
        using (Trap.When(() => arranged.Describe()).Returns("described"))
        using (Trap.When(() => arranged.Name).Returns("renamed"))
        {
            Assert.Equal("fake", b.Call<string>(nameof(Calls.VirtualCall), arranged, 1));
            Assert.Equal("fake", b.Call<string>(nameof(Calls.InterfaceCall), arranged, 1));
            Assert.Equal("fake", b.Call<Func<int, string>>(nameof(Calls.VirtualMethodGroup), arranged)(1));
            Assert.Equal(100, b.Call<int>(nameof(Calls.InterfacePropertyCall), arranged));
            Assert.Equal("described", b.Call<string>(nameof(Calls.NonVirtualCall), arranged));
            Assert.Equal("described", b.Call<Func<string>>(nameof(Calls.NonVirtualMethodGroup), arranged)());
            Assert.Equal("renamed", b.Call<string>(nameof(Calls.PropertyGetter), arranged));
            Assert.Equal("b:1", b.Call<string>(nameof(Calls.VirtualCall), other, 1));
            Assert.Equal("b:2", b.Call<Func<int, string>>(nameof(Calls.VirtualMethodGroup), other)(2));
            Assert.Equal("store b", b.Call<string>(nameof(Calls.NonVirtualCall), other));
        }
        Assert.Equal("cached a:1", b.Call<string>(nameof(Calls.VirtualCall), arranged, 1));

        var named = new List<string>();
        using (Trap.Patch(typeof(Store).GetProperty(nameof(Store.Name))!.SetMethod!, new Action<Store, string>((_, n) => named.Add(n))))
            b.Call<object>(nameof(Calls.PropertySetter), other, "c");
        Assert.Equal(new[] { "c" }, named);
        Assert.Equal("b", other.Name);
    }

    [Theory]
    [MemberData(nameof(Builds))]
    public void Constrained_calls_on_struct_and_class_receivers(string build)
    {
        var b = FixtureBuild.Of(build);
        var gauge = new Gauge(3);
        var store = new Store("s");
        using (Trap.When(() => new Meter(5).Read()).Returns(50))
        using (Trap.When(() => gauge.Read()).Returns(30))
        using (Trap.When(() => store.Get(1)).Returns("constrained"))
        {
            Assert.Equal(50, b.CallGeneric<int>(nameof(Calls.ConstrainedRead), new[] { typeof(Meter) }, new Meter(5)));
            Assert.Equal(6, b.CallGeneric<int>(nameof(Calls.ConstrainedRead), new[] { typeof(Meter) }, new Meter(6)));
            Assert.Equal(30, b.CallGeneric<int>(nameof(Calls.ConstrainedRead), new[] { typeof(Gauge) }, gauge));
            Assert.Equal(30, b.CallGeneric<int>(nameof(Calls.ConstrainedRead), new[] { typeof(IReading) }, gauge));
            Assert.Equal(4, b.CallGeneric<int>(nameof(Calls.ConstrainedRead), new[] { typeof(Gauge) }, new Gauge(4)));
            Assert.Equal("constrained", b.CallGeneric<string>(nameof(Calls.ConstrainedGet), new[] { typeof(Store) }, store, 1));
            Assert.Equal("s:2", b.CallGeneric<string>(nameof(Calls.ConstrainedGet), new[] { typeof(Store) }, store, 2));
        }
        Assert.Equal(5, b.CallGeneric<int>(nameof(Calls.ConstrainedRead), new[] { typeof(Meter) }, new Meter(5)));
        Assert.Equal(3, b.CallGeneric<int>(nameof(Calls.ConstrainedRead), new[] { typeof(Gauge) }, gauge));

        // Constrained calls to framework members outside the redirect set keep their semantics.
        Assert.Equal("Meter(2)", b.CallGeneric<string>(nameof(Calls.ConstrainedToString), new[] { typeof(Meter) }, new Meter(2)));
        Assert.Equal("Store(s)", b.CallGeneric<string>(nameof(Calls.ConstrainedToString), new[] { typeof(Store) }, store));
        Assert.Equal(-1, b.CallGeneric<int>(nameof(Calls.ConstrainedCompare), new[] { typeof(Meter) }, new Meter(1), new Meter(2)));
        Assert.Equal(1, b.CallGeneric<int>(nameof(Calls.ConstrainedCompare), new[] { typeof(string) }, "b", "a"));
    }

    [Theory]
    [MemberData(nameof(Builds))]
    public void Value_type_members_and_constructors_in_place(string build)
    {
        var b = FixtureBuild.Of(build);
        using (Trap.When(() => new Meter(5).Read()).Returns(50))
        using (Trap.When(() => new Meter(5).Reading).Returns(55))
        using (Trap.When(() => new Meter(7)).Returns(new Meter(700)))
        using (Trap.When(() => new Meter(2).Add(1)).Returns(new Meter(10)))
        {
            Assert.Equal(50, b.Call<int>(nameof(Calls.ValueCall), new Meter(5)));
            Assert.Equal(6, b.Call<int>(nameof(Calls.ValueCall), new Meter(6)));
            Assert.Equal(55, b.Call<int>(nameof(Calls.ValueGetter), new Meter(5)));
            Assert.Equal(700, b.Call<int>(nameof(Calls.ValueConstructedInPlace), 7));
            Assert.Equal(8, b.Call<int>(nameof(Calls.ValueConstructedInPlace), 8));
            Assert.Equal(10, b.Call<int>(nameof(Calls.ValueChained), 2));
            Assert.Equal(4, b.Call<int>(nameof(Calls.ValueChained), 3));
        }
        Assert.Equal(7, b.Call<int>(nameof(Calls.ValueConstructedInPlace), 7));
        Assert.Equal(3, b.Call<int>(nameof(Calls.ValueChained), 2));
    }

    [Theory]
    [MemberData(nameof(Builds))]
    public void Constructors_can_return_a_substitute(string build)
    {
        var b = FixtureBuild.Of(build);
        var fake = new Store("fake");
        using (Trap.When(() => new Store("x")).Returns(fake))
        using (Trap.When(() => new Store()).Returns(fake))
        {
            Assert.Same(fake, b.Call<Store>(nameof(Calls.Construct), "x"));
            Assert.Equal("y", b.Call<Store>(nameof(Calls.Construct), "y").Name);
            Assert.Same(fake, b.Call<Store>(nameof(Calls.ConstructDefault)));
        }
        Assert.Equal("default", b.Call<Store>(nameof(Calls.ConstructDefault)).Name);
    }

    [Theory]
    [MemberData(nameof(Builds))]
    public async Task Calls_in_compiler_generated_code(string build)
    {
        var b = FixtureBuild.Of(build);
        using (Trap.Patch<Func<int, int, int>>(Library.Add, (x, y) => x * 10 + y))
        {
            Assert.Equal(new[] { 0, 10, 20 }, b.Call<IEnumerable<int>>(nameof(Calls.InIterator), 3).ToArray());
            Assert.Equal(12, b.Call<int>(nameof(Calls.InLambda), 2));
            Assert.Equal(23, b.Call<int>(nameof(Calls.InLocalFunction), 3));
            Assert.Equal(1 + 11 + 21, b.Call<int>(nameof(Calls.InLinq), 3));
            Assert.Equal(21, await b.Call<Task<int>>(nameof(Calls.InAsyncMethod), 2));
            Assert.Equal(12, b.Call<Func<int, int, int>>(nameof(Calls.StaticMethodGroup))(1, 2));
        }
        Assert.Equal(new[] { 0, 1, 2 }, b.Call<IEnumerable<int>>(nameof(Calls.InIterator), 3).ToArray());
        Assert.Equal(3, b.Call<int>(nameof(Calls.InLambda), 2));
        Assert.Equal(5, b.Call<int>(nameof(Calls.InLocalFunction), 3));
        Assert.Equal(6, b.Call<int>(nameof(Calls.InLinq), 3));
        Assert.Equal(3, await b.Call<Task<int>>(nameof(Calls.InAsyncMethod), 2));
    }

    [Theory]
    [MemberData(nameof(Builds))]
    public unsafe void Static_and_instance_field_initialisers(string build)
    {
        var b = FixtureBuild.Of(build);
        var type = b.Type("Fixtures.Redirects.InitialisedFields");
        int StaticField() => (int)type.GetField("StaticField")!.GetValue(null)!;
        // The runtime runs a static initialiser once per process (here, now); its body is then run
        // again directly, through its entry point, inside and outside the arrangement.
        RuntimeHelpers.RunClassConstructor(type.TypeHandle);
        var staticInitialiser = (delegate* managed<void>)type.TypeInitializer!.MethodHandle.GetFunctionPointer();
        var fixedTime = new DateTime(2002, 3, 4);
        using (Trap.When(() => Library.Add(20, 1)).Returns(99))
        using (Trap.When(() => Library.Add(40, 2)).Returns(98))
        using (Trap.When(() => DateTime.Now).Returns(fixedTime))
        {
            var instance = Activator.CreateInstance(type)!;
            Assert.Equal(98, type.GetField("InstanceField")!.GetValue(instance));
            Assert.Equal(fixedTime, type.GetField("Created")!.GetValue(instance));
            staticInitialiser();
            Assert.Equal(99, StaticField());
        }
        staticInitialiser();
        Assert.Equal(21, StaticField());
        Assert.Equal(42, type.GetField("InstanceField")!.GetValue(Activator.CreateInstance(type)));
    }

    [Theory]
    [MemberData(nameof(Builds))]
    public void A_derived_class_base_constructor_and_base_calls_are_left_alone(string build)
    {
        var b = FixtureBuild.Of(build);
        var derived = b.Type("Fixtures.Redirects.DerivedStore");
        var ctor = derived.GetConstructor(Type.EmptyTypes)!;
        var baseCtor = typeof(Store).GetConstructor(new[] { typeof(string) })!;
        var get = typeof(Store).GetMethod(nameof(Store.Get))!;
        // In the IL: base(...) and base.Get(...) call Store's members themselves, not stubs.
        Assert.Contains(CalledMembers(ctor), m => m == baseCtor);
        Assert.Contains(CalledMembers(derived.GetMethod(nameof(Store.Get))!), m => m == get);

        var fake = new Store("fake");
        using (Trap.When(() => new Store("derived")).Returns(fake))
        using (Trap.Patch(get, new Func<Store, int, string>((s, k) => "patched")))
        {
            var instance = (Store)ctor.Invoke(null);
            Assert.IsType(derived, instance);
            Assert.Equal("derived", instance.Name);
            Assert.Equal("derived derived:1", b.Call<string>(nameof(Calls.VirtualCall), instance, 1));
            // The arrangements are live: a redirected new Store("derived") and Store.Get are taken.
            Assert.Same(fake, b.Call<Store>(nameof(Calls.Construct), "derived"));
            Assert.Equal("patched", b.Call<string>(nameof(Calls.VirtualCall), new Store("s"), 1));
        }
    }

    [Theory]
    [MemberData(nameof(Builds))]
    public void The_default_set_and_left_alone_callers(string build)
    {
        var b = FixtureBuild.Of(build);
        var fixedTime = new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc);
        var missing = Path.Combine(Path.GetTempPath(), "trapweave-missing-" + Guid.NewGuid().ToString("N"));
        using (Trap.When(() => DateTime.Now).Returns(fixedTime))
        using (Trap.When(() => DateTime.UtcNow).Returns(fixedTime))
        using (Trap.When(() => File.Exists(missing)).Returns(true))
        using (Trap.When(() => Library.Add(1, 1)).Returns(100))
        {
            Assert.Equal(fixedTime, b.Call<DateTime>(nameof(Calls.Now)));
            Assert.Equal(fixedTime, b.Call<DateTime>(nameof(Calls.UtcNow)));
            Assert.True(b.Call<bool>(nameof(Calls.FileExists), missing));
            // Left alone by redirect, but Library.Add itself is patched natively: their calls are intercepted too
            // (redirect alone: RedirectedShapesWithoutNativeFallbackTests).
            Assert.Equal(100, b.Call<int>(nameof(Calls.InNoTrapMethod), 1, 1));
            Assert.Equal(100, FixtureBuild.Invoke(b.Type("Fixtures.ExcludedRedirects").GetMethod("Add")!, null, new object[] { 1, 1 }));
        }
        Assert.NotEqual(fixedTime, b.Call<DateTime>(nameof(Calls.UtcNow)));
        Assert.False(b.Call<bool>(nameof(Calls.FileExists), missing));
        Assert.Equal(2, b.Call<int>(nameof(Calls.InNoTrapMethod), 1, 1));
    }

    static IEnumerable<MethodBase> CalledMembers(MethodBase method)
    {
        foreach (var (_, op, operand) in WovenIl.Decode(method.GetMethodBody()!.GetILAsByteArray()!))
            if (op == System.Reflection.Emit.OpCodes.Call || op == System.Reflection.Emit.OpCodes.Callvirt)
                yield return method.Module.ResolveMethod(operand)!;
    }
}

/// <summary>Redirect alone (the native fallback off, process-wide): [NoTrap] and excluded callers are left alone.</summary>
[Collection(NotInParallel.Name)]
public class RedirectedShapesWithoutNativeFallbackTests
{
    [Theory]
    [MemberData(nameof(RedirectedShapesTests.Builds), MemberType = typeof(RedirectedShapesTests))]
    public void The_default_set_and_left_alone_callers(string build)
    {
        using var off = new Native.NativeFallbackOff();
        var b = FixtureBuild.Of(build);
        var fixedTime = new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc);
        var missing = Path.Combine(Path.GetTempPath(), "trapweave-missing-" + Guid.NewGuid().ToString("N"));
        using (Trap.When(() => DateTime.Now).Returns(fixedTime))
        using (Trap.When(() => DateTime.UtcNow).Returns(fixedTime))
        using (Trap.When(() => File.Exists(missing)).Returns(true))
        using (Trap.When(() => Library.Add(1, 1)).Returns(100))
        {
            Assert.Equal(fixedTime, b.Call<DateTime>(nameof(Calls.Now)));
            Assert.Equal(fixedTime, b.Call<DateTime>(nameof(Calls.UtcNow)));
            Assert.True(b.Call<bool>(nameof(Calls.FileExists), missing));
            Assert.Equal(2, b.Call<int>(nameof(Calls.InNoTrapMethod), 1, 1));
            Assert.Equal(2, FixtureBuild.Invoke(b.Type("Fixtures.ExcludedRedirects").GetMethod("Add")!, null, new object[] { 1, 1 }));
        }
        Assert.NotEqual(fixedTime, b.Call<DateTime>(nameof(Calls.UtcNow)));
        Assert.False(b.Call<bool>(nameof(Calls.FileExists), missing));
    }
}
