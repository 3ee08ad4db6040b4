using System.IO;
using System.Reflection;
using System.Security.Cryptography;

namespace Trapweave.Tests.Cli;

/// <summary>
/// A private copy of CliApp's build output (TestAssemblies/Unwoven/CliApp: a console app, its library
/// and Newtonsoft.Json, none woven) in a temporary folder, deleted on dispose.
/// </summary>
public sealed class AppFolder : IDisposable
{
    public AppFolder()
    {
        var source = typeof(AppFolder).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "CliAppOutput").Value!;
        if (!File.Exists(Path.Combine(source, "CliApp.dll"))) throw new InvalidOperationException($"CliApp is not built: {source} has no CliApp.dll.");
        Root = Path.Combine(Path.GetTempPath(), "trapweave-cli-tests", Guid.NewGuid().ToString("N"));
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(Root, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    public string Root { get; }

    public string this[string relative] => Path.Combine(Root, relative);

    /// <summary>Every file under the folder (relative path) with its SHA-256: what "nothing changed" compares.</summary>
    public SortedDictionary<string, string> Snapshot()
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories))
            files[Path.GetRelativePath(Root, file)] = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)));
        return files;
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
