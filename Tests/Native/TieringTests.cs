using System.Threading;
using System.Runtime.CompilerServices;
using External;
using Trapweave.Internal.Native;

namespace Trapweave.Tests.Native;

/// <summary>
/// A native patch survives tiered compilation: the JIT hook keeps the runtime from replacing the
/// patched code with a new tier. The canary shows the hook is what does it: bypassed, the patch is lost.
/// </summary>
[Collection(NotInParallel.Name)]
public class TieringTests
{
    [Fact]
    public void A_patch_survives_tier_up()
    {
        using (Trap.Patch<Func<int, int>>(Tiering.Hot, x => -x))
        {
            var lost = CallPastTierUp();
            Assert.Equal(0, lost);
        }
        Assert.Equal(3, CallHot(3));
    }

    [Fact]
    public void Without_the_JIT_hook_tier_up_loses_the_patch()
    {
        JitHook.Bypass = true;
        try
        {
            using (Trap.Patch<Func<int, int>>(Tiering.HotCanary, x => -x))
            {
                var lost = CallPastTierUp(canary: true);
                var entry = typeof(Tiering).GetMethod(nameof(Tiering.HotCanary))!.MethodHandle.GetFunctionPointer();
                Assert.True(lost > 0, $"the patch survived without the hook (entry {entry:x}, body {NativePlatform.Architecture.BodyOf(typeof(Tiering).GetMethod(nameof(Tiering.HotCanary))!):x}): the canary no longer shows what the hook is for");
            }
        }
        finally { JitHook.Bypass = false; }
    }

    /// <summary>40 rounds of 2,000 calls with real pauses between them (tiering promotes methods called 30 times, after 100 ms); the calls that got the original.</summary>
    static int CallPastTierUp(bool canary = false)
    {
        var lost = 0;
        for (var round = 0; round < (canary ? 120 : 40); round++)
        {
            for (var i = 1; i <= 2000; i++)
                if ((canary ? CallCanary(i) : CallHot(i)) == i) lost++;
            // Not synchronisation: the runtime's tiering works on a timer; the test must outlast it.
            Thread.Sleep(25);
        }
        return lost;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static int CallHot(int x) => Tiering.Hot(x);

    [MethodImpl(MethodImplOptions.NoInlining)]
    static int CallCanary(int x) => Tiering.HotCanary(x);
}
