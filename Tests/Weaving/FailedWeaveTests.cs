using System.IO;
using Trapweave.Fody.Core;
using Trapweave.Tests.Weaving.Support;

namespace Trapweave.Tests.Weaving;

/// <summary>A weave that fails says why and leaves the assembly and its PDB exactly as they were.</summary>
public class FailedWeaveTests
{
    [FrameworkDependentFact("the weaver trusts the running .NET's directory, which is then the test's own and holds Trapweave.dll")]
    public void When_the_runtime_cannot_be_found_the_error_says_so_and_nothing_is_touched()
    {
        using var dir = new TempDirectory("no-runtime");
        var path = dir.Copy(TestFiles.DebugInfo);
        dir.Copy(TestFiles.DebugInfoPdb);
        var before = Snapshot(dir);

        // No search directory: Trapweave.dll is neither beside the assembly nor anywhere searched.
        var error = Assert.Throws<WeavingError>(() => AssemblyFileWeaver.WeaveFile(path, WeaverConfig.Default, new RecordingLog(), Array.Empty<string>()));

        Assert.Contains("Trapweave.dll", error.Message);
        Assert.Contains("could not be found", error.Message);
        Assert.Equal(before, Snapshot(dir));
    }

    [Fact]
    public void A_file_that_is_not_an_assembly_is_reported_and_left_alone()
    {
        using var dir = new TempDirectory("not-an-assembly");
        var path = dir["Broken.dll"];
        File.WriteAllText(path, "this is not a PE file");
        var before = Snapshot(dir);

        var error = Assert.Throws<WeavingError>(() => AssemblyFileWeaver.WeaveFile(path, WeaverConfig.Default, new RecordingLog(), new[] { TestFiles.RuntimeDirectory }));

        Assert.Contains("could not be read as a .NET assembly", error.Message);
        Assert.Equal(before, Snapshot(dir));
    }

    [Fact]
    public void A_missing_file_is_reported()
    {
        using var dir = new TempDirectory("missing");
        var error = Assert.Throws<WeavingError>(() => AssemblyFileWeaver.WeaveFile(dir["Nope.dll"], WeaverConfig.Default, new RecordingLog(), Array.Empty<string>()));
        Assert.Contains("does not exist", error.Message);
        Assert.Empty(dir.Listing());
    }

    [Fact]
    public void When_a_replacement_fails_part_way_the_files_already_replaced_are_restored()
    {
        using var dir = new TempDirectory("rollback");
        File.WriteAllText(dir["a.txt"], "old a");
        File.WriteAllText(dir["b.txt"], "old b");
        var before = Snapshot(dir);

        using (var staged = new StagedFiles())
        {
            File.WriteAllText(staged.Stage(dir["a.txt"]), "new a");
            var tempB = staged.Stage(dir["b.txt"]);
            File.WriteAllText(tempB, "new b");
            // b's target becomes a directory: replacing it must fail after a was replaced.
            File.Delete(dir["b.txt"]);
            Directory.CreateDirectory(dir["b.txt"]);
            Assert.ThrowsAny<Exception>(() => staged.Commit());
            Directory.Delete(dir["b.txt"]);
            File.WriteAllText(dir["b.txt"], "old b");
        }

        Assert.Equal("old a", File.ReadAllText(dir["a.txt"]));
        Assert.Equal(new[] { "a.txt", "b.txt" }, dir.Listing());
        Assert.Equal(before.First(), Snapshot(dir).First());
    }

    static string[] Snapshot(TempDirectory dir) =>
        dir.Listing().Select(n => $"{n} {Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(dir[n])))}").ToArray();
}
