using System.IO;
using System.Security.Cryptography;

namespace Trapweave.Tests.EndToEnd.Support;

/// <summary>A temporary folder holding copies of sample projects or generated ones, and the builds run in it.</summary>
public sealed class Workspace
{
    public static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(6);

    public Workspace(string root)
    {
        Root = root;
        Directory.CreateDirectory(root);
    }

    public string Root { get; }

    /// <summary>The full path of a file or folder, written with '/' whatever the platform.</summary>
    public string this[string relative] => Path.GetFullPath(Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar)));

    public string Write(string relative, string content)
    {
        var path = this[relative];
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content.ReplaceLineEndings("\n"));
        return path;
    }

    /// <summary>Copies a project folder, leaving out build outputs (bin/, obj/).</summary>
    public void CopyProject(string sourceDirectory, string relativeTarget)
    {
        var target = this[relativeTarget];
        foreach (var file in Directory.EnumerateFiles(sourceDirectory, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(sourceDirectory, file);
            var first = relative.Split(Path.DirectorySeparatorChar)[0];
            if (first is "bin" or "obj") continue;
            var destination = Path.Combine(target, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination, overwrite: true);
        }
    }

    /// <summary>Runs <c>dotnet</c> with the arguments here (terminal logger off), failing the test on a timeout.</summary>
    public ProcessResult DotNet(params string[] arguments) =>
        ProcessRunner.DotNet(Root, BuildTimeout, arguments.Append("-tl:off").ToArray());

    /// <summary>A plain net10.0 class library project, <c>name/name.csproj</c>: the code under test of most workspaces.</summary>
    public string WriteLibraryProject(string name) => Write($"{name}/{name}.csproj", """
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
          </PropertyGroup>
        </Project>
        """);

    public bool Exists(string relative) => File.Exists(this[relative]);

    public string Hash(string relative) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(this[relative])));

    public DateTime LastWrite(string relative) => File.GetLastWriteTimeUtc(this[relative]);

    /// <summary>
    /// A FodyWeavers.xml as Fody leaves it: Fody adds the schema reference to a file that lacks it,
    /// which touches the file after the compiler read it and so makes the next build compile again.
    /// </summary>
    public static string FodyWeavers(string element) => $"""
        <Weavers xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="FodyWeavers.xsd">
          {element}
        </Weavers>
        """;

    public void DeleteDirectory(string relative)
    {
        if (Directory.Exists(this[relative])) Directory.Delete(this[relative], recursive: true);
    }
}
