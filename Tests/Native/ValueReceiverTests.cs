using Fixtures.Redirects;
using External;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Trapweave.Tests.Native;

/// <summary>A .NET value type's instance method, natively patched: direct, through an interface (unboxing stub) and via the original.</summary>
public class ValueReceiverTests
{
    static readonly System.Reflection.MethodInfo ToStringWithFormat =
        typeof(BigInteger).GetMethod(nameof(BigInteger.ToString), new[] { typeof(string), typeof(IFormatProvider) })!;

    // Reflection hands out a struct's virtual methods as their unboxing stubs: patching the stub
    // instead of the method once sent interface calls to the twin with an unadjusted `this` (a crash).
    [Fact]
    public void A_pass_through_interceptor_on_a_struct_method_keeps_its_results()
    {
        var value = BigInteger.Parse("123456789012345678901234567890");
        var expected = value.ToString("D", CultureInfo.InvariantCulture);
        var seen = 0;
        using (Trap.Intercept(ToStringWithFormat, before: _ => seen++))
        {
            Assert.Equal(expected, Direct(value));
            Assert.Equal(expected, ThroughInterface(value));
        }
        Assert.Equal(2, seen);
        Assert.Equal(expected, Direct(value));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static string Direct(BigInteger value) => value.ToString("D", CultureInfo.InvariantCulture);

    [MethodImpl(MethodImplOptions.NoInlining)]
    static string ThroughInterface(IFormattable value) => value.ToString("D", CultureInfo.InvariantCulture);
}

public class SmallValueReceiverTests
{
    [Fact]
    public void A_small_struct_method_reached_through_its_interface()
    {
        var read = typeof(External.Meter).GetMethod(nameof(External.Meter.Read))!;
        var seen = 0;
        using (Trap.Intercept(read, before: _ => seen++))
        {
            Assert.Equal(7, Direct(new External.Meter(7)));
            Assert.Equal(8, ThroughInterface(new External.Meter(8)));
        }
        Assert.Equal(2, seen);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static int Direct(External.Meter meter) => meter.Read();

    [MethodImpl(MethodImplOptions.NoInlining)]
    static int ThroughInterface(External.IReading reading) => reading.Read();
}

/// <summary>Value-type receivers: `this` is the value's address, and boxed calls must never see a patched body.</summary>
public class StructReceiverTests
{
    [Fact]
    public void A_non_virtual_member_of_a_struct_called_by_unwoven_code_is_intercepted()
    {
        using (Trap.Intercept(typeof(Meter).GetMethod(nameof(Meter.Add))!, call => call.Return(new Meter(42))))
            Assert.Equal(42, AddOne(new Meter(7)).Reading);
        Assert.Equal(8, AddOne(new Meter(7)).Reading);
    }

    /// <summary>
    /// A boxed (interface) call to a struct's virtual member reaches the patch behind the unboxing
    /// stub, with the value (not the box) as its receiver; woven code's call site is redirected too.
    /// </summary>
    [Fact]
    public void A_boxed_call_to_a_struct_s_virtual_member_is_intercepted_on_the_right_receiver()
    {
        object boxed = new Meter(7);
        using (Trap.Intercept(typeof(Meter).GetMethod(nameof(Meter.Read))!, before: null, after: call => call.Return((int)call.Result! * 10)))
        {
            Assert.Equal(70, ReadBoxed(boxed));
            Assert.Equal(60, RedirectedCalls.ValueCall(new Meter(6)));
        }
        Assert.Equal(7, ReadBoxed(boxed));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static Meter AddOne(Meter meter) => meter.Add(1);

    [MethodImpl(MethodImplOptions.NoInlining)]
    static int ReadBoxed(object value) => ((IReading)value).Read();
}
