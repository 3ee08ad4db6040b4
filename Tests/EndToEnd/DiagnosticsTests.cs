using System.IO;
using Trapweave.Tests.EndToEnd.Support;

namespace Trapweave.Tests.EndToEnd;

/// <summary>
/// Configuration that builds but would not do what the user meant, in real builds against the
/// packed packages: each gives a TRAP warning at its place in FodyWeavers.xml that names the fix.
/// Also: TRAP005 names only the project's own references, and Fody does not run when its only
/// weaver is Trapweave with Self="false". The workspace holds a copy of samples/Shop, a library
/// weaving itself (Lib), an xunit test project referencing Shop (Probe.Tests, with a direct
/// PackageReference to Newtonsoft.Json), and one that also has the Costura weaver (Mixed.Tests).
/// </summary>
[Collection(EndToEndCollection.Name), Trait("Category", "EndToEnd")]
public sealed class DiagnosticsTests : IClassFixture<DiagnosticsTests.State>
{
    public sealed class State
    {
        Lazy<Workspace> _workspace;
        internal Workspace Get(PackedPackages packages) => (_workspace ??= new Lazy<Workspace>(() => Prepare(packages))).Value;

        static Workspace Prepare(PackedPackages packages)
        {
            var ws = packages.CreateWorkspace("diagnostics");
            ws.CopyProject(Path.Combine(packages.Samples, "Shop"), "Shop");
            ws.Write("Lib/Lib.csproj", """
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="Trapweave.Fody" Version="$(TrapweaveVersion)" PrivateAssets="all" />
                    <PackageReference Include="Trapweave" Version="$(TrapweaveVersion)" />
                  </ItemGroup>
                </Project>
                """);
            ws.Write("Lib/Calc.cs", """
                namespace Lib.Math;

                public static class Calc
                {
                    public static int Answer() => 42;
                }
                """);
            ws.Write("Probe.Tests/Probe.Tests.csproj", TestProject(""));
            ws.Write("Mixed.Tests/Mixed.Tests.csproj", TestProject("""<PackageReference Include="Costura.Fody" Version="6.2.0" PrivateAssets="all" />"""));
            foreach (var project in new[] { "Probe.Tests", "Mixed.Tests" })
                ws.Write($"{project}/Tests.cs", """
                    namespace Probe.Tests;

                    public class PriceTests
                    {
                        [Fact]
                        public void Prices() => Assert.Equal(1.5m, Shop.Pricing.UnitPrice("A"));
                    }
                    """);
            foreach (var project in new[] { "Lib", "Probe.Tests", "Mixed.Tests" })
            {
                var restore = ws.DotNet("restore", project);
                Assert.True(restore.ExitCode == 0, restore.ToString());
            }
            var shop = ws.DotNet("build", "Shop", "--no-restore");
            Assert.True(shop.ExitCode == 0, shop.ToString());
            return ws;
        }

        static string TestProject(string extra) => $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <IsPackable>false</IsPackable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Trapweave.Fody" Version="$(TrapweaveVersion)" PrivateAssets="all" />
                <PackageReference Include="Trapweave" Version="$(TrapweaveVersion)" />
                <PackageReference Include="Microsoft.NET.Test.Sdk" Version="18.0.1" />
                <PackageReference Include="xunit" Version="2.9.3" />
                <PackageReference Include="xunit.runner.visualstudio" Version="3.1.5" PrivateAssets="all" />
                <PackageReference Include="Newtonsoft.Json" Version="13.0.3" />
                {extra}
                <ProjectReference Include="../Shop/Shop.csproj" />
              </ItemGroup>
              <ItemGroup>
                <Using Include="Xunit" />
              </ItemGroup>
            </Project>
            """;
    }

    readonly PackedPackages _packages;
    readonly State _state;

    public DiagnosticsTests(PackedPackages packages, State state)
    {
        _packages = packages;
        _state = state;
    }

    Workspace Ws => _state.Get(_packages);

    ProcessResult Build(string project, params string[] extra) =>
        Ws.DotNet(new[] { "build", project, "--no-restore", "-p:BuildProjectReferences=false", "-v:n" }.Concat(extra).ToArray());

    static BuildDiagnostic[] Trap(ProcessResult build, string severity) =>
        build.Diagnostics().Where(d => d.Severity == severity && d.Code.StartsWith("TRAP", StringComparison.Ordinal)).ToArray();

    static void AssertCanonical(ProcessResult build, BuildDiagnostic diagnostic) =>
        Assert.Contains($"{diagnostic.File}({diagnostic.Line},{diagnostic.Column}): {diagnostic.Severity} {diagnostic.Code}: ", build.Output);

    [Theory]
    [InlineData("fody")]
    [InlineData("task")]
    public void An_include_that_matches_nothing_in_the_own_assembly_is_a_warning_at_its_line(string route)
    {
        // As Fody leaves the file (it adds the schema reference to one that lacks it, after this build read it).
        var config = Ws.Write("Lib/FodyWeavers.xml", Workspace.FodyWeavers("<Trapweave Self=\"true\"\n             Include=\"Lib.Maths.*\" />"));

        var build = Build("Lib", route == "task" ? "-p:DisableFody=true" : "-p:DisableFody=false");

        Assert.True(build.ExitCode == 0, build.ToString());
        var warning = Assert.Single(Trap(build, "warning"));
        Assert.Equal(("TRAP012", config, 3, 14), (warning.Code, warning.File, warning.Line, warning.Column));
        Assert.Equal("Include pattern 'Lib.Maths.*' matches no method in Lib, so nothing is trapped. Fix the pattern (Namespace.Type::Method, * as a wildcard; namespaces there: Lib.Math) or remove it.", warning.Message);
        AssertCanonical(build, warning);
        Assert.Contains(route == "fody" ? "Fody/Trapweave: Executing weaver" : "Trapweave: wove Lib.dll (0 methods trapped)", build.Output);
    }

    [Fact]
    public void Patterns_that_match_nothing_in_the_referenced_assemblies_are_warnings_at_their_lines()
    {
        var config = Ws.Write("Probe.Tests/FodyWeavers.xml",
            "<Weavers>\n  <Trapweave References=\"Shop\" Self=\"false\"\n    Include=\"Shop.*\"\n    Exclude=\"Shop.Pricing::Totl;Shop.Pricing::Total\" />\n</Weavers>\n");

        var build = Build("Probe.Tests");

        Assert.True(build.ExitCode == 0, build.ToString());
        var warning = Assert.Single(Trap(build, "warning"));
        Assert.Equal(("TRAP012", config, 4, 5), (warning.Code, warning.File, warning.Line, warning.Column));
        Assert.StartsWith("Exclude pattern 'Shop.Pricing::Totl' matches no method in Shop, so it leaves nothing out.", warning.Message);
        AssertCanonical(build, warning);
    }

    [Fact]
    public void A_pattern_that_matches_only_in_a_reference_is_fine_when_the_own_assembly_is_woven_too()
    {
        Ws.Write("Probe.Tests/FodyWeavers.xml", "<Weavers>\n  <Trapweave References=\"Shop\" Self=\"true\" Include=\"Shop.*\" />\n</Weavers>\n");

        var build = Build("Probe.Tests");

        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Empty(Trap(build, "warning"));
    }

    [Fact]
    public void A_test_project_weaving_only_itself_is_told_to_weave_its_references()
    {
        var config = Ws.Write("Probe.Tests/FodyWeavers.xml", "<Weavers>\n  <Trapweave />\n</Weavers>\n");

        var build = Build("Probe.Tests");

        Assert.True(build.ExitCode == 0, build.ToString());
        var warning = Assert.Single(Trap(build, "warning"));
        Assert.Equal(("TRAP013", config, 2, 4), (warning.Code, warning.File, warning.Line, warning.Column));
        Assert.Equal("<Trapweave /> in a test project weaves the test assembly itself, not the code under test (Shop). To weave the copies of the referenced projects in this project's output, write <Trapweave References=\"Shop\" Self=\"false\" />; to weave this project only, write Self=\"true\".", warning.Message);
        AssertCanonical(build, warning);

        // Written on purpose: no warning.
        Ws.Write("Probe.Tests/FodyWeavers.xml", "<Weavers>\n  <Trapweave Self=\"true\" />\n</Weavers>\n");
        var deliberate = Build("Probe.Tests");
        Assert.True(deliberate.ExitCode == 0, deliberate.ToString());
        Assert.Empty(Trap(deliberate, "warning"));
    }

    [Fact]
    public void A_test_project_without_FodyWeavers_xml_is_warned_before_Fody_creates_the_default()
    {
        var config = Ws["Probe.Tests/FodyWeavers.xml"];
        File.Delete(config);
        // Fody writes its default file only when it runs, and it runs only after the compiler ran.
        Ws.Write("Probe.Tests/Touch.cs", $"// {Guid.NewGuid()}\n");

        var build = Build("Probe.Tests");

        Assert.True(build.ExitCode == 0, build.ToString());
        var warning = Assert.Single(Trap(build, "warning"));
        Assert.Equal(("TRAP013", config, 0), (warning.Code, warning.File, warning.Line));
        Assert.Equal("This test project has no FodyWeavers.xml, so Fody creates one with <Trapweave />, which weaves this test project's own assembly, not the code under test. To weave the copies of the referenced projects in this project's output, create FodyWeavers.xml with <Weavers><Trapweave References=\"Shop\" Self=\"false\" /></Weavers>.", warning.Message);

        // Fody did create the default; from now on the warning points at its element.
        Assert.Contains("<Trapweave />", File.ReadAllText(config));
        var next = Build("Probe.Tests");
        var atElement = Assert.Single(Trap(next, "warning"));
        Assert.Equal(("TRAP013", config, 2), (atElement.Code, atElement.File, atElement.Line));
    }

    [Fact]
    public void An_unknown_reference_lists_only_the_projects_own_references()
    {
        var config = Ws.Write("Probe.Tests/FodyWeavers.xml", "<Weavers>\n  <Trapweave References=\"Shopp\" Self=\"false\" />\n</Weavers>\n");

        var build = Build("Probe.Tests");

        Assert.True(build.ExitCode != 0, build.ToString());
        var error = Assert.Single(build.Errors());
        Assert.Equal(("TRAP005", config, 2, 14), (error.Code, error.File, error.Line, error.Column));
        // Shop (ProjectReference) and Newtonsoft.Json (PackageReference); not the test platform's,
        // xunit's or the Trapweave runtime's assemblies, though all are copied to the output too.
        Assert.EndsWith("this project's own references: Newtonsoft.Json, Shop).", error.Message);
        Assert.DoesNotContain("testhost", error.Message);
        Assert.DoesNotContain("xunit", error.Message);
        Assert.DoesNotContain("Microsoft.", error.Message);
    }

    [Fact]
    public void Fody_does_not_run_when_its_only_weaver_is_Trapweave_with_Self_false()
    {
        Ws.Write("Probe.Tests/FodyWeavers.xml", "<Weavers>\n  <Trapweave References=\"Shop\" Self=\"false\" />\n</Weavers>\n");
        Ws.Write("Probe.Tests/Touch.cs", $"// {Guid.NewGuid()}\n");
        Ws.DeleteDirectory("Probe.Tests/obj/Debug/net10.0/trapweave");
        var fodyCache = "Probe.Tests/obj/Debug/net10.0/Probe.Tests.csproj.Fody.CopyLocal.cache";
        if (Ws.Exists(fodyCache)) File.Delete(Ws[fodyCache]);

        var build = Build("Probe.Tests");

        Assert.True(build.ExitCode == 0, build.ToString());
        // The compiler ran (so FodyTarget was due), Fody did not: none of its output, no cache file.
        Assert.Contains("Probe.Tests -> ", build.Output);
        Assert.Contains("Trapweave: Fody is skipped: the only weaver configured is Trapweave with Self=\"false\"", build.Output);
        Assert.DoesNotContain("FodyTarget:", build.Output);
        Assert.DoesNotContain("Fody: Fody (version", build.Output);
        Assert.False(Ws.Exists(fodyCache), "Fody's cache file is there: Fody ran");
        // The references are still woven, by the MSBuild task.
        Assert.Contains("Trapweave: Shop.dll -> ", build.Output);
        Assert.True(WovenAssembly.Read(Ws["Probe.Tests/bin/Debug/net10.0/Shop.dll"]).HasTrapTable);
        Assert.False(WovenAssembly.Read(Ws["Probe.Tests/bin/Debug/net10.0/Probe.Tests.dll"]).ProcessedByFody);
    }

    [Theory]
    [InlineData("project")]
    [InlineData("solution")]
    public void Fody_still_runs_when_another_weaver_is_configured(string where)
    {
        // Fody also reads a FodyWeavers.xml in the solution folder (here, without a solution, the project's parent).
        Ws.Write("Mixed.Tests/FodyWeavers.xml", where == "project"
            ? "<Weavers>\n  <Costura />\n  <Trapweave References=\"Shop\" Self=\"false\" />\n</Weavers>\n"
            : "<Weavers>\n  <Trapweave References=\"Shop\" Self=\"false\" />\n</Weavers>\n");
        if (where == "solution") Ws.Write("FodyWeavers.xml", "<Weavers>\n  <Costura />\n</Weavers>\n");
        Ws.Write("Mixed.Tests/Touch.cs", $"// {Guid.NewGuid()}\n");
        try
        {
            var build = Build("Mixed.Tests");

            Assert.True(build.ExitCode == 0, build.ToString());
            Assert.DoesNotContain("Trapweave: Fody is skipped", build.Output);
            Assert.Contains("Fody/Costura: Executing weaver", build.Output);
            Assert.Contains("Fody/Trapweave: Trapweave: Self=\"false\"; the project's own assembly is not woven.", build.Output);
            Assert.True(WovenAssembly.Read(Ws["Mixed.Tests/bin/Debug/net10.0/Mixed.Tests.dll"]).ProcessedByFody);
        }
        finally
        {
            File.Delete(Ws["FodyWeavers.xml"]);
        }
    }
}
