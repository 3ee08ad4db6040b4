using System.Collections.Concurrent;
using Trapweave.Tests.EndToEnd.Support;

namespace Trapweave.Tests.EndToEnd;

/// <summary>
/// A library weaving its own assembly (<c>&lt;Trapweave /&gt;</c>), consumed by a console app that
/// patches its statics: through Fody (the "fody" route), or with <c>DisableFody=true</c> through
/// the post-compile MSBuild task alone (the "task" route). Each route's first test makes its build.
/// </summary>
[Collection(EndToEndCollection.Name), Trait("Category", "EndToEnd")]
public sealed class OwnAssemblyRouteTests : IClassFixture<OwnAssemblyRouteTests.State>
{
    const string IntermediatePath = "Lib/obj/Debug/net10.0/Lib.dll";
    const string OutputPath = "Lib/bin/Debug/net10.0/Lib.dll";
    const string OutputPdb = "Lib/bin/Debug/net10.0/Lib.pdb";
    const string AppCopyPath = "App/bin/Debug/net10.0/Lib.dll";
    const string FodyWeaving = "Fody/Trapweave: Executing weaver";
    const string TaskWeaving = "Trapweave: wove Lib.dll";

    public sealed class State
    {
        readonly ConcurrentDictionary<string, Lazy<RouteBuild>> _builds = new();
        internal RouteBuild Get(PackedPackages packages, string route) =>
            _builds.GetOrAdd(route, r => new Lazy<RouteBuild>(() => RouteBuild.Run(packages, r))).Value;
    }

    internal sealed record RouteBuild(string Route, Workspace Workspace, ProcessResult Build, WovenAssembly Intermediate, WovenAssembly Output, WovenAssembly AppCopy, bool PdbMatches)
    {
        public bool Fody => Route == "fody";

        public static RouteBuild Run(PackedPackages packages, string route)
        {
            var ws = packages.CreateWorkspace(route + "-route");
            var noFody = route == "task" ? "\n    <DisableFody>true</DisableFody>" : "";
            ws.Write("Lib/Lib.csproj", $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>{noFody}
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="Trapweave.Fody" Version="$(TrapweaveVersion)" PrivateAssets="all" />
                    <PackageReference Include="Trapweave" Version="$(TrapweaveVersion)" />
                  </ItemGroup>
                </Project>
                """);
            ws.Write("Lib/FodyWeavers.xml", Workspace.FodyWeavers("<Trapweave />"));
            ws.Write("Lib/Calc.cs", """
                namespace Lib;

                public static class Calc
                {
                    public static int Answer() => 42;
                    public static int Double(int x) => x * 2;
                }
                """);
            ws.Write("App/App.csproj", """
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                  </PropertyGroup>
                  <ItemGroup>
                    <ProjectReference Include="../Lib/Lib.csproj" />
                  </ItemGroup>
                </Project>
                """);
            ws.Write("App/Program.cs", """
                using Lib;
                using Trapweave;

                Console.WriteLine($"original={Calc.Answer()},{Calc.Double(4)}");
                using (Trap.Patch<Func<int>>(Calc.Answer, () => 7))
                using (Trap.When(() => Calc.Double(Arg.Any<int>())).Returns(-1))
                    Console.WriteLine($"patched={Calc.Answer()},{Calc.Double(4)}");
                Console.WriteLine($"restored={Calc.Answer()},{Calc.Double(4)}");
                """);

            var build = ws.DotNet("build", "App", "-v:n");
            Assert.True(build.ExitCode == 0, build.ToString());
            return new RouteBuild(route, ws, build,
                WovenAssembly.Read(ws[IntermediatePath]), WovenAssembly.Read(ws[OutputPath]), WovenAssembly.Read(ws[AppCopyPath]),
                WovenAssembly.PdbMatches(ws[OutputPath], ws[OutputPdb]));
        }
    }

    readonly PackedPackages _packages;
    readonly State _state;

    public OwnAssemblyRouteTests(PackedPackages packages, State state)
    {
        _packages = packages;
        _state = state;
    }

    [Theory]
    [InlineData("fody")]
    [InlineData("task")]
    public void The_library_is_woven_and_a_console_app_patches_its_statics(string route)
    {
        var built = _state.Get(_packages, route);
        var ws = built.Workspace;

        foreach (var assembly in new[] { built.Intermediate, built.Output, built.AppCopy }) AssertWovenLibrary(assembly);
        Assert.True(built.PdbMatches, $"{OutputPdb} does not belong to the woven {OutputPath}");
        if (built.Fody)
        {
            Assert.True(built.Output.ProcessedByFody, "Fody did not process Lib.dll");
            Assert.Contains(FodyWeaving, built.Build.Output);
        }
        else
        {
            // Woven by the MSBuild task, and Fody never ran.
            Assert.Contains(TaskWeaving, built.Build.Output);
            Assert.False(built.Output.ProcessedByFody, "Fody processed Lib.dll although DisableFody=true");
            Assert.DoesNotContain("FodyTarget:", built.Build.Output);
            Assert.False(ws.Exists("Lib/obj/Debug/net10.0/Lib.csproj.Fody.CopyLocal.cache"), "Fody's cache file is there: Fody ran");
        }

        AssertAppPatchesTheLibrary(ws, "App/bin/Debug/net10.0/App.dll");
    }

    [Theory]
    [InlineData("fody")]
    [InlineData("task")]
    public void Publishing_the_app_ships_the_woven_library(string route)
    {
        var ws = _state.Get(_packages, route).Workspace;

        // dotnet publish builds Release: the library is compiled and woven again in that configuration.
        var publish = ws.DotNet("publish", "App", "--no-restore", "-o", ws["publish"]);

        Assert.True(publish.ExitCode == 0, publish.ToString());
        AssertWovenLibrary(WovenAssembly.Read(ws["publish/Lib.dll"]));
        AssertAppPatchesTheLibrary(ws, "publish/App.dll");
    }

    static void AssertWovenLibrary(WovenAssembly assembly)
    {
        Assert.True(assembly.HasTrapTable, $"{assembly.Path} is not woven");
        Assert.Superset(new SortedSet<string> { "Lib.Calc::Answer", "Lib.Calc::Double" }, new SortedSet<string>(assembly.Trapped));
    }

    /// <summary>Runs the console app, which prints Calc's results before, while and after patching them.</summary>
    static void AssertAppPatchesTheLibrary(Workspace ws, string app)
    {
        var run = ProcessRunner.DotNet(ws.Root, TimeSpan.FromMinutes(1), ws[app]);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(new[] { "original=42,8", "patched=7,-1", "restored=42,8" }, run.Lines.Where(l => l.Length > 0));
    }

    [Theory]
    [InlineData("fody")]
    [InlineData("task")]
    public void A_second_build_without_changes_does_not_weave_again(string route)
    {
        var ws = _state.Get(_packages, route).Workspace;
        var before = Stamps(ws);

        var build = ws.DotNet("build", "App", "--no-restore", "-v:n");

        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.DoesNotContain(FodyWeaving, build.Output);
        Assert.DoesNotContain(TaskWeaving, build.Output);
        Assert.Contains("Skipping target \"CoreCompile\" because all output files are up-to-date", build.Output);
        Assert.Equal(before, Stamps(ws));
    }

    [Theory]
    [InlineData("fody")]
    [InlineData("task")]
    public void Changing_the_configuration_weaves_again(string route)
    {
        var built = _state.Get(_packages, route);
        var ws = built.Workspace;
        var before = Stamps(ws);

        ws.Write("Lib/FodyWeavers.xml", Workspace.FodyWeavers("""<Trapweave Exclude="Lib.Calc::Answer" />"""));
        var build = ws.DotNet("build", "App", "--no-restore", "-v:n");

        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Contains(built.Fody ? FodyWeaving : TaskWeaving, build.Output);
        var after = Stamps(ws);
        Assert.True(after.Intermediate > before.Intermediate, $"{IntermediatePath} was not written again");
        Assert.True(after.Output > before.Output, $"{OutputPath} was not copied again");
        Assert.True(after.AppCopy > before.AppCopy, $"{AppCopyPath} was not copied again");
        var woven = WovenAssembly.Read(ws[AppCopyPath]);
        Assert.DoesNotContain("Lib.Calc::Answer", woven.Trapped);
        Assert.Contains("Lib.Calc::Double", woven.Trapped);
    }

    static (DateTime Intermediate, DateTime Output, DateTime AppCopy) Stamps(Workspace ws) =>
        (ws.LastWrite(IntermediatePath), ws.LastWrite(OutputPath), ws.LastWrite(AppCopyPath));
}
