using System.IO;
using System.Text.Json;
using Trapweave.Tests.Tracing;
using Trapweave.Tracing;

namespace Trapweave.Tests.Cli;

/// <summary><c>trapweave trace</c> in process, on a JSON call tree written from <see cref="TraceJsonTests.Sample"/>.</summary>
public sealed class TraceCommandTests : IDisposable
{
    readonly string _folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "trapweave-cli-trace", Guid.NewGuid().ToString("N"))).FullName;
    readonly CallTrace _trace = TraceJsonTests.Sample();
    readonly string _input;

    public TraceCommandTests()
    {
        _input = Path.Combine(_folder, "sample.json");
        TraceJson.WriteFile(_trace, _input);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Chrome_format_writes_trace_events_one_complete_event_per_call()
    {
        var output = Path.Combine(_folder, "out.chrome.json");

        var run = CliRun.Of("trace", _input, "--format", "chrome", "--output", output);

        Assert.True(run.ExitCode == 0, run.ToString());
        using var document = JsonDocument.Parse(File.ReadAllText(output));
        var events = document.RootElement.GetProperty("traceEvents").EnumerateArray().ToArray();
        Assert.Equal(_trace.CallCount, events.Count(e => e.GetProperty("ph").GetString() == "X"));
        Assert.Contains(events, e => e.GetProperty("ph").GetString() == "X" && e.GetProperty("name").GetString() == "TraceSamples.Login");
        Assert.Contains($"Wrote {output} (chrome, 6 calls,", run.Output);
    }

    [Fact]
    public void Chrome_format_without_output_writes_beside_the_input()
    {
        var run = CliRun.Of("trace", _input, "--format", "chrome");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(File.Exists(Path.Combine(_folder, "sample.chrome.json")), run.ToString());
    }

    [Fact]
    public void Json_format_round_trips_the_call_tree_unchanged()
    {
        var output = Path.Combine(_folder, "again.json");

        var run = CliRun.Of("trace", _input, "--format", "json", "--output", output);

        Assert.True(run.ExitCode == 0, run.ToString());
        var again = TraceJson.ReadFile(output);
        Assert.Equal(TraceJson.Serialize(_trace), TraceJson.Serialize(again));
        Assert.Equal(_trace.CallCount, again.CallCount);
    }

    [Fact]
    public void Without_a_format_it_prints_a_summary()
    {
        var run = CliRun.Of("trace", _input);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("3 root calls, 6 calls in 2 flows, 1 threw, 1 answered by an arrangement", run.Output);
        Assert.Contains("truncated at its cap of 6 calls: 1 calls and 0 values dropped", run.Output);
        var longest = run.Output.Split('\n').SkipWhile(l => !l.Contains("longest calls:")).Skip(1).First();
        // FetchAsync runs 14 µs, to its task's completion: the longest call.
        Assert.Contains("14 µs  Trapweave.Tests.Tracing.TraceSamples.FetchAsync(int)", longest);
        Assert.Contains("TraceSamples.Login(string, string) threw System.InvalidOperationException: locked ✗", run.Output);
    }

    [Fact]
    public void Html_writes_the_viewer_with_the_trace_inside()
    {
        var output = Path.Combine(_folder, "sample.html");
        var run = CliRun.Of("trace", _input, "--format", "html", "--output", output);

        Assert.True(run.ExitCode == 0, run.ToString());
        var html = File.ReadAllText(output);
        Assert.StartsWith("<!DOCTYPE html>", html.TrimStart(), StringComparison.OrdinalIgnoreCase);
        // The trace is embedded as its JSON call tree (with < escaped for the script block).
        Assert.Contains(TraceJson.Serialize(_trace).Replace("<", "\\u003c")[..40], html);
    }

    [Fact]
    public void A_chrome_file_or_other_json_is_refused_naming_the_file()
    {
        var chrome = Path.Combine(_folder, "events.json");
        ChromeTrace.WriteFile(_trace, chrome);
        var other = Path.Combine(_folder, "other.json");
        File.WriteAllText(other, """{ "format": "something-else" }""");

        var fromChrome = CliRun.Of("trace", chrome);
        var fromOther = CliRun.Of("trace", other);
        var missing = CliRun.Of("trace", Path.Combine(_folder, "missing.json"));

        Assert.Equal(1, fromChrome.ExitCode);
        Assert.Contains($"'{chrome}' is already in the Chrome trace-event format", fromChrome.Error);
        Assert.Equal(1, fromOther.ExitCode);
        Assert.Contains($"'{other}' is not a Trapweave trace", fromOther.Error);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("missing.json' does not exist", missing.Error);
    }
}
