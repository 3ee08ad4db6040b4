using System;
using System.Runtime.InteropServices;

namespace Trapweave.Internal.Native;

/// <summary>Linux: <c>mprotect</c> around each write (the runtime's W^X leaves code pages read-execute).</summary>
internal sealed unsafe class LinuxCodeWriter : ICodeWriter
{
    const int ProtRead = 1, ProtWrite = 2, ProtExec = 4;
    const int MapPrivate = 0x02, MapAnonymous = 0x20;
    static readonly nint PageSize = Environment.SystemPageSize;

    [DllImport("libc", SetLastError = true)]
    static extern int mprotect(IntPtr address, nuint length, int protection);

    [DllImport("libc", SetLastError = true)]
    static extern IntPtr mmap(IntPtr address, nuint length, int protection, int flags, int fd, nint offset);

    public void Write(IntPtr at, ReadOnlySpan<byte> code)
    {
        var start = at & ~(PageSize - 1);
        var length = (nuint)((at + code.Length - start + PageSize - 1) & ~(PageSize - 1));
        // The page holds code other threads run: it must stay executable while written.
        Check(mprotect(start, length, ProtRead | ProtWrite | ProtExec), "make code writable");
        try { code.CopyTo(new Span<byte>((void*)at, code.Length)); }
        finally { Check(mprotect(start, length, ProtRead | ProtExec), "make code read-execute again"); }
    }

    public IntPtr AllocateThunkPage(int size)
    {
        var page = mmap(IntPtr.Zero, (nuint)size, ProtRead | ProtWrite, MapPrivate | MapAnonymous, -1, 0);
        if (page == new IntPtr(-1)) throw new TrapException($"Could not map a page for native thunks (errno {Marshal.GetLastWin32Error()}).");
        return page;
    }

    public void Seal(IntPtr page, int size) => Check(mprotect(page, (nuint)size, ProtRead | ProtExec), "make a thunk page read-execute");

    static void Check(int result, string what)
    {
        if (result != 0) throw new TrapException($"Could not {what}: mprotect failed with errno {Marshal.GetLastWin32Error()}.");
    }
}
