using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace Trapweave.Internal.Native;

/// <summary>
/// Windows: <c>VirtualProtect</c> around each write, then <c>FlushInstructionCache</c>. Thunk pages
/// are allocated read-write near the code and sealed read-execute (never writable and executable
/// at once); the runtime's code is made writable+executable only while written (other threads run
/// it) and given back the protection it had. The kernel32 calls are behind <see cref="IMemory"/> so
/// these decisions are tested on any OS.
/// </summary>
internal sealed unsafe class WindowsCodeWriter : ICodeWriter
{
    internal const uint PageReadWrite = 0x04, PageExecuteRead = 0x20, PageExecuteReadWrite = 0x40, PageExecuteWriteCopy = 0x80;
    internal const uint MemCommit = 0x1000, MemReserve = 0x2000;
    /// <summary>VirtualAlloc places regions at multiples of this (64 KB on every Windows version).</summary>
    internal const long AllocationGranularity = 0x10000;
    /// <summary>How far from the code thunks are looked for: well inside a rel32 jump's 2 GB.</summary>
    internal const long Reach = 0x6000_0000;
    /// <summary>The lowest and highest addresses VirtualAlloc gives a 64-bit process.</summary>
    internal const long LowestAddress = 0x10000, HighestAddress = 0x7FFF_FFFE_FFFF;

    /// <summary>The kernel32 calls this writer makes.</summary>
    internal interface IMemory
    {
        bool VirtualProtect(IntPtr address, nuint size, uint protection, out uint old);
        IntPtr VirtualAlloc(IntPtr address, nuint size, uint type, uint protection);
        void FlushInstructionCache(IntPtr address, nuint size);
        int LastError { get; }
    }

    readonly IMemory _memory;
    // What Protect(writable: true) found, put back by Protect(writable: false) (the runtime's code
    // heap may be RX or, with W^X off, RWX: forcing RX there would fault the runtime's next write).
    readonly Dictionary<IntPtr, uint> _protectionBefore = new();

    public WindowsCodeWriter() : this(new Kernel32()) { }

    internal WindowsCodeWriter(IMemory memory) => _memory = memory;

    public void Write(IntPtr at, ReadOnlySpan<byte> code)
    {
        if (!MakeWritable(at, (nuint)code.Length, out var old))
            throw new TrapException($"Could not make code writable: VirtualProtect failed with error {_memory.LastError}.");
        try { code.CopyTo(new Span<byte>((void*)at, code.Length)); }
        finally
        {
            _memory.VirtualProtect(at, (nuint)code.Length, old, out _);
            _memory.FlushInstructionCache(at, (nuint)code.Length);
        }
    }

    public void Protect(IntPtr at, int length, bool writable)
    {
        uint old;
        if (writable)
        {
            if (!MakeWritable(at, (nuint)length, out old))
                throw new TrapException($"Could not make code writable: VirtualProtect failed with error {_memory.LastError}.");
            lock (_protectionBefore) _protectionBefore[at] = old;
            return;
        }
        uint protection;
        lock (_protectionBefore) protection = _protectionBefore.Remove(at, out var before) ? before : PageExecuteRead;
        if (!_memory.VirtualProtect(at, (nuint)length, protection, out old))
            throw new TrapException($"Could not make code read-execute again: VirtualProtect failed with error {_memory.LastError}.");
        _memory.FlushInstructionCache(at, (nuint)length);
    }

    /// <summary>
    /// Writable and still executable: the runtime's code heap views allow it (mapped
    /// writable+executable, then made read-execute); precompiled code mapped read-only from a file
    /// (single-file apps) refuses it and takes copy-on-write instead (as the runtime's debugger
    /// does, dotnet/runtime#84965).
    /// </summary>
    bool MakeWritable(IntPtr at, nuint size, out uint old) =>
        _memory.VirtualProtect(at, size, PageExecuteReadWrite, out old) ||
        _memory.VirtualProtect(at, size, PageExecuteWriteCopy, out old);

    public IntPtr AllocateThunkPageNear(IntPtr near, int size)
    {
        foreach (var hint in CandidatesNear((long)near))
        {
            var page = _memory.VirtualAlloc((IntPtr)hint, (nuint)size, MemCommit | MemReserve, PageReadWrite);
            if (page != IntPtr.Zero) return page;
        }
        return IntPtr.Zero;
    }

    /// <summary>
    /// The addresses probed for a thunk page near <paramref name="near"/>: VirtualAlloc takes only
    /// allocation-granularity-aligned addresses, so the multiples of 64 KB around it, nearest
    /// first, below before above, within <see cref="Reach"/> and inside the user address space.
    /// </summary>
    internal static IEnumerable<long> CandidatesNear(long near)
    {
        var origin = near & ~(AllocationGranularity - 1);
        for (var distance = AllocationGranularity; distance < Reach; distance += AllocationGranularity)
        {
            if (origin - distance >= LowestAddress) yield return origin - distance;
            if (origin + distance + AllocationGranularity - 1 <= HighestAddress) yield return origin + distance;
        }
    }

    public IntPtr AllocateThunkPage(int size)
    {
        var page = _memory.VirtualAlloc(IntPtr.Zero, (nuint)size, MemCommit | MemReserve, PageReadWrite);
        if (page == IntPtr.Zero) throw new TrapException($"Could not allocate a page for native thunks (error {_memory.LastError}).");
        return page;
    }

    public void Seal(IntPtr page, int size)
    {
        if (!_memory.VirtualProtect(page, (nuint)size, PageExecuteRead, out _))
            throw new TrapException($"Could not make a thunk page executable: VirtualProtect failed with error {_memory.LastError}.");
        _memory.FlushInstructionCache(page, (nuint)size);
    }

    sealed class Kernel32 : IMemory
    {
        [DllImport("kernel32", EntryPoint = "VirtualProtect", SetLastError = true)]
        static extern bool NativeVirtualProtect(IntPtr address, nuint size, uint protection, out uint old);

        [DllImport("kernel32", EntryPoint = "VirtualAlloc", SetLastError = true)]
        static extern IntPtr NativeVirtualAlloc(IntPtr address, nuint size, uint type, uint protection);

        [DllImport("kernel32")]
        static extern IntPtr GetCurrentProcess();

        [DllImport("kernel32", EntryPoint = "FlushInstructionCache", SetLastError = true)]
        static extern bool NativeFlushInstructionCache(IntPtr process, IntPtr address, nuint size);

        public bool VirtualProtect(IntPtr address, nuint size, uint protection, out uint old) => NativeVirtualProtect(address, size, protection, out old);
        public IntPtr VirtualAlloc(IntPtr address, nuint size, uint type, uint protection) => NativeVirtualAlloc(address, size, type, protection);
        public void FlushInstructionCache(IntPtr address, nuint size) => NativeFlushInstructionCache(GetCurrentProcess(), address, size);
        public int LastError => Marshal.GetLastWin32Error();
    }
}
