using System;
using System.Reflection;

namespace Trapweave.Internal.Native;

/// <summary>
/// arm64: not implemented yet. What is missing: decoding the runtime's arm64 precodes and
/// call-counting stubs (<c>ldr x16, [pc+x]; br x16</c>-style) to find a method's body, a 4-byte
/// <c>b imm26</c> patch (±128 MB, so thunks must be placed much nearer than on x64), a thunk of
/// <c>ldr x16, #8; br x16; .quad target</c>, and instruction-cache maintenance after each write.
/// Every member throws, naming that; <see cref="NativePlatform"/> turns the message into the
/// reason the fallback is unavailable.
/// </summary>
internal sealed unsafe class Arm64Code : IArchitecture
{
    const string Missing = "the native fallback has no arm64 code locator and jump encoder yet";

    static PlatformNotSupportedException NotYet(string what) => new($"{Missing}: {what}");

    public IntPtr BodyOf(MethodBase method) => throw NotYet("finding a compiled body behind arm64 precodes and call-counting stubs is not written");

    public IntPtr FollowToBody(IntPtr entry, Action compile) => throw NotYet("following arm64 stubs to a body is not written");

    public int CodeLength(IntPtr body) => throw NotYet("measuring arm64 code is not written");

    public IntPtr* PrecodeSlotOf(MethodBase method) => throw NotYet("reading the target cell of an arm64 precode is not written");

    public string? CheckStubShapes() => throw NotYet("the shapes of arm64 precodes and stubs are not known to it");

    public bool HasRoomForJump(IntPtr body) => throw NotYet("checking room for a 4-byte b imm26 is not written");

    public int NearJumpLength => throw NotYet("the 4-byte b imm26 patch is not written");

    public long NearJumpReach => throw NotYet("b imm26 reaches 128 MB, and no thunk placement that near is written");

    public byte[] JumpNear(IntPtr from, IntPtr to) => throw NotYet("encoding b imm26 is not written");

    public byte[] JumpAnywhere(IntPtr to) => throw NotYet("encoding an ldr x16/br x16 thunk is not written");

    public byte[] ReturnZero() => throw NotYet("encoding mov w0, #0; ret is not written");
}
