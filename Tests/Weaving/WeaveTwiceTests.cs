using System.IO;
using Trapweave.Fody.Core;
using Trapweave.Tests.Weaving.Support;

namespace Trapweave.Tests.Weaving;

/// <summary>Weaving a woven file again changes nothing: not a byte, not a timestamp.</summary>
public class WeaveTwiceTests
{
    [Theory]
    [InlineData("Trapweave.DebugInfo")]
    [InlineData("Trapweave.DebugInfo.Embedded")]
    public void Weaving_a_woven_file_again_leaves_it_byte_for_byte_and_says_so(string assemblyName)
    {
        using var dir = new TempDirectory("twice");
        var path = dir.Copy(TestFiles.InOutput(assemblyName + ".dll"));
        var pdbSource = Path.ChangeExtension(TestFiles.InOutput(assemblyName + ".dll"), ".pdb");
        if (File.Exists(pdbSource)) dir.Copy(pdbSource);
        var pdb = Path.ChangeExtension(path, ".pdb");

        var first = AssemblyFileWeaver.WeaveFile(path, WeaverConfig.Default, new RecordingLog(), new[] { TestFiles.RuntimeDirectory });
        Assert.Equal(FileWeaveOutcome.Woven, first.Outcome);
        var snapshot = Snapshot(dir);

        var log = new RecordingLog();
        var second = AssemblyFileWeaver.WeaveFile(path, WeaverConfig.Default, log, new[] { TestFiles.RuntimeDirectory });

        Assert.Equal(FileWeaveOutcome.AlreadyWoven, second.Outcome);
        Assert.Equal(0, second.TrappedMethods);
        Assert.Contains(log.Infos, m => m.Contains("already woven"));
        Assert.Empty(log.Warnings);
        Assert.Equal(snapshot, Snapshot(dir));
        Assert.Equal(File.Exists(pdbSource), File.Exists(pdb));
    }

    [Fact]
    public void A_file_woven_by_the_Fody_route_is_recognised_and_left_alone()
    {
        using var dir = new TempDirectory("fody-woven");
        var path = dir.Copy(TestFiles.InOutput("Trapweave.Fixtures.dll"));
        dir.Copy(TestFiles.InOutput("Trapweave.Fixtures.pdb"));
        var snapshot = Snapshot(dir);
        var log = new RecordingLog();

        var result = AssemblyFileWeaver.WeaveFile(path, WeaverConfig.Default, log, new[] { TestFiles.RuntimeDirectory });

        Assert.Equal(FileWeaveOutcome.AlreadyWoven, result.Outcome);
        Assert.Contains(log.Infos, m => m.Contains("already woven"));
        Assert.Equal(snapshot, Snapshot(dir));
    }

    [Fact]
    public void The_runtime_itself_is_never_woven()
    {
        using var dir = new TempDirectory("runtime");
        var path = dir.Copy(typeof(Trap).Assembly.Location);
        var snapshot = Snapshot(dir);
        var log = new RecordingLog();

        var result = AssemblyFileWeaver.WeaveFile(path, WeaverConfig.Default, log, Array.Empty<string>());

        Assert.Equal(FileWeaveOutcome.NotWoven, result.Outcome);
        Assert.Contains(log.Infos, m => m.Contains("never woven"));
        Assert.Equal(snapshot, Snapshot(dir));
    }

    /// <summary>Every file's name, content and last write time.</summary>
    static string[] Snapshot(TempDirectory dir) =>
        dir.Listing().Select(n => $"{n} {Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(dir[n])))} {File.GetLastWriteTimeUtc(dir[n]).Ticks}").ToArray();
}
