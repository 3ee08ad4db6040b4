using System.IO;
using System.IO.Compression;
using System.Security.Cryptography;
using Trapweave.Tests.EndToEnd.Support;

namespace Trapweave.Tests.Cli;

/// <summary>
/// The packed tool on a published app: <c>dotnet tool install --tool-path</c> from this run's feed,
/// <c>dotnet publish</c> of CliApp (a console app nobody wove, with its library and a package),
/// <c>trapweave weave</c> on the publish folder, the app run again (same output; its methods woven,
/// the runtime found through the deps.json), then <c>trapweave restore</c> (every byte back).
/// </summary>
[Collection(EndToEndCollection.Name), Trait("Category", "EndToEnd")]
public sealed class TrapweaveToolEndToEndTests
{
    static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);
    readonly PackedPackages _packages;

    public TrapweaveToolEndToEndTests(PackedPackages packages) => _packages = packages;

    [Fact]
    public void The_installed_tool_weaves_a_published_app_that_then_runs_woven_and_restore_gives_back_every_byte()
    {
        var ws = _packages.CreateWorkspace("trapweave-tool");
        var unwoven = Path.Combine(_packages.RepositoryRoot, "TestAssemblies", "Unwoven");
        ws.CopyProject(Path.Combine(unwoven, "CliApp"), "CliApp");
        ws.CopyProject(Path.Combine(unwoven, "CliApp.Library"), "CliApp.Library");

        var publish = ws.DotNet("publish", "CliApp/CliApp.csproj", "-c", "Release", "-o", "publish");
        Assert.True(publish.ExitCode == 0, publish.ToString());
        var install = ProcessRunner.DotNet(ws.Root, Workspace.BuildTimeout,
            "tool", "install", "Trapweave.Cli", "--tool-path", ws["tools"], "--version", _packages.Version, "--add-source", _packages.FeedDirectory);
        Assert.True(install.ExitCode == 0, install.ToString());
        var trapweave = ws["tools/trapweave"];

        var plainBefore = App(ws, reportTraps: false);
        Assert.True(plainBefore.ExitCode == 0, plainBefore.ToString());
        Assert.Contains("total: 4.5", plainBefore.Output);
        var trapsBefore = App(ws, reportTraps: true);
        Assert.Equal(3, trapsBefore.ExitCode);
        Assert.Contains("trapped: Trapweave is not loadable", trapsBefore.Output);
        var original = Snapshot(ws["publish"]);

        var weave = ProcessRunner.Run(trapweave, new[] { "weave", ws["publish"] }, ws.Root, RunTimeout);

        Assert.True(weave.ExitCode == 0, weave.ToString());
        Assert.Contains("CliApp.dll: ", weave.Output);
        Assert.Contains("CliApp.Library.dll: ", weave.Output);
        var plainAfter = App(ws, reportTraps: false);
        Assert.True(plainAfter.ExitCode == 0, plainAfter.ToString());
        Assert.Equal(plainBefore.Output, plainAfter.Output);
        var trapsAfter = App(ws, reportTraps: true);
        Assert.True(trapsAfter.ExitCode == 0, trapsAfter.ToString());
        Assert.Contains("trapped Greeter.Greet: True", trapsAfter.Output);
        Assert.Contains("trapped Greeter.Fibonacci: True", trapsAfter.Output);
        Assert.Contains("trapped Pricing.Total: True", trapsAfter.Output);
        Assert.Contains("trapped JsonConvert.SerializeObject: False", trapsAfter.Output);
        // The runtime copied in is the one the Trapweave package of the same pack ships.
        Assert.Equal(RuntimeInPackage(), Hash(ws["publish/Trapweave.dll"]));

        // Without its deps.json entry the host does not load Trapweave.dll, though the file is there.
        var copy = ws["publish-without-entry"];
        CopyFolder(ws["publish"], copy);
        File.Copy(ws["publish/.trapweave-backup/files/CliApp.deps.json"], Path.Combine(copy, "CliApp.deps.json"), overwrite: true);
        Assert.True(File.Exists(Path.Combine(copy, "Trapweave.dll")));
        var withoutEntry = ProcessRunner.Run("env", new[] { "CLIAPP_REPORT_TRAPS=1", ProcessRunner.DotNetExecutable, Path.Combine(copy, "CliApp.dll") }, ws.Root, RunTimeout);
        Assert.Equal(3, withoutEntry.ExitCode);
        Assert.Contains("trapped: Trapweave is not loadable (FileNotFoundException)", withoutEntry.Output);

        var restore = ProcessRunner.Run(trapweave, new[] { "restore", ws["publish"] }, ws.Root, RunTimeout);

        Assert.True(restore.ExitCode == 0, restore.ToString());
        Assert.Equal(original, Snapshot(ws["publish"]));
        var plainRestored = App(ws, reportTraps: false);
        Assert.True(plainRestored.ExitCode == 0, plainRestored.ToString());
        Assert.Equal(plainBefore.Output, plainRestored.Output);

        // Seed 002's case: a binary nobody rebuilds, woven to honour TRAPWEAVE_TRACE, then traced by the variable alone.
        var traced = ProcessRunner.Run(trapweave, new[] { "weave", ws["publish"], "--trace-from-environment" }, ws.Root, RunTimeout);
        Assert.True(traced.ExitCode == 0, traced.ToString());
        var traces = ws["traces"];
        var run = ProcessRunner.Run("env", new[] { "TRAPWEAVE_TRACE=" + traces, ProcessRunner.DotNetExecutable, ws["publish/CliApp.dll"] }, ws.Root, RunTimeout);
        Assert.True(run.ExitCode == 0, run.ToString());
        // The notice comes first (on stderr), the app's own output after it, unchanged.
        Assert.Contains("Trapweave: tracing this process", run.Output);
        Assert.EndsWith(plainBefore.Output.TrimEnd(), run.Output.TrimEnd());
        var file = Assert.Single(Directory.GetFiles(traces, "*.trace.json"));
        var trace = Trapweave.Tracing.TraceJson.ReadFile(file);
        Assert.Contains(trace.AllCalls(), c => c.Method.Contains("Greeter.Greet"));
        Assert.Contains(trace.AllCalls(), c => c.Method.Contains("Pricing.Total"));
    }

    ProcessResult App(Workspace ws, bool reportTraps) =>
        ProcessRunner.Run("env", new[] { "CLIAPP_REPORT_TRAPS=" + (reportTraps ? "1" : "0"), ProcessRunner.DotNetExecutable, ws["publish/CliApp.dll"] }, ws.Root, RunTimeout);

    string RuntimeInPackage()
    {
        using var package = ZipFile.OpenRead(_packages.RuntimePackage);
        using var stream = package.GetEntry("lib/net8.0/Trapweave.dll")!.Open();
        return Convert.ToHexString(SHA256.HashData(stream));
    }

    static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    static SortedDictionary<string, string> Snapshot(string folder)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            files[Path.GetRelativePath(folder, file)] = Hash(file);
        return files;
    }

    static void CopyFolder(string source, string target)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }
}
