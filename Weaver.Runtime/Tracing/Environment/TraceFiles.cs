using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Trapweave.Tracing;

/// <summary>
/// Names and writes the trace files of one directory: a trace's name (a test's display name) made
/// safe for every file system, made unique among the names this process used there (theory rows,
/// repeated windows), and written in each asked-for format. Never throws: a failure is returned.
/// </summary>
internal sealed class TraceFiles
{
    /// <summary>File names stay well below every file system's 255-byte limit, extensions included.</summary>
    const int MaxBaseLength = 120;

    readonly HashSet<string> _used = new(StringComparer.OrdinalIgnoreCase); // case-insensitive file systems
    readonly object _gate = new();

    public TraceFiles(string directory, TraceFileFormat formats)
    {
        Directory = directory;
        Formats = formats;
    }

    public string Directory { get; }
    public TraceFileFormat Formats { get; }

    /// <summary>What is written when TRAPWEAVE_TRACE_FORMATS is unset: JSON, Chrome and HTML.</summary>
    public static TraceFileFormat DefaultFormats =>
        TraceFileFormat.Json | TraceFileFormat.Chrome | TraceFileFormat.Html;

    public static string Extension(TraceFileFormat format) => format switch
    {
        TraceFileFormat.Json => ".trace.json",
        TraceFileFormat.Chrome => ".chrome.json",
        TraceFileFormat.Html => ".html",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "one format at a time"),
    };

    /// <summary>
    /// Writes <paramref name="trace"/> as <paramref name="name"/> in every format. Returns the files
    /// written and, if any could not be, why (the others are still written).
    /// </summary>
    public (IReadOnlyList<string> Written, string? Error) Write(CallTrace trace, string name)
    {
        var written = new List<string>();
        string basePath;
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            basePath = Path.Combine(Directory, Reserve(name));
        }
        catch (Exception e)
        {
            return (written, $"could not create the trace directory '{Directory}': {e.Message}");
        }

        StringBuilder? errors = null;
        foreach (var format in new[] { TraceFileFormat.Json, TraceFileFormat.Chrome, TraceFileFormat.Html })
        {
            if ((Formats & format) == 0) continue;
            var path = basePath + Extension(format);
            try
            {
                WriteOne(format, trace, path);
                written.Add(path);
            }
            catch (Exception e)
            {
                (errors ??= new()).Append(errors.Length == 0 ? "" : "; ").Append($"could not write '{path}': {e.GetType().Name}: {e.Message}");
            }
        }
        return (written, errors?.ToString());
    }

    /// <summary>The one place each format is written.</summary>
    static void WriteOne(TraceFileFormat format, CallTrace trace, string path)
    {
        switch (format)
        {
            case TraceFileFormat.Json: TraceJson.WriteFile(trace, path); break;
            case TraceFileFormat.Chrome: ChromeTrace.WriteFile(trace, path); break;
            case TraceFileFormat.Html: TraceHtml.WriteFile(trace, path); break;
            default: throw new ArgumentOutOfRangeException(nameof(format), format, null);
        }
    }

    /// <summary>The file name (no extension) for <paramref name="name"/>, not used before by this instance.</summary>
    public string Reserve(string name)
    {
        var safe = Sanitize(name);
        lock (_gate)
        {
            var candidate = safe;
            for (var n = 2; !_used.Add(candidate); n++) candidate = safe + "~" + n;
            return candidate;
        }
    }

    /// <summary>
    /// Letters, digits and <c>._-()[],=+@#</c> stay; every other run of characters (path separators,
    /// quotes, colons, spaces, control characters) becomes one '_'. Device names Windows reserves get
    /// a leading '_'; a long name keeps its start and gets a hash of the whole, so distinct long names stay distinct.
    /// </summary>
    public static string Sanitize(string? name)
    {
        var text = new StringBuilder();
        foreach (var c in name ?? "")
        {
            if (char.IsLetterOrDigit(c) || "._-()[],=+@#".IndexOf(c) >= 0) text.Append(c);
            else if (text.Length == 0 || text[text.Length - 1] != '_') text.Append('_');
        }
        var safe = text.ToString().Trim('_', '.', ' ');
        if (safe.Length == 0) safe = "trace";
        if (IsReservedOnWindows(safe)) safe = "_" + safe;
        if (safe.Length > MaxBaseLength) safe = safe.Substring(0, MaxBaseLength - 9).TrimEnd('.') + "~" + Hash(name!);
        return safe;
    }

    static bool IsReservedOnWindows(string name)
    {
        var stem = name.Split('.')[0].ToUpperInvariant();
        return stem is "CON" or "PRN" or "AUX" or "NUL"
            || (stem.Length == 4 && (stem.StartsWith("COM", StringComparison.Ordinal) || stem.StartsWith("LPT", StringComparison.Ordinal)) && stem[3] is >= '1' and <= '9');
    }

    /// <summary>FNV-1a over the UTF-16 name: stable across processes (string.GetHashCode is not).</summary>
    static string Hash(string name)
    {
        uint hash = 2166136261;
        foreach (var c in name) hash = (hash ^ c) * 16777619;
        return hash.ToString("x8");
    }
}
