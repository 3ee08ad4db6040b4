using External;
using Fixtures.Redirects;

namespace Trapweave.Tests.Redirect;

/// <summary>Every call shape of <see cref="RedirectedCalls"/>: arranged on the external member, seen through the woven caller.</summary>
public class RedirectedCallsTests
{
    [Fact]
    public void A_static_call_is_redirected()
    {
        Assert.Equal(3, RedirectedCalls.StaticCall(1, 2));
        using (Trap.When(() => Library.Add(1, 2)).Returns(30))
        {
            Assert.Equal(30, RedirectedCalls.StaticCall(1, 2));
            Assert.Equal(5, RedirectedCalls.StaticCall(2, 3));
            // The test assembly itself is not woven: its own call is intercepted through the native patch.
            Assert.Equal(30, Library.Add(1, 2));
        }
        Assert.Equal(3, RedirectedCalls.StaticCall(1, 2));
        Assert.Equal(3, Library.Add(1, 2));
        // The woven caller's call site goes through a redirect stub (redirect alone: RedirectedCallsWithoutNativeFallbackTests).
        var explanation = Trap.Explain(typeof(Library).GetMethod(nameof(Library.Add))!);
        Assert.Contains(explanation.Redirects, r => r.Assembly == typeof(RedirectedCalls).Assembly && r.CallSites > 0);
    }

    [Fact]
    public void A_patch_replaces_a_static_member()
    {
        using (Trap.Patch<Func<int, int, int>>(Library.Add, (a, b) => a * b))
            Assert.Equal(12, RedirectedCalls.StaticCall(3, 4));
    }

    [Fact]
    public void The_default_set_redirects_the_clock()
    {
        var fixedTime = new DateTime(2001, 2, 3, 4, 5, 6);
        using (Trap.When(() => DateTime.Now).Returns(fixedTime))
            Assert.Equal(fixedTime, RedirectedCalls.Now());
        Assert.NotEqual(fixedTime, RedirectedCalls.Now());
    }

    [Fact]
    public void A_virtual_call_on_one_instance()
    {
        var arranged = new Store("a");
        var other = new Store("b");
        using (Trap.When(() => arranged.Get(1)).Returns("fake"))
        {
            Assert.Equal("fake", RedirectedCalls.VirtualCall(arranged, 1));
            Assert.Equal("fake", RedirectedCalls.InterfaceCall(arranged, 1));
            Assert.Equal("b:1", RedirectedCalls.VirtualCall(other, 1));
        }
    }

    [Fact]
    public void A_virtual_override_on_one_instance_through_the_base_call_site()
    {
        var arranged = new CachedStore("a");
        using (Trap.When(() => arranged.Get(1)).Returns("fake"))
        {
            Assert.Equal("fake", RedirectedCalls.VirtualCall(arranged, 1));
            Assert.Equal("fake", RedirectedCalls.InterfaceCall(arranged, 1));
            Assert.Equal("cached b:1", RedirectedCalls.VirtualCall(new CachedStore("b"), 1));
        }
    }

    [Fact]
    public void A_patch_on_an_override_sees_only_receivers_that_run_it()
    {
        var get = typeof(CachedStore).GetMethod(nameof(CachedStore.Get))!;
        using (Trap.Patch(get, new Func<CachedStore, int, string>((s, k) => "patched " + s.Name)))
        {
            Assert.Equal("patched a", RedirectedCalls.VirtualCall(new CachedStore("a"), 1));
            Assert.Equal("patched a", RedirectedCalls.InterfaceCall(new CachedStore("a"), 1));
            Assert.Equal("b:1", RedirectedCalls.VirtualCall(new Store("b"), 1));
        }
    }

    [Fact]
    public void A_constructor_can_return_a_substitute()
    {
        var fake = new Store("fake");
        using (Trap.When(() => new Store("x")).Returns(fake))
        {
            Assert.Same(fake, RedirectedCalls.Construct("x"));
            Assert.Equal("y", RedirectedCalls.Construct("y").Name);
        }
    }

    [Fact]
    public void A_generic_method_is_redirected_per_instantiation()
    {
        using (Trap.When(() => Library.Echo(Arg.Any<int>())).Returns(7))
        {
            Assert.Equal(7, RedirectedCalls.GenericInt(1));
            Assert.Equal(7, RedirectedCalls.GenericFromContext(1));
            Assert.Equal("s", RedirectedCalls.GenericString("s"));
            Assert.Equal("t", RedirectedCalls.GenericFromContext("t"));
        }
    }

    [Fact]
    public void A_value_type_member_is_redirected()
    {
        using (Trap.When(() => new Meter(5).Read()).Returns(50))
        {
            Assert.Equal(50, RedirectedCalls.ValueCall(new Meter(5)));
            Assert.Equal(6, RedirectedCalls.ValueCall(new Meter(6)));
        }
    }

    [Fact]
    public void Method_groups_are_redirected()
    {
        using (Trap.When(() => Library.Add(1, 1)).Returns(9))
            Assert.Equal(9, RedirectedCalls.StaticMethodGroup()(1, 1));
        var store = new Store("s");
        using (Trap.When(() => store.Get(2)).Returns("group"))
            Assert.Equal("group", RedirectedCalls.VirtualMethodGroup(store)(2));
        using (Trap.When(() => store.Describe()).Returns("described"))
            Assert.Equal("described", RedirectedCalls.NonVirtualMethodGroup(store)());
    }

    [Fact]
    public async Task Calls_in_async_methods_are_redirected()
    {
        using (Trap.When(() => Library.Add(1, 1)).Returns(100))
            Assert.Equal(100, await RedirectedCalls.InAsyncMethod(1));
    }

    [Fact]
    public void NoTrap_and_excluded_callers_are_not_redirected_but_reach_the_native_patch()
    {
        using (Trap.When(() => Library.Add(1, 1)).Returns(100))
        {
            Assert.Equal(100, RedirectedCalls.InNoTrapMethod(1, 1));
            Assert.Equal(100, Fixtures.ExcludedRedirects.Add(1, 1));
            Assert.Equal(100, RedirectedCalls.StaticCall(1, 1));
        }
        Assert.Equal(2, RedirectedCalls.InNoTrapMethod(1, 1));
    }
}

/// <summary>Redirect alone (the native fallback off, process-wide): only woven call sites reach a registration on an unwoven member.</summary>
[Collection(NotInParallel.Name)]
public class RedirectedCallsWithoutNativeFallbackTests
{
    [Fact]
    public void A_static_call_is_redirected()
    {
        using var off = new Native.NativeFallbackOff();
        using (Trap.When(() => Library.Add(1, 2)).Returns(30))
        {
            Assert.Equal(30, RedirectedCalls.StaticCall(1, 2));
            // The test assembly itself is not woven: without the fallback its own call runs the real member.
            Assert.Equal(3, Library.Add(1, 2));
        }
    }

    [Fact]
    public void NoTrap_and_excluded_callers_are_not_redirected()
    {
        using var off = new Native.NativeFallbackOff();
        using (Trap.When(() => Library.Add(1, 1)).Returns(100))
        {
            Assert.Equal(2, RedirectedCalls.InNoTrapMethod(1, 1));
            Assert.Equal(2, Fixtures.ExcludedRedirects.Add(1, 1));
            Assert.Equal(100, RedirectedCalls.StaticCall(1, 1));
        }
    }

    [Fact]
    public void Record_sees_calls_from_woven_code_with_their_arguments_and_results()
    {
        using var off = new Native.NativeFallbackOff();
        using var recorder = Trap.Record(typeof(Library).GetMethod(nameof(Library.Add))!);
        RedirectedCalls.StaticCall(2, 5);
        Library.Add(100, 100); // from unwoven code: not seen without the fallback
        Assert.Equal(new object[] { 2, 5 }, recorder.Calls.Single().Arguments);
    }
}

/// <summary>Recording, interceptors and process-wide registrations on redirected members.</summary>
public class RedirectedRegistrationKindsTests
{
    [Fact]
    public void Record_sees_calls_from_woven_code_with_their_arguments_and_results()
    {
        using var recorder = Trap.Record(typeof(Library).GetMethod(nameof(Library.Add))!);
        RedirectedCalls.StaticCall(2, 5);
        RedirectedCalls.InLambda(4);
        Library.Add(100, 100); // from unwoven code: seen through the native patch, once
        Assert.Equal(3, recorder.Calls.Count);
        Assert.Equal(new object[] { 2, 5 }, recorder.Calls[0].Arguments);
        Assert.Equal(7, recorder.Calls[0].Result);
        Assert.Equal(new object[] { 1, 4 }, recorder.Calls[1].Arguments);
        Assert.Equal(new object[] { 100, 100 }, recorder.Calls[2].Arguments);
        Assert.Equal(200, recorder.Calls[2].Result);
    }

    [Fact]
    public void An_interceptor_sees_the_receiver_and_can_change_the_result()
    {
        var store = new Store("s");
        object seen = null;
        using (Trap.Intercept(typeof(Store).GetMethod(nameof(Store.Get))!, before: null, after: call =>
               {
                   seen = call.Instance;
                   call.Return("after:" + call.Result);
               }))
        {
            Assert.Equal("after:s:3", RedirectedCalls.VirtualCall(store, 3));
        }
        Assert.Same(store, seen);
    }

    [Fact]
    public void A_global_registration_is_seen_by_other_flows_and_ends_exactly()
    {
        using (Trap.Global.When(() => Library.Add(40, 2)).Returns(-1))
        {
            Assert.Equal(-1, Task.Run(() => RedirectedCalls.StaticCall(40, 2)).Result);
            Assert.Equal(-1, RedirectedCalls.StaticCall(40, 2));
        }
        Assert.Equal(42, RedirectedCalls.StaticCall(40, 2));
    }

    [Fact]
    public void A_replacement_can_call_the_original_without_recursing()
    {
        using (Trap.Patch<Func<int, int, int>>(Library.Add, (a, b) => RedirectedCalls.StaticCall(a, b) * 10))
            Assert.Equal(30, RedirectedCalls.StaticCall(1, 2));
    }
}
