using System;
using System.IO;

namespace Trapweave.Tracing;

/// <summary>
/// Passes UTF-8 JSON on to a stream with every <c>&lt;</c> written as <c>\u003c</c>, so that the JSON can
/// sit inside an HTML <c>&lt;script&gt;</c> element: no value can then close it (<c>&lt;/script&gt;</c>) or
/// open a comment (<c>&lt;!--</c>) that changes how the parser reads the rest. In JSON, <c>&lt;</c> occurs only
/// inside strings, where <c>\u003c</c> reads back as the same character; in UTF-8 its byte (0x3C) is never part
/// of a multi-byte character, so bytes can be replaced one by one. Does not own the stream.
/// </summary>
internal sealed class ScriptSafeJsonStream : Stream
{
    static readonly byte[] Escaped = "\\u003c"u8.ToArray();
    readonly Stream _inner;

    public ScriptSafeJsonStream(Stream inner) => _inner = inner;

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        int index;
        while ((index = buffer.IndexOf((byte)'<')) >= 0)
        {
            _inner.Write(buffer.Slice(0, index));
            _inner.Write(Escaped);
            buffer = buffer.Slice(index + 1);
        }
        _inner.Write(buffer);
    }

    public override void WriteByte(byte value)
    {
        if (value == (byte)'<') _inner.Write(Escaped);
        else _inner.WriteByte(value);
    }

    public override void Flush() => _inner.Flush();
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
