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
/// body. Callers that do not come through the precode (a virtual member's vtable slots and
/// interface dispatch caches; callers of code the runtime does not version) would not be kept out:
/// for those the swap is made with every other thread held outside the jump's bytes
/// (<see cref="IWorldStop"/>). Undoing is one compare-and-swap back (the jump is one instruction:
/// no thread is ever inside it). Thunks are never freed: a thread may still be in one.
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

    readonly int _jumpLength;
    readonly IWorldStop _stop;

    NativePatch(ICodeWriter writer, IntPtr body, IntPtr* precodeSlot, IntPtr thunk, long original, long patched, int jumpLength, IWorldStop stop)
    {
        _jumpLength = jumpLength;
        _stop = stop;
        _writer = writer;
        _body = body;
        _precodeSlot = precodeSlot;
        _thunk = thunk;
        _original = original;
        _patched = patched;
    }

    public IntPtr Body => _body;

    /// <summary>Whether the jump is written with every other thread held (callers enter the body directly, past any precode).</summary>
    public bool HoldsThreads => _precodeSlot is null;

    /// <summary>Prepares (but does not apply) a patch of <paramref name="member"/> jumping to <paramref name="twinEntry"/>.</summary>
    public static NativePatch Prepare(MethodBase member, IntPtr twinEntry, IArchitecture architecture, ICodeWriter writer, ThunkPages thunks, IWorldStop stop)
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
        // Callers that enter the code itself (vtable slots and interface dispatch caches of a virtual
        // method; every caller of a method the runtime does not version, which has no precode) are
        // not kept out of the bytes the jump overwrites by pointing the precode away: the swap is made
        // with every other thread held outside them instead.
        var enteredDirectly = precode is null || member.IsVirtual || !IsVersioned(member);
        if (enteredDirectly && stop.Unavailable is { } cannotStop)
            throw new TrapException($"Cannot patch {TrapTarget.Describe(member)} natively: its callers enter its compiled code directly ({(member.IsVirtual ? "it is virtual: vtable slots and interface dispatch hold its code's address" : "it has no precode, so the runtime does not version it")}), " +
                                    $"and the patch could only be written with every other thread held for a moment, which {cannotStop}. Arrange the member that calls it, or make the calls from woven code (redirected call sites).");
        var thunk = thunks.Allocate(body, architecture.JumpAnywhere(twinEntry));
        var original = *(long*)word;
        var bytes = BitConverter.GetBytes(original);
        architecture.JumpNear(body, thunk).CopyTo(bytes, offset);
        return new NativePatch(writer, body, enteredDirectly ? null : precode, thunk, original, BitConverter.ToInt64(bytes), length, stop);
    }

    /// <summary>
    /// Whether the runtime versions <paramref name="member"/>'s code (tiered compilation, on by default):
    /// only then do callers keep calling through its precode. Code it never replaces (tiering off,
    /// <c>[MethodImpl(AggressiveOptimization)]</c>) is called directly by callers compiled after it.
    /// </summary>
    static bool IsVersioned(MethodBase member)
    {
        if (member.MethodImplementationFlags.HasFlag(MethodImplAttributes.AggressiveOptimization)) return false;
        if (AppContext.TryGetSwitch("System.Runtime.TieredCompilation", out var tiered)) return tiered;
        return Environment.GetEnvironmentVariable("DOTNET_TieredCompilation") != "0" && Environment.GetEnvironmentVariable("COMPlus_TieredCompilation") != "0";
    }

    public void Apply()
    {
        if (Interlocked.Exchange(ref _applied, 1) == 1) return;
        if (_precodeSlot is null)
        {
            try { SwapWithThreadsHeld(); }
            catch { Volatile.Write(ref _applied, 0); throw; }
            return;
        }
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
        // The jump is one instruction: a thread is before it or in the thunk, never inside it.
        Swap(_patched, _original);
    }

    /// <summary>
    /// The swap with every other thread held, none of them inside the jump's bytes past the first (a
    /// thread stopped at the body's first byte runs the jump when it goes on). A thread found inside
    /// means: let it go on, and try again.
    /// </summary>
    void SwapWithThreadsHeld()
    {
        var word = _body & ~7;
        lock (WriteGate)
        {
            _writer.Protect(word, 8, writable: true);
            try
            {
                var outcome = _stop.Swap(word, _original, _patched, _body + 1, _body + _jumpLength, out var detail);
                switch (outcome)
                {
                    case WorldStopOutcome.Swapped:
                        return;
                    case WorldStopOutcome.WordChanged:
                        throw new TrapException($"The code at {word:x} changed under a native patch (found {detail:x16}, expected {_original:x16}); it was left as found.");
                    case WorldStopOutcome.TooManyThreads:
                        throw new TrapException($"Could not patch the code at {_body:x} natively: the process has more threads than a patch can hold for a moment; nothing was written.");
                    case WorldStopOutcome.Timeout:
                        throw new TrapException($"Could not patch the code at {_body:x} natively: not every thread could be held for a moment ({detail} did not stop in time: one does not take signals, or the machine is too busy); nothing was written.");
                    default:
                        throw new TrapException($"Could not patch the code at {_body:x} natively: each time the other threads were held, one was inside its first bytes or a new one had started ({outcome}); nothing was written.");
                }
            }
            finally { _writer.Protect(word, 8, writable: false); }
        }
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
                if (whilePrecodeIsThunk && _precodeSlot != null && Volatile.Read(ref *_precodeSlot) != _thunk) return false;
                var seen = Interlocked.CompareExchange(ref *word, value, expected);
                if (seen != expected)
                    throw new TrapException($"The code at {(IntPtr)word:x} changed under a native patch (found {seen:x16}, expected {expected:x16}); it was left as found.");
                return true;
            }
            finally { _writer.Protect(_body & ~7, 8, writable: false); }
        }
    }
}
