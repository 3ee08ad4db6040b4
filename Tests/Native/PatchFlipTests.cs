using System.Runtime.CompilerServices;
using System.Threading;
using External;

namespace Trapweave.Tests.Native;

/// <summary>Patching and restoring while 8 threads call the method constantly: no crash, every result the original's or the arrangement's.</summary>
[Collection(NotInParallel.Name)]
public class PatchFlipTests
{
    [Fact]
    public void Two_thousand_flips_under_eight_calling_threads()
    {
        var stop = 0;
        var wrong = 0;
        var calls = 0L;
        var started = new CountdownEvent(8);
        var threads = Enumerable.Range(0, 8).Select(_ => new Thread(() =>
        {
            started.Signal();
            while (Volatile.Read(ref stop) == 0)
            {
                var result = CallFlip(5);
                if (result != 5 && result != -5) Interlocked.Increment(ref wrong);
                Interlocked.Increment(ref calls);
            }
        })).ToList();
        foreach (var thread in threads) thread.Start();
        started.Wait();
        try
        {
            // Global: the calling threads are other flows, and must see the patch while it is on.
            for (var flip = 0; flip < 2000; flip++)
                using (Trap.Global.Patch<Func<int, int>>(Tiering.Flip, x => -x))
                    Assert.Equal(-5, CallFlip(5));
        }
        finally
        {
            Volatile.Write(ref stop, 1);
            foreach (var thread in threads) thread.Join();
        }
        Assert.Equal(0, wrong);
        Assert.True(calls > 2000, $"only {calls} calls ran beside the flips");
        Assert.Equal(5, CallFlip(5));
    }

    // A virtual method is entered through its vtable slot, past the precode: its jump is written with
    // every other thread held outside its bytes. Before that, these flips crashed every run (an access
    // violation in the method). Calls through the base type, through an interface, and straight to the override.
    [Fact]
    public void Two_thousand_flips_of_a_virtual_method_under_eight_threads_calling_through_its_base_and_an_interface()
    {
        var method = typeof(FlipDerived).GetMethod(nameof(FlipDerived.Flip))!;
        var stop = 0;
        var wrong = 0;
        var calls = 0L;
        var started = new CountdownEvent(8);
        var receiver = new FlipDerived();
        var threads = Enumerable.Range(0, 8).Select(i => new Thread(() =>
        {
            started.Signal();
            while (Volatile.Read(ref stop) == 0)
            {
                var result = (i % 3) switch { 0 => CallVirtual(receiver, 5), 1 => CallInterface(receiver, 5), _ => CallSealed(receiver, 5) };
                if (result != 5 && result != -5) Interlocked.Increment(ref wrong);
                Interlocked.Increment(ref calls);
            }
        })).ToList();
        foreach (var thread in threads) thread.Start();
        started.Wait();
        try
        {
            for (var flip = 0; flip < 2000; flip++)
                using (Trap.Global.Intercept(method, before: call => call.Result = -5))
                {
                    if (flip == 0) Assert.True(Trapweave.Internal.Native.NativeFallback.Prepare(method, out _)!.HoldsThreads);
                    Assert.Equal(-5, CallVirtual(receiver, 5));
                    Assert.Equal(-5, CallInterface(receiver, 5));
                }
        }
        finally
        {
            Volatile.Write(ref stop, 1);
            foreach (var thread in threads) thread.Join();
        }
        Assert.Equal(0, wrong);
        Assert.True(calls > 2000, $"only {calls} calls ran beside the flips");
        Assert.Equal(5, CallVirtual(receiver, 5));
        Assert.Equal(5, CallInterface(receiver, 5));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static int CallInterface(IFlip receiver, int x) => receiver.Flip(x);

    [MethodImpl(MethodImplOptions.NoInlining)]
    static int CallSealed(FlipDerived receiver, int x) => receiver.Flip(x);

    [MethodImpl(MethodImplOptions.NoInlining)]
    static int CallVirtual(FlipBase receiver, int x) => receiver.Flip(x);

    [MethodImpl(MethodImplOptions.NoInlining)]
    static int CallFlip(int x) => Tiering.Flip(x);
}
