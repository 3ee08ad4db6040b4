using System.IO;

namespace Trapweave.Tests.Weaving.Support;

/// <summary>A fresh directory under the system temp folder, deleted (best effort) on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory(string purpose)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "trapweave-tests", purpose + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string this[string fileName] => System.IO.Path.Combine(Path, fileName);

    /// <summary>Copies <paramref name="source"/> into this directory and returns the copy's path.</summary>
    public string Copy(string source)
    {
        var target = this[System.IO.Path.GetFileName(source)];
        File.Copy(source, target, overwrite: true);
        return target;
    }

    /// <summary>File names in the directory, sorted.</summary>
    public string[] Listing() => Directory.GetFiles(Path).Select(System.IO.Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal).ToArray();

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
