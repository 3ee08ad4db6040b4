using System.IO;
using System.Text.RegularExpressions;
using Trapweave.Tests.EndToEnd.Support;

namespace Trapweave.Tests.EndToEnd;

/// <summary>
/// README's quick start, followed as written: its commands and files are read from README.md (see
/// <see cref="ReadmeQuickStart"/>) and run in a fresh, empty folder. The only substitutions are the
/// ones README asks of its reader: this clone's package folder for <see cref="ReadmeFeed"/>, and the
/// version pack.sh printed (this run's, as the collection fixture packed it) for pack.sh's default.
/// </summary>
[Collection(EndToEndCollection.Name), Trait("Category", "EndToEnd")]
public sealed class QuickStartTests
{
    /// <summary>README's stand-in for the reader's clone, as it writes the package folder.</summary>
    const string ReadmeFeed = "/path/to/trapweave/artifacts/packages";
    const string PackCommand = "bash build/pack.sh";

    readonly PackedPackages _packages;
    readonly ReadmeQuickStart _readme;
    readonly string _defaultVersion;

    public QuickStartTests(PackedPackages packages)
    {
        _packages = packages;
        _readme = ReadmeQuickStart.Read(Path.Combine(packages.RepositoryRoot, "README.md"));
        var printed = ProcessRunner.Run("bash", new[] { Path.Combine(packages.RepositoryRoot, "build", "pack.sh"), "--print-version" }, packages.RepositoryRoot, TimeSpan.FromMinutes(1));
        Assert.True(printed.ExitCode == 0, printed.ToString());
        _defaultVersion = printed.Output.Trim();
    }

    string Substitute(string text) => text.Replace(ReadmeFeed, _packages.FeedDirectory).Replace(_defaultVersion, _packages.Version);

    [Fact]
    public void The_quick_start_packs_with_pack_sh_and_names_the_version_and_folder_it_prints()
    {
        var commands = _readme.Steps.OfType<CommandStep>().ToArray();
        Assert.Equal(PackCommand, commands.First().Text);
        Assert.Single(commands, c => c.Text.StartsWith("bash ", StringComparison.Ordinal));
        Assert.Contains(_defaultVersion, _readme.Text);
        Assert.Contains(ReadmeFeed, _readme.Text);

        // What README says pack.sh prints is what it printed for this run (its version, its folder).
        var said = Regex.Match(_readme.Text, "`(Packed Trapweave [^`]+)`");
        Assert.True(said.Success, "README's quick start does not quote the line pack.sh ends with.");
        Assert.Contains(Substitute(said.Groups[1].Value), _packages.PackResult.Output);
        // The versions README uses are pack.sh's default, and nothing else.
        foreach (Match version in Regex.Matches(_readme.Text, @"Version=""([^""]+)""|--version (\S+)"))
            Assert.Equal(_defaultVersion, version.Groups[1].Success ? version.Groups[1].Value : version.Groups[2].Value);
    }

    /// <summary>
    /// README: packing again makes the same version, and every project that uses it gets the new
    /// build at its next build. Under a version of this test's own (the cache entry of the fixture's
    /// version stays in use by the other tests), packed twice into a feed of its own.
    /// </summary>
    [Fact]
    public void Packing_the_same_version_again_reaches_a_project_that_restored_the_earlier_build()
    {
        var version = _packages.Version + ".repack";
        var feed = Path.Combine(_packages.Root, "repack-feed");
        var cache = Path.Combine(PackedPackages.GlobalPackagesFolder, "trapweave", version.ToLowerInvariant());
        try
        {
            Pack(version, feed);
            var ws = new Workspace(Path.Combine(_packages.Root, "repack-consumer"));
            ws.Write("NuGet.config", $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <clear />
                    <add key="repack" value="{feed}" />
                  </packageSources>
                </configuration>
                """);
            ws.Write("Directory.Build.props", "<Project />");
            ws.Write("App/App.csproj", $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="Trapweave" Version="{version}" />
                  </ItemGroup>
                </Project>
                """);
            ws.Write("App/Uses.cs", "public static class Uses { public static bool Trapped() => Trapweave.Trap.IsTrapped(typeof(Uses).GetMethod(nameof(Trapped))!); }\n");
            var first = ws.DotNet("build", "App");
            Assert.True(first.ExitCode == 0, first.ToString());
            var firstBuild = File.ReadAllText(Path.Combine(cache, $"trapweave.{version.ToLowerInvariant()}.nupkg.sha512"));

            var again = Pack(version, feed);
            Assert.Contains($"removed the earlier build of trapweave {version} from NuGet's global package cache", again.Output);
            Assert.False(Directory.Exists(cache), $"{cache} is still there after packing {version} again");

            // A plain build, as a user's next one: its restore takes the new build from the feed.
            var next = ws.DotNet("build", "App");
            Assert.True(next.ExitCode == 0, next.ToString());
            var secondBuild = File.ReadAllText(Path.Combine(cache, $"trapweave.{version.ToLowerInvariant()}.nupkg.sha512"));
            var packed = Convert.ToBase64String(System.Security.Cryptography.SHA512.HashData(File.ReadAllBytes(Path.Combine(feed, $"Trapweave.{version}.nupkg"))));
            Assert.Equal(packed, secondBuild);
            Assert.NotEqual(firstBuild, secondBuild);
        }
        finally
        {
            foreach (var id in new[] { "trapweave", "trapweave.fody" })
            {
                var entry = Path.Combine(PackedPackages.GlobalPackagesFolder, id, version.ToLowerInvariant());
                if (Directory.Exists(entry)) Directory.Delete(entry, recursive: true);
            }
        }
    }

    ProcessResult Pack(string version, string feed)
    {
        var pack = ProcessRunner.Run("bash", new[] { Path.Combine(_packages.RepositoryRoot, "build", "pack.sh"), version, feed }, _packages.RepositoryRoot, PackedPackages.PackTimeout);
        Assert.True(pack.ExitCode == 0, pack.ToString());
        return pack;
    }

    [Fact]
    public void Following_the_quick_start_in_an_empty_folder_ends_in_passing_parallel_tests_of_a_patched_static()
    {
        var folder = Path.Combine(_packages.Root, "quick-start");
        Directory.CreateDirectory(folder);
        // Fresh means nothing above it steers the build or the restore either.
        for (var dir = new DirectoryInfo(folder).Parent; dir is not null; dir = dir.Parent)
            foreach (var name in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "NuGet.config", "nuget.config" })
                Assert.False(File.Exists(Path.Combine(dir.FullName, name)), $"{Path.Combine(dir.FullName, name)} would steer the quick start's build: not a fresh folder.");

        ProcessResult last = null;
        foreach (var step in _readme.Steps)
        {
            switch (step)
            {
                case CommandStep { Text: PackCommand }:
                    continue; // run once for the whole test run by the collection fixture
                case CommandStep command:
                    Assert.True(command.Words[0] == "dotnet", $"README.md({command.Line}): `{command.Text}` is not a dotnet command; the quick start needs only the SDK.");
                    last = ProcessRunner.DotNet(folder, Workspace.BuildTimeout, command.Words.Skip(1).Select(Substitute).ToArray());
                    Assert.True(last.ExitCode == 0, $"README.md({command.Line}): {last}");
                    break;
                case FileStep file:
                    var path = Path.Combine(folder, file.Path);
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    File.WriteAllText(path, Substitute(file.Content));
                    break;
            }
        }

        // The last command is the test run: green, every README test among those passed.
        Assert.NotNull(last);
        Assert.StartsWith("test", last.Command.Split(' ', 2)[1]);
        var summary = Regex.Match(last.Output, @"Failed:\s+(\d+), Passed:\s+(\d+)");
        Assert.True(summary.Success, last.ToString());
        Assert.Equal("0", summary.Groups[1].Value);
        var readmeTests = _readme.Steps.OfType<FileStep>().Sum(f => Regex.Matches(f.Content, @"\[Fact\]").Count);
        Assert.True(readmeTests >= 2, "README's quick start has fewer than two tests: none runs beside the patching one.");
        Assert.True(int.Parse(summary.Groups[2].Value) >= readmeTests, last.ToString());
        Assert.Contains(_readme.Steps.OfType<FileStep>(), f => f.Content.Contains("Trap.Patch"));

        // What README says the build prints, it printed ("..." stands for a path).
        var said = Regex.Match(_readme.Text, "`(Trapweave: [^`]+)`", RegexOptions.Singleline);
        Assert.True(said.Success, "README's quick start does not quote the weaving line.");
        var pattern = string.Join(".*", Regex.Replace(said.Groups[1].Value, @"\s*\n\s*", " ").Split("...").Select(Regex.Escape));
        Assert.Matches(new Regex(pattern), last.Output);

        // The test output holds the woven copy; the library's own build stays unwoven.
        var woven = Directory.GetFiles(Path.Combine(folder, "MyApp.Tests", "bin"), "MyApp.dll", SearchOption.AllDirectories);
        Assert.NotEmpty(woven);
        Assert.All(woven, f => Assert.True(WovenAssembly.Read(f).HasTrapTable, $"{f} is not woven"));
        Assert.All(Directory.GetFiles(Path.Combine(folder, "MyApp", "bin"), "MyApp.dll", SearchOption.AllDirectories),
            f => Assert.False(WovenAssembly.Read(f).HasTrapTable, $"{f}, the library's own build, was woven"));

        // README's picture of the test project's package references is what the commands wrote.
        var project = File.ReadAllText(Path.Combine(folder, "MyApp.Tests", "MyApp.Tests.csproj"));
        var pictured = _readme.Examples.SelectMany(e => Regex.Matches(e, @"<PackageReference Include=""([^""]+)"" Version=""([^""]+)""")).ToArray();
        Assert.Equal(2, pictured.Length);
        foreach (var reference in pictured)
            Assert.Contains($"<PackageReference Include=\"{reference.Groups[1].Value}\" Version=\"{Substitute(reference.Groups[2].Value)}\"", project);
        Assert.Matches(new Regex(@"<PackageReference Include=""Trapweave.Fody""[^>]*>\s*(<[^/][^>]*>[^<]*</[^>]+>\s*)*<PrivateAssets>all</PrivateAssets>"), project);
    }
}
