using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text.Json;

namespace Trapweave.Cli;

/// <summary>
/// <c>.trapweave-backup/</c> in the target folder: the original bytes of every file
/// <c>trapweave weave</c> changes (assemblies, their PDBs, the deps.json) under <c>files/</c>,
/// and <c>manifest.json</c> listing them with their SHA-256 before and after weaving and the files
/// weave added (the runtime). <see cref="Restore"/> puts the originals back and removes the added files.
/// </summary>
sealed class Backup
{
    public const string FolderName = ".trapweave-backup";
    const string ManifestName = "manifest.json";
    const string FilesFolder = "files";

    readonly string _appFolder;
    readonly Manifest _manifest;

    Backup(string appFolder, Manifest manifest)
    {
        _appFolder = appFolder;
        _manifest = manifest;
    }

    public static string FolderOf(string appFolder) => Path.Combine(appFolder, FolderName);

    public string Location => FolderOf(_appFolder);

    public sealed class Manifest
    {
        public string Tool { get; set; } = "";
        public DateTimeOffset Created { get; set; }
        public List<SavedFile> Files { get; set; } = new();
        /// <summary>Files weave put into the folder (relative paths): deleted by restore.</summary>
        public List<string> Added { get; set; } = new();
    }

    public sealed class SavedFile
    {
        public string Path { get; set; } = "";
        public string OriginalSha256 { get; set; } = "";
        /// <summary>The file as weave left it; null until weave finished.</summary>
        public string? WovenSha256 { get; set; }
    }

    static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static bool Exists(string appFolder) => File.Exists(Path.Combine(FolderOf(appFolder), ManifestName));

    /// <summary>Copies each file (full paths inside <paramref name="appFolder"/>) into a new backup and records the files weave will add.</summary>
    public static Backup Create(string appFolder, IEnumerable<string> filesToChange, IEnumerable<string> filesToAdd)
    {
        var location = FolderOf(appFolder);
        if (Directory.Exists(location))
            throw new CliError($"'{location}' already exists: '{appFolder}' was woven by trapweave before. Run `trapweave restore {appFolder}` first.");
        var manifest = new Manifest { Tool = "trapweave " + typeof(Backup).Assembly.GetName().Version, Created = DateTimeOffset.UtcNow };
        Directory.CreateDirectory(Path.Combine(location, FilesFolder));
        foreach (var file in filesToChange.Distinct(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(appFolder, file);
            var copy = Path.Combine(location, FilesFolder, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
            manifest.Files.Add(new SavedFile { Path = relative, OriginalSha256 = Sha256(file) });
        }
        manifest.Added.AddRange(filesToAdd.Select(f => Path.GetRelativePath(appFolder, f)));
        var backup = new Backup(appFolder, manifest);
        // Written before anything in the app changes: an interrupted weave can still be restored.
        backup.Save();
        return backup;
    }

    public static Backup Open(string appFolder)
    {
        var path = Path.Combine(FolderOf(appFolder), ManifestName);
        if (!File.Exists(path))
            throw new CliError($"'{appFolder}' has no trapweave backup ({path} does not exist): it was not woven by `trapweave weave`, or it was restored already.");
        Manifest? manifest;
        try { manifest = JsonSerializer.Deserialize<Manifest>(File.ReadAllText(path), Json); }
        catch (JsonException e) { throw new CliError($"'{path}' cannot be read ({e.Message}); the originals are under {Path.Combine(FolderOf(appFolder), FilesFolder)}."); }
        return new Backup(appFolder, manifest ?? throw new CliError($"'{path}' is empty."));
    }

    public IReadOnlyList<SavedFile> Files => _manifest.Files;
    public IReadOnlyList<string> Added => _manifest.Added;

    /// <summary>Records the woven state, so restore can tell a file rebuilt since from one weave left.</summary>
    public void RecordWoven()
    {
        foreach (var file in _manifest.Files)
            file.WovenSha256 = Sha256(Path.Combine(_appFolder, file.Path));
        Save();
    }

    /// <summary>
    /// Files changed since weave wrote them (say, rebuilt): restoring would put old bytes over new ones.
    /// </summary>
    public IEnumerable<string> ChangedSinceWeave() =>
        _manifest.Files.Where(f => f.WovenSha256 is not null && File.Exists(Path.Combine(_appFolder, f.Path)) && Sha256(Path.Combine(_appFolder, f.Path)) != f.WovenSha256).Select(f => f.Path);

    /// <summary>Puts every original back, checks its bytes, removes the added files and the backup itself.</summary>
    public void Restore()
    {
        foreach (var file in _manifest.Files)
        {
            var saved = Path.Combine(Location, FilesFolder, file.Path);
            if (!File.Exists(saved) || Sha256(saved) != file.OriginalSha256)
                throw new CliError($"the backup of '{file.Path}' ({saved}) is missing or changed; nothing more is restored. The other originals are in {Path.Combine(Location, FilesFolder)}.");
        }
        foreach (var file in _manifest.Files)
        {
            var target = Path.Combine(_appFolder, file.Path);
            File.Copy(Path.Combine(Location, FilesFolder, file.Path), target, overwrite: true);
            if (Sha256(target) != file.OriginalSha256)
                throw new CliError($"'{target}' does not have its original bytes after the copy; the backup is kept at {Location}.");
        }
        foreach (var added in _manifest.Added)
        {
            var path = Path.Combine(_appFolder, added);
            if (File.Exists(path)) File.Delete(path);
        }
        Directory.Delete(Location, recursive: true);
    }

    void Save() => File.WriteAllText(Path.Combine(Location, ManifestName), JsonSerializer.Serialize(_manifest, Json));

    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream));
    }
}
