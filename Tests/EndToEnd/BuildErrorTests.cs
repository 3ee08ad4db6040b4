using System.IO;
using Trapweave.Tests.EndToEnd.Support;

namespace Trapweave.Tests.EndToEnd;

/// <summary>
/// Bad configuration and failed weaving in real builds of a probe project (Fody enabled, as users
/// have it): each fails with MSBuild's <c>file(line,col): error TRAPxxx: message</c>, pointing at the
/// right line of FodyWeavers.xml, and a failed weave leaves the assemblies and PDBs it was given as
/// they were. The probe references a copy of samples/Shop, a package whose compile asset for
/// net10.0 is a reference assembly only (Microsoft.Build.Utilities.Core), and a crafted mixed-mode
/// assembly; it leaves the Trapweave runtime out, so any weaving it asks for fails.
/// </summary>
[Collection(EndToEndCollection.Name), Trait("Category", "EndToEnd")]
public sealed class BuildErrorTests : IClassFixture<BuildErrorTests.State>
{
    public sealed class State
    {
        Lazy<Workspace> _workspace;
        internal Workspace Get(PackedPackages packages) => (_workspace ??= new Lazy<Workspace>(() => Prepare(packages))).Value;

        static Workspace Prepare(PackedPackages packages)
        {
            var ws = packages.CreateWorkspace("errors");
            ws.CopyProject(Path.Combine(packages.Samples, "Shop"), "Shop");
            Directory.CreateDirectory(ws["native"]);
            File.WriteAllBytes(ws["native/Native.Interop.dll"], CraftedAssemblies.MixedModeLibrary("Native.Interop"));
            ws.Write("Probe/Probe.csproj", """
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <SuppressTfmSupportBuildWarnings>true</SuppressTfmSupportBuildWarnings>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="Trapweave.Fody" Version="$(TrapweaveVersion)" PrivateAssets="all" />
                    <!-- The runtime is left out on purpose: weaving anything fails (TRAP008). -->
                    <PackageReference Include="Trapweave" Version="$(TrapweaveVersion)" ExcludeAssets="all" />
                    <!-- For net10.0 this package has a compile asset in ref/ and no runtime asset. -->
                    <PackageReference Include="Microsoft.Build.Utilities.Core" Version="18.12.2" />
                    <ProjectReference Include="../Shop/Shop.csproj" />
                    <Reference Include="Native.Interop" HintPath="../native/Native.Interop.dll" />
                  </ItemGroup>
                  <!-- Keeps what the compiler wrote, to compare with what a failed weave leaves. -->
                  <Target Name="SnapshotCompilerOutput" BeforeTargets="TrapweaveWeaveOwnAssembly">
                    <Copy SourceFiles="@(IntermediateAssembly);@(_DebugSymbolsIntermediatePath)" DestinationFolder="$(MSBuildProjectDirectory)/../snapshot" />
                  </Target>
                </Project>
                """);
            ws.Write("Probe/Probe.cs", """
                namespace Probe;

                public static class Greeter
                {
                    public static string Hello() => "hello";
                }
                """);
            var restore = ws.DotNet("restore", "Probe");
            Assert.True(restore.ExitCode == 0, restore.ToString());
            var shop = ws.DotNet("build", "Shop", "--no-restore");
            Assert.True(shop.ExitCode == 0, shop.ToString());
            return ws;
        }
    }

    readonly PackedPackages _packages;
    readonly State _state;

    public BuildErrorTests(PackedPackages packages, State state)
    {
        _packages = packages;
        _state = state;
    }

    public static TheoryData<string, string, int, int, string> Configurations => new()
    {
        // code, FodyWeavers.xml, line, column (0: any), a piece of the message
        { "TRAP001", "<Weavers>\n  <Trapweave Self=\"false\">\n  </Trapwave>\n</Weavers>\n", 3, 0, "not well-formed XML" },
        { "TRAP002", "<Weavers>\n  <Trapweave Self=\"true\"\n             Bogus=\"1\" />\n</Weavers>\n", 3, 14, "Unknown attribute 'Bogus'" },
        { "TRAP002", "<Weavers>\n  <Trapweave>\n    <Include>Shop.*</Include>\n  </Trapweave>\n</Weavers>\n", 3, 6, "Unexpected element <Include>" },
        { "TRAP003", "<Weavers>\n  <Trapweave Include=\"Probe.*\"\n             Self=\"maybe\" />\n</Weavers>\n", 3, 14, "Could not parse Self from 'maybe'" },
        { "TRAP004", "<Weavers>\n  <Trapweave Self=\"true\"\n             Exclude=\"Shop.Pricing:Total\" />\n</Weavers>\n", 3, 14, "Bad pattern 'Shop.Pricing:Total'" },
        { "TRAP005", "<Weavers>\n  <Trapweave Self=\"false\"\n             References=\"Shopp\" />\n</Weavers>\n", 3, 14, "'Shopp' in References is not referenced by this project. Add a ProjectReference or PackageReference to it, or fix the name (assembly names without .dll; this project's own references: Native.Interop, Shop)." },
        { "TRAP006", "<Weavers>\n  <Trapweave Self=\"false\"\n             References=\"Microsoft.Build.Utilities.Core\" />\n</Weavers>\n", 3, 14, "resolves to a reference assembly" },
        { "TRAP006", "<Weavers>\n  <Trapweave Self=\"false\"\n             References=\"System.Text.Json\" />\n</Weavers>\n", 3, 14, "part of the shared framework" },
        { "TRAP007", "<Weavers>\n  <Trapweave Self=\"false\"\n             References=\"Native.Interop\" />\n</Weavers>\n", 3, 14, "mixed-mode assembly" },
        { "TRAP011", "<Weavers>\n  <TrapWeave Self=\"false\" />\n</Weavers>\n", 2, 4, "<TrapWeave> must be written <Trapweave>: Fody matches weaver names case-sensitively" },
        { "TRAP011", "<Weavers>\n  <Costura />\n  <trapweave/>\n</Weavers>\n", 3, 4, "<trapweave> must be written <Trapweave>" },
    };

    [Theory]
    [MemberData(nameof(Configurations))]
    public void A_bad_configuration_fails_the_build_at_its_line_in_FodyWeavers_xml(string code, string xml, int line, int column, string message)
    {
        var ws = _state.Get(_packages);
        var config = ws.Write("Probe/FodyWeavers.xml", xml);

        var build = ws.DotNet("build", "Probe", "--no-restore", "-p:BuildProjectReferences=false");

        Assert.True(build.ExitCode != 0, build.ToString());
        var error = Assert.Single(build.Errors());
        Assert.Equal(code, error.Code);
        Assert.Equal(config, error.File);
        Assert.Equal(line, error.Line);
        if (column != 0) Assert.Equal(column, error.Column);
        Assert.Contains(message, error.Message);
        // The exact canonical form, as IDEs and CI logs parse it.
        Assert.Contains($"{config}({error.Line},{error.Column}): error {code}: ", build.Output);
        // Raised before the compiler, so Fody never got to say something misleading.
        Assert.DoesNotContain("Add the desired weavers", build.Output);
    }

    [Fact]
    public void A_failed_weave_of_a_reference_leaves_the_original_untouched()
    {
        var ws = _state.Get(_packages);
        var before = (ws.Hash("Shop/bin/Debug/net10.0/Shop.dll"), ws.Hash("Shop/bin/Debug/net10.0/Shop.pdb"));
        ws.Write("Probe/FodyWeavers.xml", "<Weavers>\n  <Trapweave References=\"Shop\" Self=\"false\" />\n</Weavers>\n");

        var build = ws.DotNet("build", "Probe", "--no-restore", "-p:BuildProjectReferences=false");

        Assert.True(build.ExitCode != 0, build.ToString());
        var error = Assert.Single(build.Errors());
        Assert.Equal("TRAP008", error.Code);
        Assert.Contains("Trapweave runtime", error.Message);
        Assert.Equal(ws["Shop/bin/Debug/net10.0/Shop.dll"], error.File);
        Assert.Equal(before, (ws.Hash("Shop/bin/Debug/net10.0/Shop.dll"), ws.Hash("Shop/bin/Debug/net10.0/Shop.pdb")));
        // No half-woven copy is left to pass for an up-to-date one, and nothing reached the output.
        Assert.False(ws.Exists("Probe/obj/Debug/net10.0/trapweave/Shop.dll"));
        Assert.False(ws.Exists("Probe/obj/Debug/net10.0/trapweave/Shop.pdb"));
        Assert.False(ws.Exists("Probe/bin/Debug/net10.0/Shop.dll"));
    }

    [Fact]
    public void A_failed_weave_of_the_own_assembly_leaves_it_untouched_and_the_next_build_tries_again()
    {
        var ws = _state.Get(_packages);
        ws.Write("Probe/FodyWeavers.xml", "<Weavers>\n  <Trapweave />\n</Weavers>\n");
        const string assembly = "Probe/obj/Debug/net10.0/Probe.dll", pdb = "Probe/obj/Debug/net10.0/Probe.pdb";

        for (var attempt = 1; attempt <= 2; attempt++)
        {
            ws.DeleteDirectory("snapshot");
            var build = ws.DotNet("build", "Probe", "--no-restore", "-p:BuildProjectReferences=false", "-p:DisableFody=true");

            Assert.True(build.ExitCode != 0, $"attempt {attempt}: {build}");
            var error = Assert.Single(build.Errors());
            Assert.Equal("TRAP008", error.Code);
            Assert.Equal(ws[assembly], error.File);
            // The compiler ran (again: the failed weave must not leave an up-to-date unwoven assembly),
            // and its assembly and PDB are exactly as it wrote them.
            Assert.True(ws.Exists("snapshot/Probe.dll"), $"attempt {attempt}: the compiler did not run: {build}");
            Assert.Equal(ws.Hash("snapshot/Probe.dll"), ws.Hash(assembly));
            Assert.Equal(ws.Hash("snapshot/Probe.pdb"), ws.Hash(pdb));
            Assert.False(WovenAssembly.Read(ws[assembly]).HasTrapTable);
            Assert.False(ws.Exists("Probe/bin/Debug/net10.0/Probe.dll"), $"attempt {attempt}: the unwoven assembly reached the output");
        }
    }
}
