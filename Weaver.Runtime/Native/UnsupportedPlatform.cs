using System;
using System.Reflection;

namespace Trapweave.Internal.Native;

/// <summary>An architecture nothing is written for (neither x64 nor arm64): every member throws, naming it.</summary>
internal sealed unsafe class UnsupportedArchitecture : IArchitecture
{
    readonly string _name;

    public UnsupportedArchitecture(string name) => _name = name;

    PlatformNotSupportedException NotSupported() => new($"the native fallback has no code locator and jump encoder for {_name} (x64 only; arm64 is planned)");

    public IntPtr BodyOf(MethodBase method) => throw NotSupported();
    public IntPtr FollowToBody(IntPtr entry, Action compile) => throw NotSupported();
    public int CodeLength(IntPtr body) => throw NotSupported();
    public IntPtr* PrecodeSlotOf(MethodBase method) => throw NotSupported();
    public string? CheckStubShapes() => throw NotSupported();
    public bool HasRoomForJump(IntPtr body) => throw NotSupported();
    public int NearJumpLength => throw NotSupported();
    public long NearJumpReach => throw NotSupported();
    public byte[] JumpNear(IntPtr from, IntPtr to) => throw NotSupported();
    public byte[] JumpAnywhere(IntPtr to) => throw NotSupported();
    public byte[] ReturnZero() => throw NotSupported();
}

/// <summary>An OS nothing is written for (neither Linux, Windows nor macOS): every member throws, naming it.</summary>
internal sealed class UnsupportedCodeWriter : ICodeWriter
{
    readonly string _name;

    public UnsupportedCodeWriter(string name) => _name = name;

    PlatformNotSupportedException NotSupported() => new($"the native fallback has no code writer for {_name} (Linux and Windows only; macOS is planned)");

    public void Write(IntPtr at, ReadOnlySpan<byte> code) => throw NotSupported();
    public void Protect(IntPtr at, int length, bool writable) => throw NotSupported();
    public IntPtr AllocateThunkPageNear(IntPtr near, int size) => throw NotSupported();
    public IntPtr AllocateThunkPage(int size) => throw NotSupported();
    public void Seal(IntPtr page, int size) => throw NotSupported();
}

/// <summary>A platform whose threads cannot be held: virtual members are not patched natively there.</summary>
internal sealed class UnsupportedWorldStop : IWorldStop
{
    public UnsupportedWorldStop(string why) => Unavailable = why;

    public string? Unavailable { get; }

    public WorldStopOutcome SwapWhileStopped(IntPtr word, long expected, long value, IntPtr zoneStart, IntPtr zoneEnd, out long detail) =>
        throw new PlatformNotSupportedException(Unavailable);
}
