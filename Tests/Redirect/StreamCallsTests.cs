using System.IO;
using Fixtures.Redirects;

namespace Trapweave.Tests.Redirect;

public class StreamCallsTests
{
    [Fact]
    public void An_arrangement_on_one_stream_is_seen_through_the_base_call_site_and_no_other_stream_is_touched()
    {
        var arranged = new MemoryStream(new byte[] { 1, 2, 3 });
        var other = new MemoryStream(new byte[] { 1, 2, 3 });
        using (Trap.When(() => arranged.ReadByte()).Returns(7))
        {
            Assert.Equal(7, StreamCalls.ReadOne(arranged));
            Assert.Equal(7, StreamCalls.ReadOne(arranged));
            Assert.Equal(1, StreamCalls.ReadOne(other));
            Assert.Equal(0, arranged.Position);
        }
        Assert.Equal(1, StreamCalls.ReadOne(arranged));
    }

    [Fact]
    public void A_patch_of_an_override_takes_only_receivers_that_run_it()
    {
        var readByte = typeof(MemoryStream).GetMethod(nameof(MemoryStream.ReadByte))!;
        using (Trap.Patch(readByte, new Func<MemoryStream, int>(s => 99)))
        {
            Assert.Equal(99, StreamCalls.ReadOne(new MemoryStream(new byte[] { 5 })));
            // A BufferedStream runs its own override: untouched.
            Assert.Equal(5, StreamCalls.ReadOne(new BufferedStream(new MemoryStream(new byte[] { 5 }))));
        }
    }
}

/// <summary>Stack traces through redirected call sites show the caller and the member, not the stubs.</summary>
public class RedirectedStackTracesTests
{
    [Fact]
    public void An_exception_from_a_redirected_member_shows_no_stub_frames()
    {
        var missing = Path.Combine(Path.GetTempPath(), "trapweave-missing-" + Guid.NewGuid().ToString("N"));
        var thrown = Assert.Throws<FileNotFoundException>(() => RedirectedCalls.ReadAllText(missing));
        Assert.Contains(nameof(RedirectedCalls.ReadAllText), thrown.StackTrace);
        Assert.DoesNotContain("<Trapweave>", thrown.StackTrace);
    }

    [Fact]
    public void An_exception_from_an_arrangement_on_a_redirected_member_shows_no_Trapweave_frames()
    {
        using (Trap.When(() => File.ReadAllText(Arg.Any<string>())).Throws(new IOException("arranged")))
        {
            var thrown = Assert.Throws<IOException>(() => RedirectedCalls.ReadAllText("x"));
            Assert.Equal("arranged", thrown.Message);
            Assert.Contains(nameof(RedirectedCalls.ReadAllText), thrown.StackTrace);
            Assert.DoesNotContain("<Trapweave>", thrown.StackTrace);
            Assert.DoesNotContain("Trapweave.Internal", thrown.StackTrace);
        }
    }
}
