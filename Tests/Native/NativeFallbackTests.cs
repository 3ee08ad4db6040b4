using System.Threading;
using System.Runtime.CompilerServices;
using External;
using Newtonsoft.Json;
using Trapweave.Internal.Native;

namespace Trapweave.Tests.Native;

/// <summary>Calls from code nobody wove (this test assembly) reach registrations through the native patch.</summary>
public class NativeFallbackTests
{
    [Fact]
    public void The_test_assembly_s_own_call_to_a_framework_member_is_intercepted_per_flow()
    {
        var fixedTime = new DateTime(2031, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        using (Trap.When(() => DateTime.UtcNow).Returns(fixedTime))
        {
            Assert.Equal(fixedTime, ReadUtcNow());
            Assert.Equal(fixedTime, Task.Run(ReadUtcNow).Result);
            // A thread started with the flow suppressed belongs to no flow: it reads the real clock.
            var other = default(DateTime);
            var thread = new Thread(() => other = ReadUtcNow());
            using (ExecutionContext.SuppressFlow()) thread.Start();
            thread.Join();
            Assert.NotEqual(fixedTime, other);
        }
        Assert.NotEqual(fixedTime, ReadUtcNow());
    }

    [Fact]
    public void A_member_of_an_unwoven_library_is_intercepted_and_its_code_restored_exactly()
    {
        var value = typeof(Uncalled).GetMethod(nameof(Uncalled.Value))!;
        using (Trap.Patch<Func<int>>(Uncalled.Value, () => 42))
            Assert.Equal(42, CallValue());
        Assert.Equal(Uncalled.Value(), CallValue());
    }

    [Fact]
    public void A_static_of_an_unwoven_third_party_library_is_arranged_per_flow()
    {
        // Newtonsoft.Json as the test project references it: nobody wove it, and nothing here redirects it.
        var serialize = typeof(JsonConvert).GetMethod(nameof(JsonConvert.SerializeObject), new[] { typeof(object) })!;
        Assert.Equal(TrapMechanism.Native, Trap.Explain(serialize).Mechanism);
        var graph = new { Name = "real", Sizes = new[] { 1, 2 } };
        var real = JsonConvert.SerializeObject(graph);
        using (Trap.When(() => JsonConvert.SerializeObject(Arg.Any<object>())).Returns("{\"arranged\":true}"))
        {
            Assert.Equal("{\"arranged\":true}", JsonConvert.SerializeObject(graph));
            Assert.Equal("{\"arranged\":true}", Task.Run(() => JsonConvert.SerializeObject(graph)).Result);
            var other = "";
            var thread = new Thread(() => other = JsonConvert.SerializeObject(graph));
            using (ExecutionContext.SuppressFlow()) thread.Start();
            thread.Join();
            Assert.Equal(real, other);
        }
        Assert.Equal("{\"Name\":\"real\",\"Sizes\":[1,2]}", JsonConvert.SerializeObject(graph));
    }

    [Fact]
    public void The_user_s_code_inside_a_native_dispatch_sees_other_native_patches()
    {
        var fixedTime = new DateTime(2033, 3, 3, 0, 0, 0, DateTimeKind.Utc);
        var value = typeof(Uncalled).GetMethod(nameof(Uncalled.Value))!;
        using (Trap.When(() => DateTime.UtcNow).Returns(fixedTime))
        {
            // A replacement (compiled handler) reads the clock: the twin's guard is lifted for it.
            using (Trap.Patch<Func<int>>(Uncalled.Value, () => ReadUtcNow().Year))
                Assert.Equal(2033, CallValue());
            // So are an interceptor's Before and After, and the original they wrap.
            var seen = new List<int>();
            var original = Uncalled.Value();
            using (Trap.Intercept(value, before: _ => seen.Add(ReadUtcNow().Year), after: call => call.Result = (int)call.Result! + ReadUtcNow().Month))
                Assert.Equal(original + 3, CallValue());
            Assert.Equal(new[] { 2033 }, seen);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static DateTime ReadUtcNow() => DateTime.UtcNow;

    [MethodImpl(MethodImplOptions.NoInlining)]
    static int CallValue() => Uncalled.Value();
}

/// <summary>The switch: off, a registration on a member nobody wove or redirected throws and says why.</summary>
[Collection(NotInParallel.Name)]
public class NativeFallbackSwitchTests
{
    [Fact]
    public void Turned_off_a_registration_on_an_unwoven_member_throws_with_the_reason()
    {
        Assert.True(Trap.NativeFallback);
        Trap.NativeFallback = false;
        try
        {
            var e = Assert.Throws<TrapException>(() => Trap.Patch<Func<int>>(Uncalled.Value, () => 2));
            Assert.Contains("not patched natively", e.Message);
            Assert.Contains("turned off", e.Message);
            Assert.Equal(TrapMechanism.None, Trap.Explain(typeof(Uncalled).GetMethod(nameof(Uncalled.Value))!).Mechanism);
        }
        finally { Trap.NativeFallback = true; }
        using (Trap.Patch<Func<int>>(Uncalled.Value, () => 2))
            Assert.Equal(2, Uncalled.Value());
        Assert.Equal(TrapMechanism.Native, Trap.Explain(typeof(Uncalled).GetMethod(nameof(Uncalled.Value))!).Mechanism);
    }
}

/// <summary>A call from woven code goes through its redirect stub, then the member itself, which is patched too: it is seen once.</summary>
public class NeverTwiceTests
{
    [Fact]
    public void A_call_from_woven_code_is_recorded_once_and_one_from_unwoven_code_once()
    {
        using var recorder = Trap.Record(typeof(DateTime).GetProperty(nameof(DateTime.UtcNow))!.GetMethod!);
        Fixtures.Redirects.RedirectedCalls.UtcNow();
        Assert.Single(recorder.Calls);
        _ = ReadUtcNow();
        Assert.Equal(2, recorder.Calls.Count);
    }

    [Fact]
    public void A_replacement_wrapping_the_original_runs_once_per_call_from_woven_code()
    {
        var calls = 0;
        var real = default(DateTime);
        using (Trap.Patch(typeof(DateTime).GetProperty(nameof(DateTime.UtcNow))!.GetMethod!, new Func<DateTime>(() =>
               {
                   calls++;
                   real = DateTime.UtcNow; // the original, not this replacement again
                   return real.AddYears(100);
               })))
        {
            var seen = Fixtures.Redirects.RedirectedCalls.UtcNow();
            Assert.Equal(1, calls);
            Assert.Equal(real.AddYears(100), seen);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static DateTime ReadUtcNow() => DateTime.UtcNow;
}
