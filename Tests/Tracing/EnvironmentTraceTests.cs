#nullable enable
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using Fixtures.Tracing;
using Trapweave.Tracing;

namespace Trapweave.Tests.Tracing;

/// <summary>
/// Tracing from the environment, in process: the TRAPWEAVE_TRACE* variables parsed strictly, trace
/// files named safely and uniquely and written in each format (never throwing), and a process
/// trace's windows (driven by hand here, by a timer in an app). The per-test route under real test
/// frameworks and the app's module initializer are end-to-end tests (Tests/EndToEnd/EnvironmentTraceTests.cs).
/// </summary>
public class EnvironmentTraceTests : System.IDisposable
{
    readonly string _dir = Path.Combine(Path.GetTempPath(), "trapweave-envtrace-" + System.Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    static TraceEnvironmentSettings? Read(Dictionary<string, string> variables, out string? error) =>
        TraceEnvironmentSettings.Read(name => variables.TryGetValue(name, out var value) ? value : null, "/start/here", out error);

    [Fact]
    public void Unset_means_no_tracing_and_no_error()
    {
        Assert.Null(Read(new(), out var error));
        Assert.Null(error);
        Assert.Null(Read(new() { ["TRAPWEAVE_TRACE"] = "  " }, out error));
        Assert.Null(error);
    }

    [Fact]
    public void Defaults_are_every_format_the_woven_code_and_ten_second_windows()
    {
        var settings = Read(new() { ["TRAPWEAVE_TRACE"] = "out" }, out var error);
        Assert.Null(error);
        Assert.Equal(Path.GetFullPath("/start/here/out"), settings!.Directory);
        Assert.Equal(TraceFileFormat.Json | TraceFileFormat.Chrome | TraceFileFormat.Html, settings.Formats);
        Assert.Same(TraceCallFilter.Default, settings.Filter);
        Assert.Equal(System.TimeSpan.FromSeconds(10), settings.Window);
        Assert.Null(settings.Warning);
        Assert.Equal("/abs/dir", Read(new() { ["TRAPWEAVE_TRACE"] = "/abs/dir" }, out _)!.Directory);
    }

    [Theory]
    [InlineData("/work/repo", "/work/repo/Tests/bin/Debug/net10.0", "/work/repo")]   // dotnet test's host, started from the repo
    [InlineData("/work/repo", "/work/repo", "/work/repo")]
    [InlineData("/work/repo", "/work/repository/bin", "/work/repository/bin")]        // not inside: a prefix of the name is not a parent
    [InlineData("/elsewhere", "/work/repo/bin", "/work/repo/bin")]                    // a stale PWD is ignored
    [InlineData(null, "/work/repo/bin", "/work/repo/bin")]
    [InlineData("relative", "/work/repo/bin", "/work/repo/bin")]
    public void A_relative_directory_counts_from_the_shell_s_directory_when_the_process_runs_inside_it(string pwd, string current, string expected) =>
        Assert.Equal(Path.GetFullPath(expected), TraceEnvironmentSettings.StartDirectory(pwd, current));

    [Fact]
    public void Formats_filters_and_window_are_read()
    {
        var settings = Read(new()
        {
            ["TRAPWEAVE_TRACE"] = "out",
            ["TRAPWEAVE_TRACE_FORMATS"] = " Chrome ",
            ["TRAPWEAVE_TRACE_INCLUDE"] = "MyApp.Billing, *.Charge",
            ["TRAPWEAVE_TRACE_EXCLUDE"] = "MyApp.Billing.Cache",
            ["TRAPWEAVE_TRACE_WINDOW"] = "1.5m",
        }, out var error);
        Assert.Null(error);
        Assert.Equal(TraceFileFormat.Chrome, settings!.Formats);
        Assert.Equal(new[] { "MyApp.Billing", "*.Charge" }, settings.Filter.Include);
        Assert.Equal(new[] { "MyApp.Billing.Cache" }, settings.Filter.Exclude);
        Assert.Equal(System.TimeSpan.FromSeconds(90), settings.Window);
        Assert.Equal("MyApp.Billing", settings.OptionsFor("t").Filter.Include[0]);
        Assert.Equal(System.TimeSpan.FromMilliseconds(500), Read(new() { ["TRAPWEAVE_TRACE"] = "o", ["TRAPWEAVE_TRACE_WINDOW"] = "500ms" }, out _)!.Window);
    }

    [Theory]
    [InlineData("TRAPWEAVE_TRACE_FORMATS", "json,pdf", "unknown format 'pdf'")]
    [InlineData("TRAPWEAVE_TRACE_FORMATS", ",", "names no format")]
    [InlineData("TRAPWEAVE_TRACE_WINDOW", "10", "not a positive duration. Write it as 500ms, 10s")]
    [InlineData("TRAPWEAVE_TRACE_WINDOW", "0s", "not a positive duration")]
    [InlineData("TRAPWEAVE_TRACE_WINDOW", "-3s", "not a positive duration")]
    public void A_bad_value_turns_tracing_off_naming_the_variable_and_the_fix(string variable, string value, string message)
    {
        Assert.Null(Read(new() { ["TRAPWEAVE_TRACE"] = "out", [variable] = value }, out var error));
        Assert.StartsWith(variable + "=", error);
        Assert.Contains(message, error);
    }

    [Fact]
    public void Html_alone_is_a_format_and_every_format_is_the_default()
    {
        Assert.Equal(TraceFileFormat.Html, Read(new() { ["TRAPWEAVE_TRACE"] = "out", ["TRAPWEAVE_TRACE_FORMATS"] = "html" }, out var error)!.Formats);
        Assert.Null(error);
        Assert.Equal(TraceFileFormat.Json | TraceFileFormat.Chrome | TraceFileFormat.Html, Read(new() { ["TRAPWEAVE_TRACE"] = "out" }, out _)!.Formats);
    }

    [Theory]
    [InlineData("Shop.Tests.PricingTests.Total(sku: \"A/1\", quantity: 2)", "Shop.Tests.PricingTests.Total(sku_A_1_,_quantity_2)")]
    [InlineData("Ns.Tests.Case(path: \"C:\\\\x\\\\y\")", "Ns.Tests.Case(path_C_x_y_)")]
    [InlineData("a\tb\nc", "a_b_c")]
    [InlineData("../../etc/passwd", "etc_passwd")]
    [InlineData("CON", "_CON")]
    [InlineData("lpt1.test", "_lpt1.test")]
    [InlineData("", "trace")]
    [InlineData("Ünïcode.Tëst", "Ünïcode.Tëst")]
    public void Names_are_made_safe_for_file_systems(string name, string expected) =>
        Assert.Equal(expected, TraceFiles.Sanitize(name));

    [Fact]
    public void Long_names_keep_their_start_and_stay_distinct()
    {
        var a = TraceFiles.Sanitize(new string('a', 300) + "1");
        var b = TraceFiles.Sanitize(new string('a', 300) + "2");
        Assert.True(a.Length <= 120 && b.Length <= 120);
        Assert.StartsWith(new string('a', 100), a);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Repeated_names_get_a_number_ignoring_case()
    {
        var files = new TraceFiles(_dir, TraceFileFormat.Json);
        Assert.Equal("T.Case(1)", files.Reserve("T.Case(1)"));
        Assert.Equal("T.Case(1)~2", files.Reserve("T.Case(1)"));
        Assert.Equal("t.case(1)~3", files.Reserve("t.case(1)"));
        Assert.Equal("T.Case(2)", files.Reserve("T.Case(2)"));
    }

    static CallTrace RecordTotal()
    {
        using var session = Trap.Trace(new CallTraceOptions { Name = "Ns.Tests.Total(x: 1)", Filter = new TraceCallFilter(include: new[] { "Fixtures.Tracing" }) });
        TracedCalls.Total(new[] { 1, 2 }, 1.5m);
        return session.Stop();
    }

    [Fact]
    public void Each_format_is_written_and_reads_back()
    {
        var trace = RecordTotal();
        var (written, error) = new TraceFiles(_dir, TraceFileFormat.Json | TraceFileFormat.Chrome).Write(trace, trace.Name!);
        Assert.Null(error);
        Assert.Equal(new[] { Path.Combine(_dir, "Ns.Tests.Total(x_1).trace.json"), Path.Combine(_dir, "Ns.Tests.Total(x_1).chrome.json") }, written);

        var read = TraceJson.ReadFile(written[0]);
        Assert.Equal("Ns.Tests.Total(x: 1)", read.Name);
        Assert.Equal(5, read.CallCount);
        using var chrome = JsonDocument.Parse(File.ReadAllText(written[1]));
        var complete = 0;
        foreach (var e in chrome.RootElement.GetProperty("traceEvents").EnumerateArray())
            if (e.GetProperty("ph").GetString() == "X") complete++;
        Assert.Equal(5, complete);
    }

    [Fact]
    public void A_write_failure_is_returned_not_thrown_and_the_other_formats_are_still_written()
    {
        Directory.CreateDirectory(_dir);
        // A directory where the JSON file should go: that file cannot be created.
        Directory.CreateDirectory(Path.Combine(_dir, "T.trace.json"));
        var (written, error) = new TraceFiles(_dir, TraceFileFormat.Json | TraceFileFormat.Chrome).Write(RecordTotal(), "T");
        Assert.Equal(new[] { Path.Combine(_dir, "T.chrome.json") }, written);
        Assert.Contains("could not write '" + Path.Combine(_dir, "T.trace.json") + "'", error);

        File.WriteAllText(Path.Combine(_dir, "file"), "");
        (written, error) = new TraceFiles(Path.Combine(_dir, "file", "sub"), TraceFileFormat.Json).Write(RecordTotal(), "T");
        Assert.Empty(written);
        Assert.Contains("could not create the trace directory", error);
    }

    [Fact]
    public void A_process_trace_writes_each_window_that_recorded_calls_and_the_last_at_exit()
    {
        var settings = Read(new() { ["TRAPWEAVE_TRACE"] = _dir, ["TRAPWEAVE_TRACE_INCLUDE"] = "Fixtures.Tracing", ["TRAPWEAVE_TRACE_FORMATS"] = "json" }, out _)!;
        var files = new TraceFiles(settings.Directory, settings.Formats);
        // Flow-scoped sessions here (the app uses Trap.Global.Trace), so parallel tests' calls stay out.
        var process = new ProcessTrace(settings, files, "App", options => Trap.Trace(options));
        var pid = System.Environment.ProcessId;
        process.Start(useTimer: false);

        TracedCalls.Double(1);
        process.Rotate();                       // window 1: written
        process.Rotate();                       // window 2: nothing recorded, nothing written
        TracedCalls.Double(2);
        TracedCalls.Double(3);
        process.Finish();                       // window 3, at exit
        process.Rotate();                       // after exit: nothing

        Assert.Equal(2, process.Written);
        var traces = Directory.GetFiles(_dir);
        System.Array.Sort(traces);
        Assert.Equal(new[] { Path.Combine(_dir, $"App.{pid}.1.trace.json"), Path.Combine(_dir, $"App.{pid}.3.trace.json") }, traces);
        Assert.Equal(new[] { "x = 1" }, Arguments(TraceJson.ReadFile(traces[0])));
        Assert.Equal(new[] { "x = 2", "x = 3" }, Arguments(TraceJson.ReadFile(traces[1])));
    }

    [Fact]
    public void A_process_trace_that_recorded_nothing_still_leaves_one_trace_at_exit()
    {
        var settings = Read(new() { ["TRAPWEAVE_TRACE"] = _dir, ["TRAPWEAVE_TRACE_INCLUDE"] = "Fixtures.Tracing.Nothing", ["TRAPWEAVE_TRACE_FORMATS"] = "json" }, out _)!;
        var process = new ProcessTrace(settings, new TraceFiles(settings.Directory, settings.Formats), "Idle", options => Trap.Trace(options));
        process.Start(useTimer: false);
        process.Rotate();
        process.Finish();
        var trace = TraceJson.ReadFile(Assert.Single(Directory.GetFiles(_dir)));
        Assert.Equal(0, trace.CallCount);
    }

    static IEnumerable<string> Arguments(CallTrace trace)
    {
        foreach (var call in trace.AllCalls())
            foreach (var argument in call.Arguments) yield return argument.ToString()!;
    }
}
