using System.IO;

namespace Fixtures.Redirects;

/// <summary>Calls through a base class's virtual member (Redirect="System.IO.Stream::ReadByte" in FodyWeavers.xml).</summary>
public static class StreamCalls
{
    public static int ReadOne(Stream stream) => stream.ReadByte();
}
