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
