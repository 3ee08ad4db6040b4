using System;

namespace Trapweave.Internal.Native;

/// <summary>
/// Writes machine code on one OS: code pages are made writable only while written (never
/// writable and executable at once for Trapweave's own thunks), then executable again.
/// </summary>
internal interface ICodeWriter
{
    /// <summary>Copies <paramref name="code"/> to <paramref name="at"/> in executable memory.</summary>
    void Write(IntPtr at, ReadOnlySpan<byte> code);

    /// <summary>
    /// Makes the pages of [<paramref name="at"/>, +<paramref name="length"/>) writable as well as
    /// executable (other threads run code there), or read-execute again.
    /// </summary>
    void Protect(IntPtr at, int length, bool writable);

    /// <summary>A page-sized region for thunks within 2 GB of <paramref name="near"/> (read-write until sealed), or zero.</summary>
    IntPtr AllocateThunkPageNear(IntPtr near, int size);

    /// <summary>Maps a new page for thunks: written while read-write, then read-execute (<see cref="Seal"/>).</summary>
    IntPtr AllocateThunkPage(int size);

    /// <summary>Makes a page from <see cref="AllocateThunkPage"/> read-execute.</summary>
    void Seal(IntPtr page, int size);
}
