using Fixtures.Redirects;
using External;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Trapweave.Tests.Native;

/// <summary>
/// Virtual members are not patched natively: calls through a vtable slot or an interface enter their
/// code directly, past the precode the patch protocol relies on (2,000 flips under 8 threads calling
/// through the base type crashed every run). Registration says so, or falls back to redirect alone.
/// </summary>
public class VirtualMemberTests
{
    static readonly System.Reflection.MethodInfo ToStringWithFormat =
        typeof(BigInteger).GetMethod(nameof(BigInteger.ToString), new[] { typeof(string), typeof(IFormatProvider) })!;

    [Fact]
    public void A_virtual_framework_member_is_not_patched_natively_and_unwoven_calls_run_it()
    {
        var value = BigInteger.Parse("123456789012345678901234567890");
        var explained = Trap.Explain(ToStringWithFormat);
        Assert.False(explained.Mechanism.HasFlag(TrapMechanism.Native), explained.ToString());
        // Whether a woven assembly loaded by an earlier test redirects it decides between a refusal
        // and redirect alone (the suite's Redirect="System.*" copy of Newtonsoft.Json calls it).
        if (!explained.Mechanism.HasFlag(TrapMechanism.Redirected))
        {
            var e = Assert.Throws<TrapException>(() => Trap.Intercept(ToStringWithFormat, before: _ => { }));
            Assert.Contains("virtual", e.Message);
            Assert.Contains("vtable", e.Message);
        }
        else
        {
            Assert.Contains("virtual", explained.NativeLimits);
            var seen = 0;
            using (Trap.Intercept(ToStringWithFormat, before: _ => seen++))
                Assert.Equal("123456789012345678901234567890", ThroughInterface(value));
            Assert.Equal(0, seen);
        }
        Assert.Equal("123456789012345678901234567890", ThroughInterface(value));
    }

    [Fact]
    public void A_struct_s_virtual_member_is_intercepted_at_redirected_call_sites_only()
    {
        var read = typeof(Meter).GetMethod(nameof(Meter.Read))!;
        var explained = Trap.Explain(read);
        Assert.Equal(TrapMechanism.Redirected, explained.Mechanism);
        Assert.Contains("virtual", explained.NativeLimits);
        object boxed = new Meter(7);
        using (Trap.Intercept(read, before: null, after: call => call.Return((int)call.Result! * 10)))
        {
            Assert.Equal(60, RedirectedCalls.ValueCall(new Meter(6)));
            // Unwoven code's calls, direct or boxed through the interface, run the member itself.
            Assert.Equal(7, ReadBoxed(boxed));
            Assert.Equal(8, new Meter(8).Read());
        }
        Assert.Equal(6, RedirectedCalls.ValueCall(new Meter(6)));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static string ThroughInterface(IFormattable value) => value.ToString("D", CultureInfo.InvariantCulture);

    [MethodImpl(MethodImplOptions.NoInlining)]
    static int ReadBoxed(object value) => ((IReading)value).Read();
}

/// <summary>Value-type receivers of non-virtual members: `this` is the value's address.</summary>
public class StructReceiverTests
{
    [Fact]
    public void A_non_virtual_member_of_a_struct_called_by_unwoven_code_is_intercepted()
    {
        using (Trap.Intercept(typeof(Meter).GetMethod(nameof(Meter.Add))!, call => call.Return(new Meter(42))))
            Assert.Equal(42, AddOne(new Meter(7)).Reading);
        Assert.Equal(8, AddOne(new Meter(7)).Reading);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static Meter AddOne(Meter meter) => meter.Add(1);

}
