using System.IO;
using System.Text.Json;
using System.Text.RegularExpressions;
using Trapweave.Tests.EndToEnd.Support;

namespace Trapweave.Tests.Cli;

/// <summary>
/// <c>trapweave weave</c> and <c>restore</c> in process, on copies of CliApp's build output: what is
/// woven, the backup and restore, dry runs, refusals and errors.
/// </summary>
public sealed class WeaveCommandTests : IDisposable
{
    readonly AppFolder _app = new();

    public void Dispose() => _app.Dispose();

    static readonly string[] RuntimeFiles = { "Trapweave.dll", "Iced.dll" };

    [Fact]
    public void Weave_weaves_the_apps_own_assemblies_and_restore_puts_back_every_original_byte()
    {
        var before = _app.Snapshot();

        var weave = CliRun.Of("weave", _app.Root);

        Assert.True(weave.ExitCode == 0, weave.ToString());
        var app = WovenAssembly.Read(_app["CliApp.dll"]);
        var library = WovenAssembly.Read(_app["CliApp.Library.dll"]);
        Assert.True(app.HasTrapTable && library.HasTrapTable, weave.ToString());
        Assert.Contains("CliApp.Greeter::Greet", app.Trapped);
        Assert.Contains("CliApp.Library.Pricing::Total", library.Trapped);
        Assert.True(WovenAssembly.PdbMatches(_app["CliApp.dll"], _app["CliApp.pdb"]));
        // A package is not the app's own code: left byte for byte alone.
        Assert.Equal(before["Newtonsoft.Json.dll"], _app.Snapshot()["Newtonsoft.Json.dll"]);
        Assert.Contains("Newtonsoft.Json.dll: not woven, a package", weave.Output);
        // The runtime the woven code calls, copied in and entered in the deps.json (the host loads only what it lists).
        foreach (var file in RuntimeFiles) Assert.True(File.Exists(_app[file]), file);
        Assert.Equal(new[] { "Iced.dll", "Trapweave.dll" }, DepsRuntimeEntries(_app["CliApp.deps.json"]).Where(f => RuntimeFiles.Contains(f)).OrderBy(f => f));
        Assert.True(File.Exists(_app[".trapweave-backup/manifest.json"]));
        Assert.Matches(new Regex(@"^  CliApp\.dll: [1-9]\d* methods trapped, \d+ skipped, \d+ call sites? redirected$", RegexOptions.Multiline), weave.Output);
        Assert.Matches(new Regex(@"^Wove 2 assemblies \(", RegexOptions.Multiline), weave.Output);

        var restore = CliRun.Of("restore", _app.Root);

        Assert.True(restore.ExitCode == 0, restore.ToString());
        Assert.Equal(before, _app.Snapshot());
        Assert.False(Directory.Exists(_app[".trapweave-backup"]));
    }

    [Fact]
    public void A_dry_run_reports_what_weave_then_does_and_changes_nothing()
    {
        var before = _app.Snapshot();

        var dryRun = CliRun.Of("weave", _app.Root, "--dry-run");

        Assert.True(dryRun.ExitCode == 0, dryRun.ToString());
        Assert.Equal(before, _app.Snapshot());
        Assert.Contains("Dry run: nothing was changed.", dryRun.Output);

        var weave = CliRun.Of("weave", _app.Root);
        Assert.True(weave.ExitCode == 0, weave.ToString());
        // The same per-assembly lines: the dry run wove copies with the same configuration.
        Assert.Equal(AssemblyLines(weave.Output), AssemblyLines(dryRun.Output));
        Assert.Equal(2, AssemblyLines(weave.Output).Count(l => l.Contains("methods trapped")));
    }

    [Fact]
    public void Weaving_a_woven_folder_again_is_refused_and_changes_nothing()
    {
        Assert.Equal(0, CliRun.Of("weave", _app.Root).ExitCode);
        var woven = _app.Snapshot();

        var again = CliRun.Of("weave", _app.Root);

        Assert.Equal(1, again.ExitCode);
        Assert.Contains("was woven by trapweave already", again.Error);
        Assert.Contains("trapweave restore", again.Error);
        Assert.Equal(woven, _app.Snapshot());
    }

    [Fact]
    public void Include_selects_the_assemblies_and_methods_woven()
    {
        var weave = CliRun.Of("weave", _app.Root, "--include", "CliApp.Library.*");

        Assert.True(weave.ExitCode == 0, weave.ToString());
        Assert.False(WovenAssembly.Read(_app["CliApp.dll"]).HasTrapTable);
        Assert.Contains("CliApp.dll: not woven, no method selected by --include/--exclude", weave.Output);
        Assert.Equal(new[] { "CliApp.Library.Pricing::PriceOf", "CliApp.Library.Pricing::Total" }, WovenAssembly.Read(_app["CliApp.Library.dll"]).Trapped);
        Assert.False(WovenAssembly.Read(_app["Newtonsoft.Json.dll"]).HasTrapTable);
    }

    [Fact]
    public void Exclude_leaves_members_out_and_wins_over_include()
    {
        var weave = CliRun.Of("weave", _app.Root, "--include", "CliApp.*", "--exclude", "CliApp.Greeter::Fib*", "--exclude", "CliApp.Library.*");

        Assert.True(weave.ExitCode == 0, weave.ToString());
        var trapped = WovenAssembly.Read(_app["CliApp.dll"]).Trapped;
        Assert.Contains("CliApp.Greeter::Greet", trapped);
        Assert.DoesNotContain("CliApp.Greeter::Fibonacci", trapped);
        Assert.False(WovenAssembly.Read(_app["CliApp.Library.dll"]).HasTrapTable);
    }

    [Fact]
    public void An_include_pattern_naming_a_packages_code_weaves_that_package()
    {
        var weave = CliRun.Of("weave", _app.Root, "--include", "Newtonsoft.Json.JsonConvert", "--include", "CliApp.Greeter");

        Assert.True(weave.ExitCode == 0, weave.ToString());
        var json = WovenAssembly.Read(_app["Newtonsoft.Json.dll"]);
        Assert.Contains("Newtonsoft.Json.JsonConvert::SerializeObject", json.Trapped);
        Assert.All(json.Trapped, m => Assert.StartsWith("Newtonsoft.Json.JsonConvert::", m));
        Assert.Equal(0, CliRun.Of("restore", _app.Root).ExitCode);
    }

    [Fact]
    public void Redirect_adds_call_sites_to_the_default_set()
    {
        using var other = new AppFolder();

        var defaults = CliRun.Of("weave", _app.Root, "--dry-run");
        var withConsole = CliRun.Of("weave", other.Root, "--dry-run", "--redirect", "System.Console::WriteLine");

        Assert.True(defaults.ExitCode == 0 && withConsole.ExitCode == 0, defaults + "\n" + withConsole);
        // Program.Main calls Console.WriteLine(string) four times, ReportTraps twice.
        Assert.Equal(RedirectedIn("CliApp.dll", defaults.Output) + 6, RedirectedIn("CliApp.dll", withConsole.Output));
    }

    static int RedirectedIn(string assembly, string output) =>
        int.Parse(Regex.Match(output, "^  " + Regex.Escape(assembly) + @": .*, (\d+) call sites? redirected", RegexOptions.Multiline).Groups[1].Value);

    [Fact]
    public void One_assembly_is_woven_alone_with_the_runtime_entered_in_the_deps_json_that_lists_it()
    {
        var before = _app.Snapshot();

        var weave = CliRun.Of("weave", _app["CliApp.Library.dll"]);

        Assert.True(weave.ExitCode == 0, weave.ToString());
        Assert.True(WovenAssembly.Read(_app["CliApp.Library.dll"]).HasTrapTable);
        Assert.False(WovenAssembly.Read(_app["CliApp.dll"]).HasTrapTable);
        Assert.Contains("Trapweave.dll", DepsRuntimeEntries(_app["CliApp.deps.json"]));

        var restore = CliRun.Of("restore", _app["CliApp.Library.dll"]);
        Assert.True(restore.ExitCode == 0, restore.ToString());
        Assert.Equal(before, _app.Snapshot());
    }

    [Fact]
    public void An_assembly_no_deps_json_lists_gets_the_runtime_beside_it_and_a_note()
    {
        var folder = Directory.CreateDirectory(_app["lib-only"]).FullName;
        var library = Path.Combine(folder, "CliApp.Library.dll");
        File.Copy(_app["CliApp.Library.dll"], library);
        var original = File.ReadAllBytes(library);

        var weave = CliRun.Of("weave", library);

        Assert.True(weave.ExitCode == 0, weave.ToString());
        Assert.True(WovenAssembly.Read(library).HasTrapTable);
        Assert.True(File.Exists(Path.Combine(folder, "Trapweave.dll")));
        Assert.Contains("No deps.json in " + folder + " lists CliApp.Library.dll", weave.Output);

        Assert.Equal(0, CliRun.Of("restore", library).ExitCode);
        Assert.Equal(original, File.ReadAllBytes(library));
        Assert.Equal(new[] { "CliApp.Library.dll" }, Directory.GetFileSystemEntries(folder).Select(Path.GetFileName));
    }

    [Fact]
    public void An_assembly_woven_at_build_is_a_no_op_that_says_so()
    {
        // Trapweave.Fixtures is woven by the in-solution Fody add-in when it is built.
        var woven = _app["Trapweave.Fixtures.dll"];
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Trapweave.Fixtures.dll"), woven);
        var before = _app.Snapshot();

        var weave = CliRun.Of("weave", woven);

        Assert.True(weave.ExitCode == 0, weave.ToString());
        Assert.Contains("Nothing to do: Trapweave.Fixtures.dll is already woven. Nothing was changed.", weave.Output);
        Assert.Equal(before, _app.Snapshot());
    }

    [Fact]
    public void Restore_without_a_backup_fails_naming_the_folder()
    {
        var before = _app.Snapshot();

        var restore = CliRun.Of("restore", _app.Root);

        Assert.Equal(1, restore.ExitCode);
        Assert.Contains($"'{_app.Root}' has no trapweave backup", restore.Error);
        Assert.Equal(before, _app.Snapshot());
    }

    [Fact]
    public void Restore_refuses_to_put_old_bytes_over_a_file_changed_after_weaving_unless_forced()
    {
        var before = _app.Snapshot();
        Assert.Equal(0, CliRun.Of("weave", _app.Root).ExitCode);
        File.AppendAllText(_app["CliApp.deps.json"], " ");

        var restore = CliRun.Of("restore", _app.Root);

        Assert.Equal(1, restore.ExitCode);
        Assert.Contains("CliApp.deps.json changed after trapweave wove it", restore.Error);
        Assert.True(WovenAssembly.Read(_app["CliApp.dll"]).HasTrapTable);

        var forced = CliRun.Of("restore", _app.Root, "--force");
        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.Equal(before, _app.Snapshot());
    }

    [Fact]
    public void A_path_that_does_not_exist_is_an_error_naming_it()
    {
        var missing = _app["no-such-folder"];

        var weave = CliRun.Of("weave", missing);

        Assert.Equal(1, weave.ExitCode);
        Assert.Contains($"'{missing}' does not exist", weave.Error);
        Assert.Equal(1, CliRun.Of("restore", missing).ExitCode);
    }

    [Fact]
    public void A_folder_without_a_deps_json_is_not_an_app_and_nothing_is_written()
    {
        var folder = Directory.CreateDirectory(_app["lib-only"]).FullName;
        File.Copy(_app["CliApp.Library.dll"], Path.Combine(folder, "CliApp.Library.dll"));

        var weave = CliRun.Of("weave", folder);

        Assert.Equal(1, weave.ExitCode);
        Assert.Contains($"'{folder}' is not a .NET app folder: it has no *.deps.json", weave.Error);
        Assert.Equal(new[] { "CliApp.Library.dll" }, Directory.GetFileSystemEntries(folder).Select(Path.GetFileName));
    }

    [Fact]
    public void A_file_that_is_not_a_dotnet_assembly_is_an_error_naming_it()
    {
        var native = _app["libnative.dll"];
        File.WriteAllBytes(native, new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0, 0, 0, 0, 0 });

        var weave = CliRun.Of("weave", native);

        Assert.Equal(1, weave.ExitCode);
        Assert.Contains($"'{native}' is not a .NET assembly", weave.Error);
        Assert.False(Directory.Exists(_app[".trapweave-backup"]));
    }

    [Fact]
    public void A_file_in_the_runtimes_place_that_is_not_the_runtime_is_an_error_and_nothing_is_written()
    {
        File.WriteAllText(_app["Trapweave.dll"], "not an assembly");
        var before = _app.Snapshot();

        var weave = CliRun.Of("weave", _app.Root);

        Assert.Equal(1, weave.ExitCode);
        Assert.Contains($"'{_app["Trapweave.dll"]}' is in the way: the woven code needs the Trapweave assembly there, and this file is not a .NET assembly", weave.Error);
        Assert.Equal(before, _app.Snapshot());
    }

    [Fact]
    public void A_bad_pattern_is_an_error_naming_the_option()
    {
        var weave = CliRun.Of("weave", _app.Root, "--exclude", "CliApp.Greeter::Greet(string)");

        Assert.Equal(1, weave.ExitCode);
        Assert.Contains("--exclude: Bad pattern 'CliApp.Greeter::Greet(string)'", weave.Error);
        Assert.False(Directory.Exists(_app[".trapweave-backup"]));
    }

    [Fact]
    public void Usage_errors_exit_non_zero()
    {
        Assert.NotEqual(0, CliRun.Of("weave").ExitCode);
        Assert.NotEqual(0, CliRun.Of("unknown-command").ExitCode);
        Assert.NotEqual(0, CliRun.Of("trace", "x.json", "--format", "svg").ExitCode);
    }

    /// <summary>The per-assembly lines of weave's output (indented), without the header and summary.</summary>
    static string[] AssemblyLines(string output) =>
        output.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith("  ", StringComparison.Ordinal)).ToArray();

    /// <summary>The file names of every runtime asset the deps.json lists for its runtime target.</summary>
    static string[] DepsRuntimeEntries(string depsPath)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(depsPath));
        var target = document.RootElement.GetProperty("runtimeTarget").GetProperty("name").GetString()!;
        return document.RootElement.GetProperty("targets").GetProperty(target).EnumerateObject()
            .Where(library => library.Value.TryGetProperty("runtime", out _))
            .SelectMany(library => library.Value.GetProperty("runtime").EnumerateObject().Select(asset => Path.GetFileName(asset.Name)))
            .ToArray();
    }
}
