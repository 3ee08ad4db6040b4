using System.Runtime.CompilerServices;
using External;
using Fixtures.Redirects;

namespace Trapweave.Tests.Native;

/// <summary>Value-type receivers: `this` is the value's address, and boxed calls must never see a patched body.</summary>
public class ValueReceiverTests
{
    [Fact]
    public void A_non_virtual_member_of_a_struct_called_by_unwoven_code_is_intercepted()
    {
        using (Trap.Intercept(typeof(Meter).GetMethod(nameof(Meter.Add))!, call => call.Return(new Meter(42))))
            Assert.Equal(42, AddOne(new Meter(7)).Reading);
        Assert.Equal(8, AddOne(new Meter(7)).Reading);
    }

    /// <summary>
    /// Patched natively, a struct's virtual member was reached by boxed (interface) calls with the box,
    /// not its data, as `this` (this read -1046566824, not 7): such members are left to redirect.
    /// </summary>
    [Fact]
    public void A_boxed_call_to_a_struct_s_virtual_member_runs_the_original_on_the_right_receiver()
    {
        object boxed = new Meter(7);
        using (Trap.Intercept(typeof(Meter).GetMethod(nameof(Meter.Read))!, call => call.Return(42)))
        {
            Assert.Equal(7, ReadBoxed(boxed));
            Assert.Equal(42, RedirectedCalls.ValueCall(new Meter(6))); // woven code's call site is still redirected
        }
        Assert.Equal(7, ReadBoxed(boxed));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static Meter AddOne(Meter meter) => meter.Add(1);

    [MethodImpl(MethodImplOptions.NoInlining)]
    static int ReadBoxed(object value) => ((IReading)value).Read();
}
