using System;
using System.Collections.Concurrent;
using System.ComponentModel;
using System.Reflection;
using System.Threading;

namespace Trapweave.Tracing;

/// <summary>
/// Tracing turned on by the environment (TRAPWEAVE_TRACE=&lt;dir&gt;), with nothing in the code: per
/// test under a test framework (through <c>Trapweave.Testing.TestScopes.BeginTest</c>), and for a
/// whole process in a woven app whose build opted in (<c>TraceFromEnvironment="true"</c>), whose
/// module initializer calls <see cref="Initialize"/>.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class EnvironmentTrace
{
    static readonly Lazy<(TraceEnvironmentSettings? Settings, TraceFiles? Files, string? Error)> FromProcess = new(Read, LazyThreadSafetyMode.ExecutionAndPublication);
    static readonly ConcurrentDictionary<string, bool> Said = new(StringComparer.Ordinal);
    static int s_initialized;
    static ProcessTrace? s_process;

    /// <summary>
    /// Called by the module initializer the weaver adds to a woven app (an assembly with an entry
    /// point that is not a test project). Does nothing unless TRAPWEAVE_TRACE is set and
    /// <paramref name="assemblyName"/> is the process's entry assembly (a woven app loaded as a library,
    /// say by a test host, is not the process). Then, if the build opted in, it traces the whole
    /// process into that directory, one trace per time window and at exit; if not, it says once on
    /// stderr why the variable is ignored. Never throws.
    /// </summary>
    public static void Initialize(string assemblyName, bool traceFromEnvironment)
    {
        try
        {
            if (string.IsNullOrWhiteSpace(System.Environment.GetEnvironmentVariable(TraceEnvironmentSettings.DirectoryVariable))) return;
            if (!string.Equals(Assembly.GetEntryAssembly()?.GetName().Name, assemblyName, StringComparison.Ordinal)) return;
            if (Interlocked.Exchange(ref s_initialized, 1) != 0) return;
            if (!traceFromEnvironment)
            {
                Say($"Trapweave: {TraceEnvironmentSettings.DirectoryVariable} is set, but this process is not traced: {assemblyName} was built without " +
                    "TraceFromEnvironment=\"true\" on <Trapweave> in its FodyWeavers.xml. Traces hold argument values, so a build must opt in to be traced from the environment.");
                return;
            }
            var (settings, files, error) = FromProcess.Value;
            if (settings is null || files is null)
            {
                Say($"Trapweave: not tracing this process: {error}");
                return;
            }
            if (settings.Warning is { } warning) Say("Trapweave: " + warning);
            var process = new ProcessTrace(settings, files, assemblyName, static options => Trap.Global.Trace(options));
            process.Start(useTimer: true);
            s_process = process;
            AppDomain.CurrentDomain.ProcessExit += static (_, _) => s_process?.Finish();
            Say($"Trapweave: tracing this process into {settings.Directory} ({TraceEnvironmentSettings.DirectoryVariable}): one trace per {Describe(settings.Window)} " +
                $"({TraceEnvironmentSettings.WindowVariable}) and one at exit, as {Formats(files.Formats)}. Traces hold argument values.");
        }
        catch (Exception e)
        {
            Say($"Trapweave: could not start tracing from {TraceEnvironmentSettings.DirectoryVariable}: {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>The settings for per-test traces, or null when TRAPWEAVE_TRACE is unset or wrong (said once).</summary>
    internal static (TraceEnvironmentSettings Settings, TraceFiles Files)? ForTests(out string? problem)
    {
        problem = null;
        var (settings, files, error) = FromProcess.Value;
        if (error is not null) problem = Once("settings", $"Trapweave: not tracing tests: {error}");
        if (settings is null || files is null) return null;
        if (settings.Warning is { } warning) problem = Once("warning", "Trapweave: " + warning);
        return (settings, files);
    }

    static (TraceEnvironmentSettings?, TraceFiles?, string?) Read()
    {
        var settings = TraceEnvironmentSettings.FromProcess(out var error);
        return (settings, settings is null ? null : new TraceFiles(settings.Directory, settings.Formats), error);
    }

    /// <summary>
    /// <paramref name="message"/> on stderr the first time <paramref name="key"/> comes up, and returned
    /// then (for the test's output); null every later time, so a failing disk does not flood a run.
    /// </summary>
    internal static string? Once(string key, string message)
    {
        if (!Said.TryAdd(key, true)) return null;
        Say(message);
        return message;
    }

    static void Say(string message)
    {
        try { Console.Error.WriteLine(message); }
        catch (Exception) { /* stderr closed: tracing must not fail the process */ }
    }

    internal static string Describe(TimeSpan window) =>
        window.TotalMilliseconds < 1000 ? $"{window.TotalMilliseconds:0}ms" :
        window.TotalSeconds < 60 ? $"{window.TotalSeconds:0.###}s" :
        window.TotalMinutes < 60 ? $"{window.TotalMinutes:0.###}m" : $"{window.TotalHours:0.###}h";

    static string Formats(TraceFileFormat formats)
    {
        var names = new System.Collections.Generic.List<string>();
        foreach (TraceFileFormat format in new[] { TraceFileFormat.Json, TraceFileFormat.Chrome, TraceFileFormat.Html })
            if ((formats & format) != 0) names.Add("*" + TraceFiles.Extension(format));
        return string.Join(", ", names);
    }
}
