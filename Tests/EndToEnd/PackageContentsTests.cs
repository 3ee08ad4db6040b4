using System.IO;
using System.IO.Compression;
using System.Xml.Linq;
using Trapweave.Tests.EndToEnd.Support;

namespace Trapweave.Tests.EndToEnd;

/// <summary>The packages build/pack.sh makes: file layout and dependencies, as a consumer's restore sees them.</summary>
[Collection(EndToEndCollection.Name), Trait("Category", "EndToEnd")]
public sealed class PackageContentsTests
{
    readonly PackedPackages _packages;

    public PackageContentsTests(PackedPackages packages) => _packages = packages;

    [Fact]
    public void The_runtime_package_has_the_library_and_its_documentation()
    {
        using var package = ZipFile.OpenRead(_packages.RuntimePackage);
        var files = Files(package);

        // netstandard2.0: the API for .NET Framework and older .NET, whose registrations throw (UnsupportedRuntimeApiTests).
        Assert.Equal(new[] { "lib/net8.0/Trapweave.dll", "lib/net8.0/Trapweave.xml", "lib/netstandard2.0/Trapweave.dll", "lib/netstandard2.0/Trapweave.xml" }, files.Where(f => f.StartsWith("lib/")));
        Assert.DoesNotContain(files, f => f.StartsWith("build/") || f.StartsWith("tasks/") || f.StartsWith("weaver/"));
        var nuspec = Nuspec(package);
        Assert.Equal("Trapweave", Metadata(nuspec, "id"));
        Assert.Equal(_packages.Version, Metadata(nuspec, "version"));
        // One dependency, for .NET only: Iced decodes machine code for the native fallback.
        Assert.Equal(new[] { ("Iced", "1.22.0", (string)null!) }, Dependencies(nuspec));
        var group = nuspec.Descendants().Single(e => e.Name.LocalName == "dependency").Parent!;
        Assert.Equal("net8.0", (string)group.Attribute("targetFramework")!);
    }

    [Fact]
    public void The_Fody_package_has_the_add_in_layout_the_task_and_its_dependencies()
    {
        using var package = ZipFile.OpenRead(_packages.FodyPackage);
        var files = Files(package);

        Assert.Equal(new[]
        {
            "build/TestScopes/MSTestTestScopes.cs",
            "build/TestScopes/NUnitTestScopes.cs",
            "build/TestScopes/README.md",
            "build/TestScopes/XunitV2TestScopes.cs",
            "build/TestScopes/XunitV3TestScopes.cs",
            "build/Trapweave.Fody.props",
            "build/Trapweave.Fody.targets",
            "build/Trapweave.TestScopes.targets",
            "tasks/netstandard2.0/FodyHelpers.dll",
            "tasks/netstandard2.0/Mono.Cecil.Pdb.dll",
            "tasks/netstandard2.0/Mono.Cecil.Rocks.dll",
            "tasks/netstandard2.0/Mono.Cecil.dll",
            "tasks/netstandard2.0/Trapweave.Fody.dll",
            "tasks/netstandard2.0/Trapweave.Tasks.dll",
            "weaver/Trapweave.Fody.dll",
            "weaver/Trapweave.Fody.xcf",
        }, files.Where(f => f.Split('/')[0] is "build" or "tasks" or "weaver" or "lib" or "ref" or "buildTransitive").OrderBy(f => f, StringComparer.Ordinal));

        var nuspec = Nuspec(package);
        Assert.Equal("Trapweave.Fody", Metadata(nuspec, "id"));
        Assert.Equal(_packages.Version, Metadata(nuspec, "version"));
        Assert.Equal("true", Metadata(nuspec, "developmentDependency"));
        var dependencies = Dependencies(nuspec);
        Assert.Equal(new[] { "Fody", "Trapweave" }, dependencies.Select(d => d.Id).OrderBy(i => i, StringComparer.Ordinal));
        Assert.Equal(_packages.Version, dependencies.Single(d => d.Id == "Trapweave").Version);
        Assert.Equal("6.9.3", dependencies.Single(d => d.Id == "Fody").Version);
        Assert.Equal("All", dependencies.Single(d => d.Id == "Fody").Include);

        // The props registers the add-in the Fody way: the weaver file named after the package.
        var props = Read(package, "build/Trapweave.Fody.props");
        Assert.Contains(@"$(MSBuildThisFileDirectory)..\weaver\$(MSBuildThisFileName).dll", props);
        // The xcf is an xsd fragment Fody merges into FodyWeavers.xsd: it names every attribute.
        var attributes = XElement.Parse(Read(package, "weaver/Trapweave.Fody.xcf")).Descendants()
            .Where(e => e.Name.LocalName == "attribute").Select(e => (string)e.Attribute("name")).OrderBy(n => n, StringComparer.Ordinal);
        Assert.Equal(new[] { "DefaultRedirects", "Exclude", "Include", "Redirect", "References", "Self", "TraceFromEnvironment" }, attributes);
    }

    static string[] Files(ZipArchive package) => package.Entries.Select(e => e.FullName).OrderBy(f => f, StringComparer.Ordinal).ToArray();

    static string Read(ZipArchive package, string name)
    {
        using var reader = new StreamReader(package.GetEntry(name).Open());
        return reader.ReadToEnd();
    }

    static XElement Nuspec(ZipArchive package) =>
        XElement.Parse(Read(package, package.Entries.Single(e => e.FullName.EndsWith(".nuspec") && !e.FullName.Contains('/')).FullName));

    static string Metadata(XElement nuspec, string name) =>
        nuspec.Elements().Single(e => e.Name.LocalName == "metadata").Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;

    static (string Id, string Version, string Include)[] Dependencies(XElement nuspec) =>
        nuspec.Descendants().Where(e => e.Name.LocalName == "dependency")
            .Select(e => ((string)e.Attribute("id"), (string)e.Attribute("version"), (string)e.Attribute("include")))
            .ToArray();
}
