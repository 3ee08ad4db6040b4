using System;
using System.Reflection;

namespace Trapweave.Internal.Native;

/// <summary>
/// What a native patch needs to know about one processor architecture: where a method's compiled
/// body is behind the runtime's stubs, the shapes of those stubs, and the jumps a patch writes.
/// </summary>
internal unsafe interface IArchitecture
{
    /// <summary>The start of <paramref name="method"/>'s current compiled body (compiled first if needed).</summary>
    IntPtr BodyOf(MethodBase method);

    /// <summary>Follows the stubs from an entry point to the code they end at; <paramref name="compile"/> when it is not compiled yet.</summary>
    IntPtr FollowToBody(IntPtr entry, Action compile);

    /// <summary>Bytes of code from <paramref name="body"/> to its first return.</summary>
    int CodeLength(IntPtr body);

    /// <summary>
    /// The precode cell (the runtime's pointer to the current code) of the method <paramref name="method"/>
    /// runs, or null when it has none; throws a <see cref="TrapException"/> when its entry point is not
    /// a stub of a shape this architecture knows (nothing is written then).
    /// </summary>
    IntPtr* PrecodeSlotOf(MethodBase method);

    /// <summary>Why the stubs and bodies on this runtime are not the shapes <see cref="BodyOf"/> follows, or null.</summary>
    string? CheckStubShapes();

    /// <summary>Whether a jump of <see cref="JumpNear"/>'s length written at <paramref name="body"/> stays inside the method.</summary>
    bool HasRoomForJump(IntPtr body);

    /// <summary>How many bytes <see cref="JumpNear"/> writes.</summary>
    int NearJumpLength { get; }

    /// <summary>How far (either way) <see cref="JumpNear"/> reaches.</summary>
    long NearJumpReach { get; }

    /// <summary>The jump a patch writes over a body's first bytes, from <paramref name="from"/> to <paramref name="to"/> (at most 8 bytes).</summary>
    byte[] JumpNear(IntPtr from, IntPtr to);

    /// <summary>A thunk that jumps to <paramref name="to"/> wherever it is, clobbering nothing the callee reads.</summary>
    byte[] JumpAnywhere(IntPtr to);

    /// <summary>A function of no arguments that returns 0 (for checking that written code runs).</summary>
    byte[] ReturnZero();
}
