using Fixtures.Redirects;
using External;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Trapweave.Tests.Native;

/// <summary>
/// Virtual members are patched natively too: calls through a vtable slot or an interface enter their
/// code directly, past the precode, so the jump is written with every other thread held outside its
/// bytes (NativePatch, IWorldStop). Calls from unwoven code, through the interface, boxed or direct,
/// are intercepted, and a redirected call site still meets its registration once.
/// </summary>
public class VirtualMemberTests
{
    static readonly System.Reflection.MethodInfo ToStringWithFormat =
        typeof(BigInteger).GetMethod(nameof(BigInteger.ToString), new[] { typeof(string), typeof(IFormatProvider) })!;

    [Fact]
    public void A_virtual_framework_member_called_through_an_interface_by_unwoven_code_is_intercepted()
    {
        var value = BigInteger.Parse("123456789012345678901234567890");
        Assert.Equal("123456789012345678901234567890", ThroughInterface(value));
        var seen = 0;
        using (Trap.Intercept(ToStringWithFormat, before: call => { seen++; call.Result = "arranged"; }))
        {
            Assert.True(Trap.Explain(ToStringWithFormat).Mechanism.HasFlag(TrapMechanism.Native), Trap.Explain(ToStringWithFormat).ToString());
            Assert.Equal("arranged", ThroughInterface(value));
            Assert.Equal("arranged", value.ToString("D", CultureInfo.InvariantCulture));
        }
        Assert.Equal(2, seen);
        // (Whether the code is still patched depends on other tests' registrations running meanwhile.)
        Assert.Equal("123456789012345678901234567890", ThroughInterface(value));
        Assert.Equal(2, seen);
    }

    [Fact]
    public void A_struct_s_virtual_member_is_intercepted_once_at_redirected_sites_and_in_unwoven_calls_direct_or_boxed()
    {
        var read = typeof(Meter).GetMethod(nameof(Meter.Read))!;
        var explained = Trap.Explain(read);
        Assert.True(explained.Mechanism.HasFlag(TrapMechanism.Redirected), explained.ToString());
        Assert.True(explained.Mechanism.HasFlag(TrapMechanism.Native), explained.ToString());
        object boxed = new Meter(7);
        var calls = 0;
        using (Trap.Intercept(read, before: _ => calls++, after: call => call.Return((int)call.Result! * 10)))
        {
            Assert.Equal(60, RedirectedCalls.ValueCall(new Meter(6)));
            Assert.Equal(1, calls);
            Assert.Equal(70, ReadBoxed(boxed));
            Assert.Equal(80, new Meter(8).Read());
            Assert.Equal(3, calls);
        }
        Assert.Equal(6, RedirectedCalls.ValueCall(new Meter(6)));
        Assert.Equal(7, ReadBoxed(boxed));
        Assert.Equal(8, new Meter(8).Read());
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
