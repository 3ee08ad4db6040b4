using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace Trapweave.Tracing;

/// <summary>
/// What the TRAPWEAVE_TRACE* variables ask for, parsed strictly: a bad value turns tracing off with a
/// message naming the variable and the fix (tracing is never worth failing a test or an app for).
/// </summary>
internal sealed class TraceEnvironmentSettings
{
    public const string DirectoryVariable = "TRAPWEAVE_TRACE";
    public const string FormatsVariable = "TRAPWEAVE_TRACE_FORMATS";
    public const string IncludeVariable = "TRAPWEAVE_TRACE_INCLUDE";
    public const string ExcludeVariable = "TRAPWEAVE_TRACE_EXCLUDE";
    public const string WindowVariable = "TRAPWEAVE_TRACE_WINDOW";

    public static readonly TimeSpan DefaultWindow = TimeSpan.FromSeconds(10);

    TraceEnvironmentSettings(string directory, TraceFileFormat formats, TraceCallFilter filter, TimeSpan window, string? warning)
    {
        Directory = directory;
        Formats = formats;
        Filter = filter;
        Window = window;
        Warning = warning;
    }

    /// <summary>Where trace files go (absolute).</summary>
    public string Directory { get; }
    public TraceFileFormat Formats { get; }
    public TraceCallFilter Filter { get; }
    /// <summary>How long a process-wide trace records before it is written and a new one begins.</summary>
    public TimeSpan Window { get; }
    /// <summary>Something asked for that this build cannot do (the html viewer), said once; tracing goes on without it.</summary>
    public string? Warning { get; }

    public CallTraceOptions OptionsFor(string? name) => new() { Name = name, Filter = Filter };

    /// <summary>
    /// Reads the variables through <paramref name="read"/>. Null with a null <paramref name="error"/>:
    /// TRAPWEAVE_TRACE is unset. Null with an error: set, but something is wrong (the message says what).
    /// A relative TRAPWEAVE_TRACE is resolved against <paramref name="startDirectory"/>.
    /// </summary>
    public static TraceEnvironmentSettings? Read(Func<string, string?> read, string startDirectory, out string? error)
    {
        error = null;
        var directory = read(DirectoryVariable);
        if (string.IsNullOrWhiteSpace(directory)) return null;

        string fullDirectory;
        try { fullDirectory = Path.GetFullPath(Path.Combine(startDirectory, directory.Trim())); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            error = $"{DirectoryVariable}='{directory}' is not a usable directory path ({e.Message}). Set it to a folder, e.g. {DirectoryVariable}=traces.";
            return null;
        }

        string? warning = null;
        var formats = TraceFiles.DefaultFormats;
        if (read(FormatsVariable) is { } formatList && !string.IsNullOrWhiteSpace(formatList))
        {
            formats = TraceFileFormat.None;
            foreach (var part in Split(formatList))
            {
                switch (part.ToLowerInvariant())
                {
                    case "json": formats |= TraceFileFormat.Json; break;
                    case "chrome": formats |= TraceFileFormat.Chrome; break;
                    case "html": formats |= TraceFileFormat.Html; break;
                    default:
                        error = $"{FormatsVariable}='{formatList}' names an unknown format '{part}'. Use a comma-separated list of json, chrome, html (or leave it unset for the default).";
                        return null;
                }
            }
            if (formats == TraceFileFormat.None)
            {
                error = $"{FormatsVariable}='{formatList}' names no format. Use a comma-separated list of json, chrome, html (or leave it unset for the default).";
                return null;
            }
        }

        var include = Split(read(IncludeVariable));
        var exclude = Split(read(ExcludeVariable));
        TraceCallFilter filter;
        try
        {
            filter = include.Length == 0 && exclude.Length == 0 ? TraceCallFilter.Default : new TraceCallFilter(include, exclude);
            _ = new TracePatterns(filter.Include);
            _ = new TracePatterns(filter.Exclude);
        }
        catch (ArgumentException e)
        {
            error = $"{IncludeVariable}/{ExcludeVariable}: {e.Message}";
            return null;
        }

        var window = DefaultWindow;
        if (read(WindowVariable) is { } windowText && !string.IsNullOrWhiteSpace(windowText))
        {
            if (!TryParseDuration(windowText.Trim(), out window) || window <= TimeSpan.Zero)
            {
                error = $"{WindowVariable}='{windowText}' is not a positive duration. Write it as 500ms, 10s, 5m or 1h (or leave it unset for {DefaultWindow.TotalSeconds:0}s).";
                return null;
            }
        }

        return new TraceEnvironmentSettings(fullDirectory, formats, filter, window, warning);
    }

    /// <summary>TRAPWEAVE_TRACE from this process's environment; a relative path counts from where the user started the command.</summary>
    public static TraceEnvironmentSettings? FromProcess(out string? error) =>
        Read(System.Environment.GetEnvironmentVariable, StartDirectory(), out error);

    /// <summary>
    /// `dotnet test` runs the test host in the test project's output folder, so a relative
    /// TRAPWEAVE_TRACE would land there; the shell's PWD (inherited, unchanged by dotnet) is where the
    /// user typed the command. It is used only when the current directory lies inside it (a PWD left
    /// stale by a launcher that is not a shell is ignored); else the current directory.
    /// </summary>
    internal static string StartDirectory(string? pwd, string current)
    {
        if (string.IsNullOrEmpty(pwd) || !Path.IsPathRooted(pwd)) return current;
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(pwd));
        var here = Path.TrimEndingDirectorySeparator(Path.GetFullPath(current));
        var comparison = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        return here.Equals(root, comparison) || here.StartsWith(root + Path.DirectorySeparatorChar, comparison) ? root : current;
    }

    static string StartDirectory() =>
        StartDirectory(System.Environment.GetEnvironmentVariable("PWD"), System.Environment.CurrentDirectory);

    static string[] Split(string? list) =>
        list is null ? Array.Empty<string>() : list.Split(',').Select(p => p.Trim()).Where(p => p.Length > 0).ToArray();

    static IEnumerable<string> Names(TraceFileFormat formats)
    {
        if ((formats & TraceFileFormat.Json) != 0) yield return "json";
        if ((formats & TraceFileFormat.Chrome) != 0) yield return "chrome";
        if ((formats & TraceFileFormat.Html) != 0) yield return "html";
    }

    internal static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        // "ms" before "s" and "m": the longer suffix is tried first.
        (string Suffix, double Factor)[] units = { ("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000) };
        foreach (var (suffix, factor) in units)
        {
            if (!text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)) continue;
            var number = text.Substring(0, text.Length - suffix.Length).Trim();
            if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || double.IsNaN(value) || double.IsInfinity(value)) return false;
            var ms = value * factor;
            if (ms > TimeSpan.FromDays(1).TotalMilliseconds) return false;
            duration = TimeSpan.FromMilliseconds(ms);
            return true;
        }
        return false;
    }
}
