using System;

namespace Trapweave.Internal.Native;

/// <summary>
/// Thunks a patch jumps to, each in a page of its own within 2 GB of the patched code (so a 5-byte
/// <c>jmp rel32</c> reaches it): mapped read-write, written, then sealed read-execute; never
/// writable and executable at once, never freed (a thread may still be running one).
/// </summary>
internal sealed class ThunkPages
{
    readonly ICodeWriter _writer;
    readonly int _pageSize = Environment.SystemPageSize;

    public ThunkPages(ICodeWriter writer) => _writer = writer;

    public unsafe IntPtr Allocate(IntPtr near, ReadOnlySpan<byte> code)
    {
        var page = _writer.AllocateThunkPageNear(near, _pageSize);
        if (page == IntPtr.Zero || Math.Abs((long)page - (long)near) > int.MaxValue - _pageSize)
            throw new TrapException($"Could not map a page for a native thunk within 2 GB of {near:x}.");
        code.CopyTo(new Span<byte>((void*)page, code.Length));
        _writer.Seal(page, _pageSize);
        return page;
    }
}
