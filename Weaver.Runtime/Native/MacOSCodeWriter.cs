using System;

namespace Trapweave.Internal.Native;

/// <summary>
/// macOS: not implemented yet. What is missing: the hardened runtime's rules for writing code
/// (pages of the runtime's code heap are MAP_JIT on Apple silicon and written only between
/// <c>pthread_jit_write_protect_np</c> calls, <c>mprotect</c> to writable+executable is refused),
/// <c>sys_icache_invalidate</c> after each write, and finding free address space near the code
/// (<c>mach_vm_region</c> instead of /proc/self/maps). Every member throws, naming that;
/// <see cref="NativePlatform"/> turns the message into the reason the fallback is unavailable.
/// </summary>
internal sealed class MacOSCodeWriter : ICodeWriter
{
    const string Missing = "the native fallback has no macOS code writer yet";

    static PlatformNotSupportedException NotYet(string what) => new($"{Missing}: {what}");

    public void Write(IntPtr at, ReadOnlySpan<byte> code) => throw NotYet("writing over the runtime's code under the hardened runtime (MAP_JIT, pthread_jit_write_protect_np) is not written");

    public void Protect(IntPtr at, int length, bool writable) => throw NotYet("making the runtime's code writable (mprotect to writable+executable is refused there) is not written");

    public IntPtr AllocateThunkPageNear(IntPtr near, int size) => throw NotYet("finding free address space within 2 GB of the code (mach_vm_region) is not written");

    public IntPtr AllocateThunkPage(int size) => throw NotYet("mapping a page for thunks and sealing it executable (with sys_icache_invalidate) is not written");

    public void Seal(IntPtr page, int size) => throw NotYet("sealing a thunk page executable is not written");
}
