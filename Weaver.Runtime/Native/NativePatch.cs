using System;
using System.Reflection;
using System.Threading;

namespace Trapweave.Internal.Native;

/// <summary>
/// One member's jump patch: its compiled body starts with a near jump (x64: <c>jmp rel32</c>) to a thunk that
/// jumps to the twin's entry point, while any registration on it is alive.
/// </summary>
/// <remarks>
/// Writing a jump over code other threads are running is safe only in this order (measured,
/// ../shared/design/native-detour.md): the member's precode is pointed at the thunk first (a data
/// write: new calls take the thunk), a gen-0 collection then waits for every thread to reach a
/// safe point (a method's first bytes are not one, so no thread is still in them), the body's
/// aligned 8 bytes are swapped in one compare-and-swap, and the precode is pointed back at the
/// body. Undoing is one compare-and-swap back. Thunks are never freed: a thread may still be in one.
/// </remarks>
internal sealed unsafe class NativePatch
{
    readonly ICodeWriter _writer;
    readonly IntPtr _body;
    readonly IntPtr* _precodeSlot;
    readonly IntPtr _thunk;
    readonly long _original;
    readonly long _patched;
    int _applied;

    NativePatch(ICodeWriter writer, IntPtr body, IntPtr* precodeSlot, IntPtr thunk, long original, long patched)
    {
        _writer = writer;
        _body = body;
        _precodeSlot = precodeSlot;
        _thunk = thunk;
        _original = original;
        _patched = patched;
    }

    public IntPtr Body => _body;

    /// <summary>Prepares (but does not apply) a patch of <paramref name="member"/> jumping to <paramref name="twinEntry"/>.</summary>
    public static NativePatch Prepare(MethodBase member, IntPtr twinEntry, IArchitecture architecture, ICodeWriter writer, ThunkPages thunks)
    {
        var body = architecture.BodyOf(member);
        var word = body & ~7;
        var offset = (int)(body - word);
        var length = architecture.NearJumpLength;
        if (offset + length > 8)
            throw new TrapException($"Cannot patch {TrapTarget.Describe(member)} natively: its code starts at an address ({body:x}) whose first {length} bytes span two aligned words.");
        if (!architecture.HasRoomForJump(body))
            throw new TrapException($"Cannot patch {TrapTarget.Describe(member)} natively: its compiled code is shorter than the {length}-byte jump a patch writes.");
        // Checks the precode's shape (throwing before anything is written when it is unknown).
        var precode = architecture.PrecodeSlotOf(member);
        // Without a precode every caller enters the code itself: nothing keeps threads out of the
        // bytes the jump overwrites (a method the runtime does not version, e.g. [AggressiveOptimization]).
        if (precode is null)
            throw new TrapException($"Cannot patch {TrapTarget.Describe(member)} natively: its callers enter its compiled code directly (it has no precode, so the runtime does not version it), and a patch could not be written safely while other threads call it. Arrange the member that calls it, or make the calls from woven code (redirected call sites).");
        var thunk = thunks.Allocate(body, architecture.JumpAnywhere(twinEntry));
        var original = *(long*)word;
        var bytes = BitConverter.GetBytes(original);
        architecture.JumpNear(body, thunk).CopyTo(bytes, offset);
        return new NativePatch(writer, body, precode, thunk, original, BitConverter.ToInt64(bytes));
    }

    public void Apply()
    {
        if (Interlocked.Exchange(ref _applied, 1) == 1) return;
        // The runtime writes the precode too (call counting installs and removes its stubs from the
        // tiering thread): if it did so after the redirect, calls took the body again before the
        // barrier ended, and a thread may still be inside its first bytes. Redirect and wait again
        // until the precode held the thunk for a whole barrier (seen on .NET 8: an access violation
        // in a body patched while 8 threads called it). What the runtime wrote is what is restored.
        // The last check is made with the page already writable, right before the swap.
        var restore = Interlocked.Exchange(ref *_precodeSlot, _thunk);
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                GC.Collect(0);
                if (Swap(_original, _patched, whilePrecodeIsThunk: true)) break;
                var seen = Volatile.Read(ref *_precodeSlot);
                restore = seen;
                if (attempt == 16)
                    throw new TrapException($"Could not patch the code at {_body:x} natively: the runtime kept rewriting its precode (tiered compilation); nothing was written.");
                Interlocked.CompareExchange(ref *_precodeSlot, _thunk, seen);
            }
        }
        catch
        {
            // Nothing of the patch is left: the body is as it was, the precode as the runtime set it.
            Interlocked.CompareExchange(ref *_precodeSlot, restore, _thunk);
            Volatile.Write(ref _applied, 0);
            throw;
        }
        Interlocked.CompareExchange(ref *_precodeSlot, restore, _thunk);
    }

    public void Undo()
    {
        if (Interlocked.Exchange(ref _applied, 0) == 0) return;
        Swap(_patched, _original);
    }

    /// <summary>Whether the body's first bytes are exactly the original ones (after <see cref="Undo"/>).</summary>
    public bool IsRestored => *(long*)(_body & ~7) == _original;

    /// <summary>
    /// Held around every write to the runtime's code: two members' bodies may share a page, and one
    /// patch making it read-execute again while another writes there would fault the writer.
    /// </summary>
    internal static readonly object WriteGate = new();

    /// <summary>Swaps the body's word; false (nothing written) when <paramref name="whilePrecodeIsThunk"/> and the precode no longer holds the thunk.</summary>
    bool Swap(long expected, long value, bool whilePrecodeIsThunk = false)
    {
        var word = (long*)(_body & ~7);
        lock (WriteGate)
        {
            _writer.Protect(_body & ~7, 8, writable: true);
            try
            {
                if (whilePrecodeIsThunk && Volatile.Read(ref *_precodeSlot) != _thunk) return false;
                var seen = Interlocked.CompareExchange(ref *word, value, expected);
                if (seen != expected)
                    throw new TrapException($"The code at {(IntPtr)word:x} changed under a native patch (found {seen:x16}, expected {expected:x16}); it was left as found.");
                return true;
            }
            finally { _writer.Protect(_body & ~7, 8, writable: false); }
        }
    }
}
