using System;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Trapweave.Internal.Native;

/// <summary>
/// The runtime's "never inline" bit of a method (0x2000 in the 16-bit flags at offset 6 of a
/// MethodDesc on 64-bit, measured on .NET 10): set on a patched method, callers compiled afterwards
/// call it instead of inlining its original code. Checked against a probe before first use.
/// </summary>
internal static unsafe class MethodDescFlags
{
    const int FlagsOffset = 6;
    const ushort NotInline = 0x2000;
    static readonly Lazy<string?> Check = new(SelfCheck);

    /// <summary>Why the bit cannot be used on this runtime, or null.</summary>
    public static string? Unavailable => Check.Value;

    public static void SetNoInlining(MethodBase method)
    {
        if (Check.Value is not null) return;
        // The 16-bit flags are the upper half of the aligned 32-bit word at offset 4 (little-endian):
        // set the bit with a 32-bit compare-and-swap, so concurrent runtime updates are not lost.
        var word = (int*)((byte*)method.MethodHandle.Value + FlagsOffset - 2);
        int old;
        do old = *word;
        while ((old & (NotInline << 16)) == 0 && System.Threading.Interlocked.CompareExchange(ref *word, old | (NotInline << 16), old) != old);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static int NoInliningProbe() => 1;

    static int InliningProbe() => 2;

    static string? SelfCheck()
    {
        if (IntPtr.Size != 8) return "the MethodDesc layout is only known for 64-bit processes";
        RuntimeHelpers.PrepareMethod(typeof(MethodDescFlags).GetMethod(nameof(NoInliningProbe), BindingFlags.NonPublic | BindingFlags.Static)!.MethodHandle);
        var marked = FlagsOf(nameof(NoInliningProbe));
        if ((marked & NotInline) == 0)
            return $"the runtime's MethodDesc layout is not the known one (flags {marked:x4} at offset {FlagsOffset} of a [NoInlining] probe lack 0x{NotInline:x4})";
        // And a method nobody marked (never compiled: the JIT marks bad inlinees it compiles) lacks
        // it: else the bit read is not that flag.
        var unmarked = FlagsOf(nameof(InliningProbe));
        return (unmarked & NotInline) == 0 ? null
            : $"the runtime's MethodDesc layout is not the known one (flags {unmarked:x4} at offset {FlagsOffset} of an inlinable probe have 0x{NotInline:x4} too)";
    }

    static ushort FlagsOf(string probeName)
    {
        var probe = typeof(MethodDescFlags).GetMethod(probeName, BindingFlags.NonPublic | BindingFlags.Static)!;
        return *(ushort*)((byte*)probe.MethodHandle.Value + FlagsOffset);
    }
}
