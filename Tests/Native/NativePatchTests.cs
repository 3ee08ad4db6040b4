using System.Threading;
using System.IO;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using External;
using Trapweave.Internal.Native;

namespace Trapweave.Tests.Native;

/// <summary>What a native patch writes, and what it refuses.</summary>
public class NativePatchTests
{
    [Fact]
    public unsafe void Restoring_puts_back_the_original_bytes_exactly_and_code_is_never_left_writable()
    {
        var method = typeof(NativeShapes).GetMethod(nameof(NativeShapes.Swap))!;
        var body = NativePlatform.Architecture.BodyOf(method);
        var before = new ReadOnlySpan<byte>((void*)body, 16).ToArray();
        using (Trap.Intercept(method, before: _ => { }))
        {
            var patched = new ReadOnlySpan<byte>((void*)body, 16).ToArray();
            Assert.Equal(0xE9, patched[0]);                 // jmp rel32 to the thunk
            Assert.Equal(before[5..], patched[5..]);         // nothing past the jump is touched
            Assert.False(IsWritable(body), "a patched code page was left writable");
        }
        Assert.Equal(before, new ReadOnlySpan<byte>((void*)body, 16).ToArray());
        Assert.False(IsWritable(body), "a restored code page was left writable");
    }

    // A body that is only a tail call starts like a stub (a jump through memory, here through
    // Target's precode cell). Taken for one, it led to Target's body: Forward's patch went there, and
    // Forward's original, calling Target, re-entered Forward's twin without end (a stack overflow
    // seen on .NET 8 with Expression.Call, whose tiered-up code is such a tail call).
    [Fact]
    public unsafe void A_body_that_is_only_a_tail_call_is_patched_itself_not_its_callee()
    {
        var forward = typeof(TailCalls).GetMethod(nameof(TailCalls.Forward))!;
        var target = typeof(TailCalls).GetMethod(nameof(TailCalls.Target))!;
        Assert.Equal(2, TailCalls.Target(1));   // compiled first: the tail call leads to its code
        var body = NativePlatform.Architecture.BodyOf(forward);
        Assert.Equal(new byte[] { 0xFF, 0x25 }, new ReadOnlySpan<byte>((void*)body, 2).ToArray()); // the premise: jmp [rip+x]
        Assert.NotEqual(NativePlatform.Architecture.BodyOf(target), body);
        var seen = 0;
        using (Trap.Intercept(forward, before: _ => seen++))
        {
            Assert.Equal(2, TailCalls.Forward(1));
            Assert.Equal(3, TailCalls.Target(2));
        }
        Assert.Equal(1, seen);
        Assert.Equal(2, TailCalls.Forward(1));
    }

    // The runtime does not version it: callers compiled after it call its code directly, not its
    // precode, so the jump is written with every other thread held, as for a virtual member.
    [Fact]
    public void A_method_the_runtime_does_not_version_is_patched_with_threads_held()
    {
        var triple = typeof(Unversioned).GetMethod(nameof(Unversioned.Triple))!;
        Assert.Equal(9, CallTriple(3));
        using (Trap.Intercept(triple, before: call => call.Result = -1))
        {
            Assert.True(Trap.Explain(triple).IsNativelyPatched, Trap.Explain(triple).ToString());
            Assert.True(NativeFallback.Prepare(triple, out _)!.HoldsThreads);
            Assert.Equal(-1, CallTriple(3));
        }
        Assert.Equal(9, CallTriple(3));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static int CallTriple(int x) => Unversioned.Triple(x);

    [Fact]
    public void A_method_without_IL_is_refused_with_the_reason()
    {
        // An internal call: the runtime implements it, there is no IL to run as the original.
        var cbrt = typeof(Math).GetMethod(nameof(Math.Cbrt), new[] { typeof(double) })!;
        Assert.Null(cbrt.GetMethodBody());
        var e = Assert.Throws<TrapException>(() => Trap.Patch(cbrt, new Func<double, double>(x => x)));
        Assert.Contains("no IL", e.Message);
    }

    [Fact]
    public void A_generic_method_is_refused_with_the_reason()
    {
        var identity = typeof(NativeShapes).GetMethod(nameof(NativeShapes.Identity))!.MakeGenericMethod(typeof(string));
        var e = Assert.Throws<TrapException>(() => Trap.Patch(identity, new Func<string, string>(x => x)));
        Assert.Contains("generic", e.Message);
    }

    [Fact]
    public void A_method_group_delegate_made_in_unwoven_code_is_intercepted()
    {
        Func<string, string> read = File.ReadAllText;
        var path = Path.Combine(Path.GetTempPath(), "trapweave-native-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(path, "real");
        try
        {
            using (Trap.When(() => File.ReadAllText(Arg.Any<string>())).Returns("arranged"))
                Assert.Equal("arranged", read(path));
            Assert.Equal("real", read(path));
        }
        finally { File.Delete(path); }
    }

    static readonly System.Reflection.MethodInfo TickCount64 = typeof(Environment).GetProperty(nameof(Environment.TickCount64))!.GetMethod!;

#if NET10_0_OR_GREATER
    [Fact]
    public void Environment_TickCount64_is_arranged_per_flow()
    {
        Assert.True(Trap.Explain(TickCount64).Mechanism.HasFlag(TrapMechanism.Native), Trap.Explain(TickCount64).ToString());
        using (Trap.When(() => Environment.TickCount64).Returns(42))
        {
            Assert.Equal(42, ReadTicks());
            long other = 0;
            var thread = new Thread(() => other = ReadTicks());
            using (ExecutionContext.SuppressFlow()) thread.Start();
            thread.Join();
            Assert.NotEqual(42, other);
        }
    }
#else
    [Fact]
    public void Environment_TickCount64_is_arranged_for_woven_callers_only_and_Explain_says_why()
    {
        Assert.True(TickCount64.MethodImplementationFlags.HasFlag(System.Reflection.MethodImplAttributes.InternalCall), RuntimeLimits.TickCount64IsInternalCall);
        var explained = Trap.Explain(TickCount64);
        Assert.Equal(TrapMechanism.Redirected, explained.Mechanism);
        Assert.Contains("internal call", explained.NativeLimits);
        Assert.Contains("arrange the woven member that makes them", explained.ToString());
        using (Trap.When(() => Environment.TickCount64).Returns(42))
        {
            Assert.Equal(42, Fixtures.Redirects.DefaultSetCalls.TickCount64());
            Assert.NotEqual(42, ReadTicks());
        }
    }
#endif

    [MethodImpl(MethodImplOptions.NoInlining)]
    static long ReadTicks() => Environment.TickCount64;

    /// <summary>Whether the page holding <paramref name="address"/> is mapped writable (/proc/self/maps).</summary>
    static bool IsWritable(IntPtr address)
    {
        if (!OperatingSystem.IsLinux()) return false;
        var at = (ulong)address;
        foreach (var line in File.ReadLines("/proc/self/maps"))
        {
            var dash = line.IndexOf('-');
            var space = line.IndexOf(' ');
            var start = Convert.ToUInt64(line[..dash], 16);
            var end = Convert.ToUInt64(line[(dash + 1)..space], 16);
            if (at >= start && at < end) return line[space + 2] == 'w';
        }
        return false;
    }
}
