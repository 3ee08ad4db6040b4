using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;

namespace Trapweave.Tests.EndToEnd.Support;

/// <summary>What a finished process printed (stdout and stderr, interleaved as received) and how it exited.</summary>
public sealed record ProcessResult(string Command, string WorkingDirectory, int ExitCode, string Output, TimeSpan Elapsed)
{
    public string[] Lines => Output.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();

    public override string ToString() =>
        $"`{Command}` in {WorkingDirectory} exited with {ExitCode} after {Elapsed.TotalSeconds:0.0} s. Output:{Environment.NewLine}{Output}";
}

/// <summary>
/// Runs real processes (dotnet build/test, bash) with a timeout, in an environment cleaned of the
/// variables the test host inherited from the outer `dotnet test` (MSBuild's, VSTest's), so each
/// child is an ordinary command-line build.
/// </summary>
public static class ProcessRunner
{
    /// <summary>The dotnet executable running the tests (the same SDK), else the one on PATH.</summary>
    public static string DotNetExecutable =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    public static ProcessResult DotNet(string workingDirectory, TimeSpan timeout, params string[] arguments) =>
        Run(DotNetExecutable, arguments, workingDirectory, timeout);

    public static ProcessResult Run(string fileName, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout) =>
        Run(fileName, arguments, workingDirectory, timeout, null);

    /// <summary>As above, with <paramref name="environment"/> set (a null value removes the variable).</summary>
    public static ProcessResult Run(string fileName, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        CleanEnvironment(start.Environment);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            if (value is null) start.Environment.Remove(name); else start.Environment[name] = value;
        var command = fileName + " " + string.Join(" ", start.ArgumentList);

        var output = new StringBuilder();
        void Append(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is null) return;
            lock (output) output.Append(e.Data).Append('\n');
        }

        var watch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += Append;
        process.ErrorDataReceived += Append;
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        if (!process.WaitForExit((int)timeout.TotalMilliseconds))
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            process.WaitForExit(10_000);
            string partial;
            lock (output) partial = output.ToString();
            throw new TimeoutException($"`{command}` in {workingDirectory} did not finish within {timeout.TotalSeconds:0} s and was killed. Output so far:{Environment.NewLine}{partial}");
        }
        // The process has exited; let the asynchronous readers reach the end of both streams.
        using (var drained = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            try { process.WaitForExitAsync(drained.Token).GetAwaiter().GetResult(); }
            catch (OperationCanceledException) { }
        }
        watch.Stop();
        string text;
        lock (output) text = output.ToString();
        return new ProcessResult(command, workingDirectory, process.ExitCode, text, watch.Elapsed);
    }

    static void CleanEnvironment(IDictionary<string, string> environment)
    {
        foreach (var name in environment.Keys.ToArray())
        {
            if (name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) ||
                name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase) ||
                name.StartsWith("TESTINGPLATFORM", StringComparison.OrdinalIgnoreCase) ||
                name.StartsWith("TRAPWEAVE_TRACE", StringComparison.OrdinalIgnoreCase) || // a traced outer run must not trace its children
                name.Equals("TrapweaveVersion", StringComparison.OrdinalIgnoreCase))
                environment.Remove(name);
        }
        // Fresh MSBuild nodes and no compiler server: nothing outlives the command or holds its output open.
        environment["MSBUILDDISABLENODEREUSE"] = "1";
        environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        environment["UseSharedCompilation"] = "false";
        environment["MSBUILDTERMINALLOGGER"] = "off";
        environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        environment["DOTNET_NOLOGO"] = "1";
        environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
    }
}
