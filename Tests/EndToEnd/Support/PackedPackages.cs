using System.IO;
using System.Text.RegularExpressions;

namespace Trapweave.Tests.EndToEnd.Support;

/// <summary>
/// Packs Trapweave and Trapweave.Fody once per test run with build/pack.sh, under a version no
/// earlier run used (so NuGet's global package cache cannot serve a stale build of it), into a
/// feed folder of its own. Workspaces made from it restore from that feed and nuget.org.
/// Set TRAPWEAVE_E2E_KEEP=1 to keep the temporary folders for a look after the run.
/// </summary>
public sealed class PackedPackages : IDisposable
{
    public static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(8);

    public PackedPackages()
    {
        RepositoryRoot = FindRepositoryRoot();
        Root = Path.Combine(Path.GetTempPath(), "trapweave-e2e", $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}");
        FeedDirectory = Path.Combine(Root, "feed");
        Directory.CreateDirectory(FeedDirectory);

        var baseVersion = Regex.Match(File.ReadAllText(Path.Combine(RepositoryRoot, "Directory.Build.props")), "<Version>([^<]+)</Version>").Groups[1].Value;
        // Numeric pre-release identifiers: no leading zeros, so the process id goes last and the time is one number.
        Version = $"{baseVersion}-e2e.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";

        PackResult = ProcessRunner.Run("bash", new[] { Path.Combine(RepositoryRoot, "build", "pack.sh"), Version, FeedDirectory }, RepositoryRoot, PackTimeout);
        if (PackResult.ExitCode != 0) throw new InvalidOperationException("build/pack.sh failed: " + PackResult);
        RuntimePackage = Path.Combine(FeedDirectory, $"Trapweave.{Version}.nupkg");
        FodyPackage = Path.Combine(FeedDirectory, $"Trapweave.Fody.{Version}.nupkg");
        foreach (var package in new[] { RuntimePackage, FodyPackage })
            if (!File.Exists(package)) throw new InvalidOperationException($"build/pack.sh did not produce {package}: " + PackResult);
    }

    public string RepositoryRoot { get; }
    public string Root { get; }
    public string FeedDirectory { get; }
    public string Version { get; }
    public ProcessResult PackResult { get; }
    public string RuntimePackage { get; }
    public string FodyPackage { get; }

    public string Samples => Path.Combine(RepositoryRoot, "samples");

    /// <summary>A new empty folder with a NuGet.config (this run's feed, then nuget.org) and a Directory.Build.props naming this run's version.</summary>
    public Workspace CreateWorkspace(string name)
    {
        var workspace = new Workspace(Path.Combine(Root, name + "-" + Guid.NewGuid().ToString("N")[..6]));
        workspace.Write("NuGet.config", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="trapweave-e2e" value="{FeedDirectory}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);
        // As samples/Directory.Build.props, with this run's packages. It also stops the search for
        // Directory.Build.props files in the folders above.
        workspace.Write("Directory.Build.props", $"""
            <Project>
              <PropertyGroup>
                <TrapweaveVersion>{Version}</TrapweaveVersion>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
            </Project>
            """);
        return workspace;
    }

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("TRAPWEAVE_E2E_KEEP") == "1") return;
        TryDelete(Root);
        // This run's version is never used again: take it out of NuGet's global package cache.
        foreach (var id in new[] { "trapweave", "trapweave.fody", "trapweave.cli" })
            TryDelete(Path.Combine(GlobalPackagesFolder, id, Version.ToLowerInvariant()));
    }

    /// <summary>NuGet's global package cache (NUGET_PACKAGES, else ~/.nuget/packages).</summary>
    public static string GlobalPackagesFolder =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    static void TryDelete(string directory)
    {
        try { if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Weaving.sln")) && File.Exists(Path.Combine(dir.FullName, "build", "pack.sh")))
                return dir.FullName;
        throw new InvalidOperationException($"No Weaving.sln with build/pack.sh above {AppContext.BaseDirectory}.");
    }
}

[CollectionDefinition(Name)]
public sealed class EndToEndCollection : ICollectionFixture<PackedPackages>
{
    /// <summary>One collection: the end-to-end builds run one after another, not side by side on the CPU.</summary>
    public const string Name = "EndToEnd";
}
