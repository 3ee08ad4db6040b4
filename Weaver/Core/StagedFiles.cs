using System;
using System.Collections.Generic;
using System.IO;

namespace Trapweave.Fody.Core;

/// <summary>
/// New versions of a set of files, written to temporary files beside them and swapped in together
/// by <see cref="Commit"/>. Until then the originals are untouched; if the swap fails part way, the
/// files already replaced are restored. Disposing deletes whatever temporary file is left.
/// </summary>
public sealed class StagedFiles : IDisposable
{
    readonly List<Entry> _entries = new();
    bool _committed;

    /// <summary>A temporary path, in <paramref name="target"/>'s directory, to write the new version of it to.</summary>
    public string Stage(string target)
    {
        if (_committed) throw new InvalidOperationException("Already committed.");
        var full = Path.GetFullPath(target);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, "." + Path.GetFileName(full) + "." + Path.GetRandomFileName() + ".trapweave.tmp");
        _entries.Add(new Entry(full, temp));
        return temp;
    }

    /// <summary>Replaces every staged target with its temporary file, or none of them.</summary>
    public void Commit()
    {
        if (_committed) throw new InvalidOperationException("Already committed.");
        foreach (var entry in _entries)
            if (!File.Exists(entry.Temp)) throw new InvalidOperationException($"Nothing was written for '{entry.Target}'.");

        var done = new List<Entry>();
        try
        {
            foreach (var entry in _entries)
            {
                if (File.Exists(entry.Target))
                {
                    entry.Backup = entry.Temp + ".bak";
                    // Atomic where the OS allows it: on Unix the backup is a hard link and the swap a rename.
                    File.Replace(entry.Temp, entry.Target, entry.Backup);
                }
                else
                {
                    File.Move(entry.Temp, entry.Target);
                }
                done.Add(entry);
            }
        }
        catch
        {
            done.Reverse();
            foreach (var entry in done) Restore(entry);
            throw;
        }
        _committed = true;
        foreach (var entry in _entries) TryDelete(entry.Backup);
    }

    static void Restore(Entry entry)
    {
        try
        {
            if (entry.Backup is not null) File.Copy(entry.Backup, entry.Target, overwrite: true);
            else File.Delete(entry.Target);
        }
        catch
        {
            // Best effort: the backup stays on disk for the user when even this fails.
            return;
        }
        TryDelete(entry.Backup);
    }

    public void Dispose()
    {
        foreach (var entry in _entries) TryDelete(entry.Temp);
    }

    static void TryDelete(string? path)
    {
        if (path is null) return;
        try { if (File.Exists(path)) File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    sealed class Entry
    {
        public Entry(string target, string temp)
        {
            Target = target;
            Temp = temp;
        }

        public string Target { get; }
        public string Temp { get; }
        public string? Backup { get; set; }
    }
}
