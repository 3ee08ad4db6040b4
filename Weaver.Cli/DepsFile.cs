using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Trapweave.Cli;

/// <summary>
/// An app's <c>*.deps.json</c>: the libraries the host puts on the app's assembly path. With a
/// deps.json the host loads only the runtime assets it lists, so a file copied into the folder must
/// also be entered here to be found.
/// </summary>
sealed class DepsFile
{
    readonly JsonObject _root;
    readonly JsonObject _target;
    readonly JsonObject _libraries;

    DepsFile(string path, JsonObject root, JsonObject target, JsonObject libraries)
    {
        Path = path;
        _root = root;
        _target = target;
        _libraries = libraries;
    }

    public string Path { get; }

    /// <summary>One library of the runtime target: its name, version, type (project, package, runtimepack, reference) and runtime assets.</summary>
    public sealed record Library(string Name, string Version, string Type, IReadOnlyList<string> RuntimeAssets);

    public static DepsFile Read(string path)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new CliError($"'{path}' is not valid JSON ({e.Message}); it should be the deps.json that dotnet build or publish wrote.");
        }
        if (node is not JsonObject root)
            throw new CliError($"'{path}' is not a deps.json: it is not a JSON object.");
        var targetName = (root["runtimeTarget"] as JsonObject)?["name"]?.GetValue<string>();
        var targets = root["targets"] as JsonObject;
        if (targetName is null || targets?[targetName] is not JsonObject target || root["libraries"] is not JsonObject libraries)
            throw new CliError($"'{path}' is not a deps.json the .NET host reads: it needs runtimeTarget.name, targets[runtimeTarget.name] and libraries.");
        return new DepsFile(path, root, target, libraries);
    }

    public IEnumerable<Library> Libraries()
    {
        foreach (var entry in _target)
        {
            var (name, version) = Split(entry.Key);
            var type = (_libraries[entry.Key] as JsonObject)?["type"]?.GetValue<string>() ?? "unknown";
            var assets = (entry.Value as JsonObject)?["runtime"] is JsonObject runtime ? runtime.Select(a => a.Key).ToArray() : Array.Empty<string>();
            yield return new Library(name, version, type, assets);
        }
    }

    public bool HasLibrary(string name) => _target.Any(e => string.Equals(Split(e.Key).Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether some library lists <paramref name="fileName"/> as a runtime asset.</summary>
    public bool ListsRuntimeFile(string fileName) =>
        Libraries().Any(l => l.RuntimeAssets.Any(a => string.Equals(System.IO.Path.GetFileName(a), fileName, StringComparison.OrdinalIgnoreCase)));

    /// <summary>
    /// Enters a file of the app folder as a library of type <c>project</c>: the host looks for a
    /// project's runtime asset at its path relative to the app folder (no package cache involved).
    /// </summary>
    public void AddAppLocalLibrary(string name, string version, string fileName, string assemblyVersion, string fileVersion)
    {
        var key = name + "/" + version;
        _target[key] = new JsonObject
        {
            ["runtime"] = new JsonObject
            {
                [fileName] = new JsonObject { ["assemblyVersion"] = assemblyVersion, ["fileVersion"] = fileVersion },
            },
        };
        _libraries[key] = new JsonObject { ["type"] = "project", ["serviceable"] = false, ["sha512"] = "" };
    }

    public void Save() =>
        File.WriteAllText(Path, _root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + Environment.NewLine);

    static (string Name, string Version) Split(string key)
    {
        var slash = key.IndexOf('/');
        return slash < 0 ? (key, "") : (key.Substring(0, slash), key.Substring(slash + 1));
    }
}
