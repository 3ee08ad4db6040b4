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

    const int MapFixedNoReplace = 0x100000;

    public void Write(IntPtr at, ReadOnlySpan<byte> code)
    {
        Protect(at, code.Length, writable: true);
        try { code.CopyTo(new Span<byte>((void*)at, code.Length)); }
        finally { Protect(at, code.Length, writable: false); }
    }

    public void Protect(IntPtr at, int length, bool writable)
    {
        var start = at & ~(PageSize - 1);
        var size = (nuint)((at + length - start + PageSize - 1) & ~(PageSize - 1));
        // The page holds code other threads run: it stays executable while writable.
        Check(mprotect(start, size, ProtRead | ProtExec | (writable ? ProtWrite : 0)), writable ? "make code writable" : "make code read-execute again");
    }

    public IntPtr AllocateThunkPageNear(IntPtr near, int size)
    {
        // Probe free addresses around the target, 64 KB apart, below and above, up to ~1.5 GB away.
        const long step = 0x10000;
        var origin = (long)near & ~(step - 1);
        for (long distance = step; distance < 0x6000_0000; distance += step)
        {
            foreach (var hint in new[] { origin - distance, origin + distance })
            {
                if (hint <= 0) continue;
                var page = mmap((IntPtr)hint, (nuint)size, ProtRead | ProtWrite, MapPrivate | MapAnonymous | MapFixedNoReplace, -1, 0);
                if (page != new IntPtr(-1)) return page;
            }
        }
        return IntPtr.Zero;
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
