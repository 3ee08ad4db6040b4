using System.IO;
using Trapweave.Tests.EndToEnd.Support;

namespace Trapweave.Tests.EndToEnd;

/// <summary>
/// The Redirect attribute in real builds against the packed packages: a pattern that matches no
/// member the woven assemblies call is warning TRAP014 at its line of FodyWeavers.xml (own assembly
/// by Fody and by the task; a test project weaving References), with Redirect the only pattern
/// attribute; a malformed one is error TRAP004 on every route. The workspace holds a copy of
/// samples/Shop (which calls DateTime.Now, never DateTime.UtcNow), a library weaving itself that
/// calls File.Exists and Environment.ProcessorCount (Lib), and an xunit test project referencing
/// Shop whose own test calls DateTime.UtcNow (Probe.Tests: not woven, so that call does not count).
/// </summary>
[Collection(EndToEndCollection.Name), Trait("Category", "EndToEnd")]
public sealed class RedirectDiagnosticsTests : IClassFixture<RedirectDiagnosticsTests.State>
{
    public sealed class State
    {
        Lazy<Workspace> _workspace;
        internal Workspace Get(PackedPackages packages) => (_workspace ??= new Lazy<Workspace>(() => Prepare(packages))).Value;

        static Workspace Prepare(PackedPackages packages)
        {
            var ws = packages.CreateWorkspace("redirect-diagnostics");
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
            ws.Write("Lib/Machine.cs", """
                namespace Lib;

                public static class Machine
                {
                    public static bool HasConfig() => System.IO.File.Exists("app.json");
                    public static int Cores() => System.Environment.ProcessorCount;
                }
                """);
            ws.Write("Probe.Tests/Probe.Tests.csproj", """
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
                    <ProjectReference Include="../Shop/Shop.csproj" />
                  </ItemGroup>
                  <ItemGroup>
                    <Using Include="Xunit" />
                  </ItemGroup>
                </Project>
                """);
            ws.Write("Probe.Tests/Tests.cs", """
                namespace Probe.Tests;

                public class ClockTests
                {
                    [Fact]
                    public void Now() => Assert.True(Shop.SystemClock.Now() <= System.DateTime.UtcNow.AddDays(1));
                }
                """);
            foreach (var project in new[] { "Lib", "Probe.Tests" })
            {
                var restore = ws.DotNet("restore", project);
                Assert.True(restore.ExitCode == 0, restore.ToString());
            }
            var shop = ws.DotNet("build", "Shop", "--no-restore");
            Assert.True(shop.ExitCode == 0, shop.ToString());
            return ws;
        }
    }

    readonly PackedPackages _packages;
    readonly State _state;

    public RedirectDiagnosticsTests(PackedPackages packages, State state)
    {
        _packages = packages;
        _state = state;
    }

    Workspace Ws => _state.Get(_packages);

    ProcessResult Build(string project, params string[] extra) =>
        Ws.DotNet(new[] { "build", project, "--no-restore", "-p:BuildProjectReferences=false", "-v:n" }.Concat(extra).ToArray());

    static string Route(string route) => route == "task" ? "-p:DisableFody=true" : "-p:DisableFody=false";

    static BuildDiagnostic[] Trap(ProcessResult build, string severity) =>
        build.Diagnostics().Where(d => d.Severity == severity && d.Code.StartsWith("TRAP", StringComparison.Ordinal)).ToArray();

    static void AssertCanonical(ProcessResult build, BuildDiagnostic diagnostic) =>
        Assert.Contains($"{diagnostic.File}({diagnostic.Line},{diagnostic.Column}): {diagnostic.Severity} {diagnostic.Code}: ", build.Output);

    [Theory]
    [InlineData("fody")]
    [InlineData("task")]
    public void A_redirect_pattern_that_matches_nothing_the_own_assembly_calls_is_a_warning_at_its_line(string route)
    {
        var config = Ws.Write("Lib/FodyWeavers.xml",
            Workspace.FodyWeavers("<Trapweave Self=\"true\"\n             Redirect=\"System.Environment::get_ProcessorCount;System.IO.File::Exist\" />"));

        var build = Build("Lib", Route(route));

        Assert.True(build.ExitCode == 0, build.ToString());
        var warning = Assert.Single(Trap(build, "warning"));
        Assert.Equal(("TRAP014", config, 3, 14), (warning.Code, warning.File, warning.Line, warning.Column));
        Assert.Equal("Redirect pattern 'System.IO.File::Exist' matches no member of another assembly that Lib calls, so it redirects nothing. " +
                     "Fix the pattern (Namespace.Type::Member, * as a wildcard, for example System.IO.File::ReadAllText; nested types with +, as Outer+Inner; " +
                     "generic types with or without arity, as System.Collections.Generic.List`1 or List; members of System.IO.File called there: Exists) or remove it.",
            warning.Message);
        AssertCanonical(build, warning);
        // Woven by the route asked for, and the check read what it wove.
        Assert.Contains(route == "fody" ? "Fody/Trapweave: Executing weaver" : "Trapweave: wove Lib.dll", build.Output);
        Assert.True(WovenAssembly.Read(Ws["Lib/obj/Debug/net10.0/Lib.dll"]).HasTrapTable);
    }

    [Fact]
    public void Redirect_patterns_that_all_match_give_no_warning()
    {
        Ws.Write("Lib/FodyWeavers.xml",
            Workspace.FodyWeavers("<Trapweave Redirect=\"System.Environment::get_ProcessorCount;System.IO.File::Exists;System.IO.*\" />"));

        var build = Build("Lib", Route("fody"));

        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Empty(Trap(build, "warning"));
        Assert.Contains("Fody/Trapweave: Executing weaver", build.Output);
    }

    [Fact]
    public void In_a_test_project_only_what_the_woven_references_call_counts()
    {
        // The test assembly calls DateTime.UtcNow, but it is not woven (Self="false"): only Shop counts.
        var config = Ws.Write("Probe.Tests/FodyWeavers.xml",
            "<Weavers>\n  <Trapweave References=\"Shop\" Self=\"false\"\n    Redirect=\"System.DateTime::get_Now;System.DateTime::get_UtcNow\" />\n</Weavers>\n");

        var build = Build("Probe.Tests");

        Assert.True(build.ExitCode == 0, build.ToString());
        var warning = Assert.Single(Trap(build, "warning"));
        Assert.Equal(("TRAP014", config, 3, 5), (warning.Code, warning.File, warning.Line, warning.Column));
        Assert.StartsWith("Redirect pattern 'System.DateTime::get_UtcNow' matches no member of another assembly that Shop calls, so it redirects nothing. ", warning.Message);
        Assert.EndsWith("members of System.DateTime called there: get_Hour, get_Now) or remove it.", warning.Message);
        AssertCanonical(build, warning);
        Assert.True(WovenAssembly.Read(Ws["Probe.Tests/bin/Debug/net10.0/Shop.dll"]).HasTrapTable);

        Ws.Write("Probe.Tests/FodyWeavers.xml", "<Weavers>\n  <Trapweave References=\"Shop\" Self=\"false\" Redirect=\"System.DateTime::get_Now\" />\n</Weavers>\n");
        var matching = Build("Probe.Tests");
        Assert.True(matching.ExitCode == 0, matching.ToString());
        Assert.Empty(Trap(matching, "warning"));
    }

    [Theory]
    [InlineData("Lib", "fody", "<Weavers>\n  <Trapweave Self=\"true\"\n             Redirect=\"System.IO.File:Exists\" />\n</Weavers>\n")]
    [InlineData("Lib", "task", "<Weavers>\n  <Trapweave Self=\"true\"\n             Redirect=\"System.IO.File:Exists\" />\n</Weavers>\n")]
    [InlineData("Probe.Tests", "fody", "<Weavers>\n  <Trapweave References=\"Shop\"\n             Redirect=\"System.IO.File:Exists\" Self=\"false\" />\n</Weavers>\n")]
    public void A_malformed_redirect_pattern_fails_the_build_at_its_line(string project, string route, string xml)
    {
        var config = Ws.Write($"{project}/FodyWeavers.xml", xml);

        var build = Build(project, Route(route));

        Assert.True(build.ExitCode != 0, build.ToString());
        var error = Assert.Single(build.Errors());
        Assert.Equal(("TRAP004", config, 3, 14), (error.Code, error.File, error.Line, error.Column));
        Assert.Equal("Bad pattern 'System.IO.File:Exists': write Namespace.Type::Method, with * as a wildcard (for example System.IO.File::ReadAllText or System.IO.File::*).", error.Message);
        AssertCanonical(build, error);
        // Raised before the compiler: neither Fody nor the task got to weave anything.
        Assert.DoesNotContain("Fody/Trapweave:", build.Output);
        Assert.DoesNotContain("Trapweave: wove", build.Output);
    }
}
