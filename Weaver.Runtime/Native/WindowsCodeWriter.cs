using System;
using System.Runtime.InteropServices;

namespace Trapweave.Internal.Native;

/// <summary>Windows: <c>VirtualProtect</c> around each write, then <c>FlushInstructionCache</c>.</summary>
internal sealed unsafe class WindowsCodeWriter : ICodeWriter
{
    const uint PageExecuteRead = 0x20, PageExecuteReadWrite = 0x40, PageReadWrite = 0x04;
    const uint MemCommit = 0x1000, MemReserve = 0x2000;

    [DllImport("kernel32", SetLastError = true)]
    static extern bool VirtualProtect(IntPtr address, nuint size, uint protection, out uint old);

    [DllImport("kernel32", SetLastError = true)]
    static extern IntPtr VirtualAlloc(IntPtr address, nuint size, uint type, uint protection);

    [DllImport("kernel32")]
    static extern IntPtr GetCurrentProcess();

    [DllImport("kernel32", SetLastError = true)]
    static extern bool FlushInstructionCache(IntPtr process, IntPtr address, nuint size);

    public void Write(IntPtr at, ReadOnlySpan<byte> code)
    {
        if (!VirtualProtect(at, (nuint)code.Length, PageExecuteReadWrite, out var old))
            throw new TrapException($"Could not make code writable: VirtualProtect failed with error {Marshal.GetLastWin32Error()}.");
        try { code.CopyTo(new Span<byte>((void*)at, code.Length)); }
        finally
        {
            VirtualProtect(at, (nuint)code.Length, old, out _);
            FlushInstructionCache(GetCurrentProcess(), at, (nuint)code.Length);
        }
    }

    public void Protect(IntPtr at, int length, bool writable)
    {
        if (!VirtualProtect(at, (nuint)length, writable ? PageExecuteReadWrite : PageExecuteRead, out _))
            throw new TrapException($"Could not change the protection of code: VirtualProtect failed with error {Marshal.GetLastWin32Error()}.");
        if (!writable) FlushInstructionCache(GetCurrentProcess(), at, (nuint)length);
    }

    public IntPtr AllocateThunkPageNear(IntPtr near, int size)
    {
        // VirtualAlloc takes 64 KB-aligned hints; probe around the target, below and above.
        const long step = 0x10000;
        var origin = (long)near & ~(step - 1);
        for (long distance = step; distance < 0x6000_0000; distance += step)
        {
            foreach (var hint in new[] { origin - distance, origin + distance })
            {
                if (hint <= 0) continue;
                var page = VirtualAlloc((IntPtr)hint, (nuint)size, MemCommit | MemReserve, PageReadWrite);
                if (page != IntPtr.Zero) return page;
            }
        }
        return IntPtr.Zero;
    }

    public IntPtr AllocateThunkPage(int size)
    {
        var page = VirtualAlloc(IntPtr.Zero, (nuint)size, MemCommit | MemReserve, PageReadWrite);
        if (page == IntPtr.Zero) throw new TrapException($"Could not allocate a page for native thunks (error {Marshal.GetLastWin32Error()}).");
        return page;
    }

    public void Seal(IntPtr page, int size)
    {
        if (!VirtualProtect(page, (nuint)size, PageExecuteRead, out _))
            throw new TrapException($"Could not make a thunk page executable: VirtualProtect failed with error {Marshal.GetLastWin32Error()}.");
        FlushInstructionCache(GetCurrentProcess(), page, (nuint)size);
    }
}
