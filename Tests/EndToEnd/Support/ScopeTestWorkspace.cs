using System.IO;
using Mono.Cecil;

namespace Trapweave.Tests.EndToEnd.Support;

/// <summary>
/// A workspace for the per-test scope tests of one framework: a library with statics to patch
/// (<c>Lib</c>, woven into the test projects' output by <c>References="Lib"</c>) and test projects
/// run with <c>dotnet test</c>, each run's results read from its TRX file.
/// </summary>
public sealed class ScopeTestWorkspace
{
    public ScopeTestWorkspace(PackedPackages packages, string name)
    {
        Workspace = packages.CreateWorkspace(name);
        Workspace.WriteLibraryProject("Lib");
        Workspace.Write("Lib/Catalog.cs", """
            namespace Lib;

            public static class Catalog
            {
                public static string Label(string key) => "real:" + key;
                public static int Tax() => 0;
            }
            """);
    }

    public Workspace Workspace { get; }

    /// <summary>Writes a test project: its project file, README's FodyWeavers.xml and its sources.</summary>
    public void WriteTestProject(string name, string projectFile, IReadOnlyDictionary<string, string> sources)
    {
        Workspace.Write($"{name}/{name}.csproj", projectFile);
        Workspace.Write($"{name}/FodyWeavers.xml", Workspace.FodyWeavers("""<Trapweave References="Lib" Self="false" />"""));
        foreach (var (file, text) in sources) Workspace.Write($"{name}/{file}", text);
    }

    /// <summary>Runs <c>dotnet test</c> on a project (its tests may fail) and reads the TRX file it wrote.</summary>
    public (ProcessResult Run, IReadOnlyDictionary<string, TrxResult> Results) Test(string project, string resultsName, params string[] properties)
    {
        var resultsDirectory = Workspace["results"];
        var arguments = new List<string> { "test", project, "--logger", $"trx;LogFileName={resultsName}.trx", "--results-directory", resultsDirectory };
        arguments.AddRange(properties.Select(p => "-p:" + p));
        var run = Workspace.DotNet(arguments.ToArray());
        return (run, TrxResults.Read(Path.Combine(resultsDirectory, resultsName + ".trx"), run));
    }

    /// <summary>Whether a built assembly (path relative to the workspace) defines the type: the generated scope source was compiled in.</summary>
    public bool HasType(string assembly, string fullName)
    {
        using var module = ModuleDefinition.ReadModule(new MemoryStream(File.ReadAllBytes(Workspace[assembly])));
        return module.GetType(fullName) is not null;
    }

    /// <summary>The names of the methods <paramref name="method"/> (of type <paramref name="typeName"/>) calls, in order.</summary>
    public IReadOnlyList<string> CallsIn(string assembly, string typeName, string method)
    {
        using var module = ModuleDefinition.ReadModule(new MemoryStream(File.ReadAllBytes(Workspace[assembly])));
        return module.GetType(typeName).Methods.Single(m => m.Name == method).Body.Instructions
            .Where(i => i.Operand is MethodReference).Select(i => ((MethodReference)i.Operand).DeclaringType.Name + "." + ((MethodReference)i.Operand).Name).ToList();
    }

    /// <summary>The names of <paramref name="typeName"/>'s methods.</summary>
    public IReadOnlyList<string> MethodsOf(string assembly, string typeName)
    {
        using var module = ModuleDefinition.ReadModule(new MemoryStream(File.ReadAllBytes(Workspace[assembly])));
        return module.GetType(typeName).Methods.Select(m => m.Name).ToList();
    }
}
