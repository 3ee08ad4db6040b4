using System.Runtime.CompilerServices;
using External;

namespace Trapweave.Tests.Native;

/// <summary>
/// The native twin has the member's own calling shape: a hidden return buffer after <c>this</c>, a
/// value type's receiver by reference, and by-reference parameters all arrive where its callers put them.
/// </summary>
public class AbiCornersTests
{
    [Fact]
    public void An_instance_method_returning_a_large_struct()
    {
        var shapes = new NativeShapes();
        var make = typeof(NativeShapes).GetMethod(nameof(NativeShapes.MakeBig))!;
        using (Trap.Patch(make, new Func<NativeShapes, long, Big>((self, seed) => new Big(seed * 1000 + self.Offset))))
        {
            var big = CallMakeBig(shapes, 7);
            Assert.Equal((7000 + 100, 7001 + 100, 7002 + 100, 7003 + 100), (big.A, big.B, big.C, big.D));
        }
        Assert.Equal(107, CallMakeBig(shapes, 7).A);
        // Through the original, from inside an interceptor: the clone gets the receiver and the buffer right.
        using (Trap.Intercept(make, before: null, after: call => { }))
        {
            var big = CallMakeBig(shapes, 1);
            Assert.Equal((101, 102, 103, 104), (big.A, big.B, big.C, big.D));
        }
    }

    [Fact]
    public void A_static_method_returning_a_large_struct()
    {
        using (Trap.When(() => NativeShapes.MakeBigStatic(Arg.Any<long>())).Returns(new Big(-10)))
            Assert.Equal(-7, CallMakeBigStatic(3).D);
        Assert.Equal(6, CallMakeBigStatic(3).D);
    }

    [Fact]
    public void A_value_type_receiver_is_changed_in_place()
    {
        var tally = new Tally();
        var next = typeof(Tally).GetMethod(nameof(Tally.Next))!;
        using (Trap.Intercept(next, before: null, after: call => call.Return((int)call.Result! * 10)))
        {
            Assert.Equal(10, CallNext(ref tally));
            Assert.Equal(20, CallNext(ref tally));
        }
        Assert.Equal(2, tally.Count);
        Assert.Equal(3, CallNext(ref tally));
    }

    [Fact]
    public void Out_and_ref_parameters_are_written_back()
    {
        using (Trap.Intercept(typeof(NativeShapes).GetMethod(nameof(NativeShapes.TryDouble))!, before: call => call.Arguments[0] = 21))
        {
            Assert.True(CallTryDouble(5, out var doubled));
            Assert.Equal(42, doubled);
        }
        int a = 1, b = 2;
        using (Trap.Intercept(typeof(NativeShapes).GetMethod(nameof(NativeShapes.Swap))!, before: call => call.Arguments[0] = 9))
            CallSwap(ref a, ref b);
        Assert.Equal((2, 9), (a, b));
    }

    [MethodImpl(MethodImplOptions.NoInlining)] static Big CallMakeBig(NativeShapes s, long seed) => s.MakeBig(seed);
    [MethodImpl(MethodImplOptions.NoInlining)] static Big CallMakeBigStatic(long seed) => NativeShapes.MakeBigStatic(seed);
    [MethodImpl(MethodImplOptions.NoInlining)] static int CallNext(ref Tally t) => t.Next();
    [MethodImpl(MethodImplOptions.NoInlining)] static bool CallTryDouble(int x, out int y) => NativeShapes.TryDouble(x, out y);
    [MethodImpl(MethodImplOptions.NoInlining)] static void CallSwap(ref int a, ref int b) => NativeShapes.Swap(ref a, ref b);
}
