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
    static extern int munmap(IntPtr address, nuint length);

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
        // The runtime reserves the address space around its code (executable allocator), so probing
        // hints finds nothing: take the free gaps of /proc/self/maps, nearest first.
        const long reach = 0x7000_0000;
        var target = (long)near;
        var candidates = new System.Collections.Generic.List<long>();
        long previousEnd = PageSize;
        foreach (var (start, end) in Mappings())
        {
            AddGap(candidates, previousEnd, start, target, size, reach);
            previousEnd = Math.Max(previousEnd, end);
        }
        AddGap(candidates, previousEnd, 0x7fff_ffff_f000, target, size, reach);
        candidates.Sort((a, b) => Math.Abs(a - target).CompareTo(Math.Abs(b - target)));
        foreach (var hint in candidates)
        {
            var page = mmap((IntPtr)hint, (nuint)size, ProtRead | ProtWrite, MapPrivate | MapAnonymous | MapFixedNoReplace, -1, 0);
            if (page == new IntPtr(-1)) continue;
            // Kernels before 4.17 ignore MAP_FIXED_NOREPLACE and take the address as a hint only.
            if (Math.Abs((long)page - target) < reach) return page;
            munmap(page, (nuint)size);
        }
        return IntPtr.Zero;
    }

    /// <summary>The page of the free gap [from, to) closest to <paramref name="target"/>, if it is within reach.</summary>
    static void AddGap(System.Collections.Generic.List<long> candidates, long from, long to, long target, int size, long reach)
    {
        if (to - from < size) return;
        var best = Math.Clamp(target, from, to - size) & ~((long)PageSize - 1);
        if (best < from) best += PageSize;
        if (best + size <= to && Math.Abs(best - target) < reach) candidates.Add(best);
    }

    [DllImport("libc", SetLastError = true)]
    static extern int open(string path, int flags);

    [DllImport("libc", SetLastError = true)]
    static extern nint read(int fd, byte* buffer, nint count);

    [DllImport("libc")]
    static extern int close(int fd);

    /// <summary>
    /// The process's mappings, from /proc/self/maps read with syscalls (managed file I/O may be
    /// what is being patched).
    /// </summary>
    static System.Collections.Generic.List<(long Start, long End)> Mappings()
    {
        var result = new System.Collections.Generic.List<(long, long)>();
        var fd = open("/proc/self/maps", 0);
        if (fd < 0) return result;
        var text = new System.Text.StringBuilder();
        var buffer = stackalloc byte[8192];
        try
        {
            nint n;
            while ((n = read(fd, buffer, 8192)) > 0) text.Append(System.Text.Encoding.ASCII.GetString(buffer, (int)n));
        }
        finally { close(fd); }
        foreach (var line in text.ToString().Split('\n'))
        {
            var dash = line.IndexOf('-');
            var space = line.IndexOf(' ');
            if (dash <= 0 || space <= dash) continue;
            result.Add((Convert.ToInt64(line.Substring(0, dash), 16), Convert.ToInt64(line.Substring(dash + 1, space - dash - 1), 16)));
        }
        result.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return result;
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
