using System.IO;
using System.IO.Compression;
using System.Text.RegularExpressions;
using Mono.Cecil;
using Trapweave.Tests.EndToEnd.Support;

namespace Trapweave.Tests.EndToEnd;

/// <summary>
/// A test project targeting <c>net472;net10.0</c> (.NET Framework is not supported; it must still
/// restore and build): it weaves its copies of a <c>net472;net10.0</c> library and of a
/// <c>netstandard2.0</c> library (<c>References</c>), and references a <c>net472;net6.0;net10.0</c>
/// library and a <c>netstandard2.0</c> one that weave themselves through Fody (<c>&lt;Trapweave /&gt;</c>).
/// For net472 and net6.0 nothing is woven and each such build warns TRAP010; for net10.0 and
/// netstandard2.0 everything is woven, and the net10.0 tests pass. The own-assembly route without
/// Fody (<c>DisableFody=true</c>) is built apart. net472 and net6.0 code cannot run on this machine
/// (only .NET 10 is here): what shows them is the build, and the files it wrote.
/// </summary>
[Collection(EndToEndCollection.Name), Trait("Category", "EndToEnd")]
public sealed class MultiTargetTests : IClassFixture<MultiTargetTests.State>
{
    static string FrameworkWarning(string framework) => $"Trapweave does not support {framework}: it runs on .NET 8 and later only. Nothing is woven for {framework}";

    public sealed class State
    {
        Lazy<(Workspace Workspace, ProcessResult Build)> _fody;
        Lazy<(Workspace Workspace, ProcessResult Build)> _task;

        internal (Workspace Workspace, ProcessResult Build) Fody(PackedPackages packages) =>
            (_fody ??= new(() => BuildSolution(packages))).Value;

        internal (Workspace Workspace, ProcessResult Build) Task(PackedPackages packages) =>
            (_task ??= new(() => BuildOwnLibrary(packages, "own-task-multi-target", disableFody: true))).Value;
    }

    static string Project(string frameworks, string extra = "", string items = "") => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFrameworks>{frameworks}</TargetFrameworks>
            <LangVersion>latest</LangVersion>{extra}
          </PropertyGroup>
          <ItemGroup>{items}
          </ItemGroup>
        </Project>
        """;

    const string TrapweavePackages = """

            <PackageReference Include="Trapweave.Fody" Version="$(TrapweaveVersion)" PrivateAssets="all" />
            <PackageReference Include="Trapweave" Version="$(TrapweaveVersion)" />
        """;

    static void WriteOwnLibrary(Workspace ws, bool disableFody)
    {
        ws.Write("Own/Own.csproj", Project("net472;net6.0;net10.0", disableFody ? "\n    <DisableFody>true</DisableFody>" : "", TrapweavePackages));
        ws.Write("Own/FodyWeavers.xml", Workspace.FodyWeavers("<Trapweave />"));
        ws.Write("Own/Greeter.cs", """
            namespace Own;

            public static class Greeter
            {
                public static string Hello() => "hello";
            }
            """);
    }

    static (Workspace, ProcessResult) BuildOwnLibrary(PackedPackages packages, string name, bool disableFody)
    {
        var ws = packages.CreateWorkspace(name);
        WriteOwnLibrary(ws, disableFody);
        return (ws, ws.DotNet("build", "Own", "-v:n"));
    }

    /// <summary>Builds Own for all its targets (the test project builds only the two it uses), then the test project.</summary>
    static ProcessResult BuildAll(Workspace ws)
    {
        var own = ws.DotNet("build", "Own", "-v:n");
        if (own.ExitCode != 0) return own;
        var tests = ws.DotNet("build", "Tests", "-v:n");
        return tests with { Output = own.Output + tests.Output };
    }

    static (Workspace, ProcessResult) BuildSolution(PackedPackages packages)
    {
        var ws = packages.CreateWorkspace("multi-target");
        WriteOwnLibrary(ws, disableFody: false);
        ws.Write("Calc/Calc.csproj", Project("net472;net10.0"));
        ws.Write("Calc/Numbers.cs", """
            namespace Calc;

            public static class Numbers
            {
                public static int Answer() => 42;
            }
            """);
        ws.Write("Shared/Shared.csproj", Project("netstandard2.0").Replace("TargetFrameworks", "TargetFramework"));
        ws.Write("Shared/Names.cs", """
            namespace Shared;

            public static class Names
            {
                public static string Of(int x) => "n" + x;
            }
            """);
        ws.Write("SharedOwn/SharedOwn.csproj", Project("netstandard2.0", items: TrapweavePackages).Replace("TargetFrameworks", "TargetFramework"));
        ws.Write("SharedOwn/FodyWeavers.xml", Workspace.FodyWeavers("<Trapweave />"));
        ws.Write("SharedOwn/Words.cs", """
            namespace SharedOwn;

            public static class Words
            {
                public static string Echo(string s) => s;
            }
            """);
        ws.Write("Tests/Tests.csproj", Project("net472;net10.0", "\n    <IsPackable>false</IsPackable>", TrapweavePackages + """
                <PackageReference Include="Microsoft.NET.Test.Sdk" Version="17.14.1" />
                <PackageReference Include="xunit" Version="2.9.3" />
                <PackageReference Include="xunit.runner.visualstudio" Version="3.1.4" />
                <ProjectReference Include="../Calc/Calc.csproj" />
                <ProjectReference Include="../Own/Own.csproj" />
                <ProjectReference Include="../Shared/Shared.csproj" />
                <ProjectReference Include="../SharedOwn/SharedOwn.csproj" />
                <Using Include="Xunit" />
            """));
        ws.Write("Tests/FodyWeavers.xml", Workspace.FodyWeavers("""<Trapweave References="Calc;Shared" Self="false" />"""));
        // The same test code compiles for both targets: on net472 against the package's netstandard2.0 build.
        ws.Write("Tests/PatchTests.cs", """
            using Trapweave;

            public class CalcTests
            {
                [Fact]
                public void Patches_a_multi_targeted_library_woven_through_References()
                {
                    using var answer = Trap.Patch<Func<int>>(Calc.Numbers.Answer, () => 7);
                    Assert.Equal(7, Calc.Numbers.Answer());
                }
            }

            public class SharedTests
            {
                [Fact]
                public void Patches_a_netstandard_library_woven_through_References()
                {
                    using var name = Trap.Patch<Func<int, string>>(Shared.Names.Of, x => "patched" + x);
                    Assert.Equal("patched3", Shared.Names.Of(3));
                }
            }

            public class SharedOwnTests
            {
                [Fact]
                public void Patches_a_netstandard_library_woven_by_itself()
                {
                    using var echo = Trap.Patch<Func<string, string>>(SharedOwn.Words.Echo, s => "patched " + s);
                    Assert.Equal("patched x", SharedOwn.Words.Echo("x"));
                }
            }

            public class OwnTests
            {
                [Fact]
                public void Patches_a_library_woven_by_Fody()
                {
                    using var hello = Trap.Patch<Func<string>>(Own.Greeter.Hello, () => "patched");
                    Assert.Equal("patched", Own.Greeter.Hello());
                }

                [Fact]
                public void Unpatched_calls_run_the_original() => Assert.Equal("hello", Own.Greeter.Hello());
            }
            """);
        return (ws, BuildAll(ws));
    }

    readonly PackedPackages _packages;
    readonly State _state;

    public MultiTargetTests(PackedPackages packages, State state)
    {
        _packages = packages;
        _state = state;
    }

    [Fact]
    public void Restore_and_build_succeed_for_every_target_with_one_TRAP010_per_unsupported_build()
    {
        var (ws, build) = _state.Fody(_packages);

        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Empty(build.Errors());
        var warnings = build.Diagnostics().Where(d => d.Code == "TRAP010").ToArray();
        var expected = new[] { (ws["Own/Own.csproj"], "net472"), (ws["Own/Own.csproj"], "net6.0"), (ws["Tests/Tests.csproj"], "net472") };
        Assert.Equal(expected.Length, warnings.Length);
        foreach (var (project, framework) in expected)
        {
            var warning = Assert.Single(warnings, w => w.File == project && w.Message.StartsWith(FrameworkWarning(framework), StringComparison.Ordinal));
            Assert.Equal("warning", warning.Severity);
            Assert.Contains("net10.0", warning.Message);
        }
        // No other Trapweave diagnostic, and none about the supported targets.
        Assert.DoesNotContain(build.Diagnostics(), d => d.Code.StartsWith("TRAP", StringComparison.Ordinal) && d.Code != "TRAP010");
        Assert.DoesNotContain(warnings, w => w.Message.Contains("net10.0:") || w.Message.Contains("netstandard2.0:"));
        Assert.True(ws.Exists("Tests/bin/Debug/net472/Tests.dll") && ws.Exists("Tests/bin/Debug/net10.0/Tests.dll") && ws.Exists("Own/bin/Debug/net6.0/Own.dll"), build.ToString());
    }

    [Fact]
    public void Only_the_net10_outputs_are_woven()
    {
        var (ws, build) = _state.Fody(_packages);
        Assert.True(build.ExitCode == 0, build.ToString());

        // References route: the test output's copies.
        foreach (var copy in new[] { "Tests/bin/Debug/net10.0/Calc.dll", "Tests/bin/Debug/net10.0/Shared.dll" })
            Assert.True(WovenAssembly.Read(ws[copy]).HasTrapTable, $"{copy} is not woven");
        Assert.False(WovenAssembly.Read(ws["Tests/bin/Debug/net472/Calc.dll"]).HasTrapTable, "the net472 copy of Calc.dll was woven");
        Assert.Equal(ws.Hash("Calc/bin/Debug/net472/Calc.dll"), ws.Hash("Tests/bin/Debug/net472/Calc.dll"));
        Assert.False(WovenAssembly.Read(ws["Tests/bin/Debug/net472/Shared.dll"]).HasTrapTable, "the net472 copy of Shared.dll was woven");
        Assert.False(ws.Exists("Tests/obj/Debug/net472/trapweave/Calc.dll"));
        Assert.Contains("Trapweave: Calc.dll -> " + ws["Tests/obj/Debug/net10.0/trapweave/Calc.dll"], build.Output);
        Assert.DoesNotContain("Trapweave: Calc.dll -> " + ws["Tests/obj/Debug/net472/trapweave/Calc.dll"], build.Output);

        // Fody route: Fody ran for both targets, Trapweave's add-in wove only net10.0.
        var own10 = WovenAssembly.Read(ws["Own/bin/Debug/net10.0/Own.dll"]);
        Assert.True(own10.HasTrapTable, "Own.dll (net10.0) is not woven");
        Assert.Contains("Own.Greeter::Hello", own10.Trapped);
        var own472 = WovenAssembly.Read(ws["Own/bin/Debug/net472/Own.dll"]);
        Assert.True(own472.ProcessedByFody, "Fody did not run for net472");
        Assert.False(own472.HasTrapTable, "Own.dll (net472) was woven");
        var own6 = WovenAssembly.Read(ws["Own/bin/Debug/net6.0/Own.dll"]);
        Assert.True(own6.ProcessedByFody, "Fody did not run for net6.0");
        Assert.False(own6.HasTrapTable, "Own.dll (net6.0) was woven");
        // At least once for each of net472 and net6.0 (the test project's build may run Fody for Own's net472 again).
        Assert.True(Regex.Matches(build.Output, Regex.Escape("Fody/Trapweave: Trapweave: built for a runtime before .NET 8; nothing is woven (TRAP010).")).Count >= 2, build.ToString());

        // A netstandard library weaves itself: one build, woven for every consumer.
        Assert.True(WovenAssembly.Read(ws["SharedOwn/bin/Debug/netstandard2.0/SharedOwn.dll"]).HasTrapTable, "SharedOwn.dll (netstandard2.0) is not woven");
    }

    [Fact]
    public void The_older_builds_compile_against_the_package_build_that_throws()
    {
        var (ws, build) = _state.Fody(_packages);
        Assert.True(build.ExitCode == 0, build.ToString());

        using var package = ZipFile.OpenRead(_packages.RuntimePackage);
        Assert.Equal(EntryHash(package, "lib/netstandard2.0/Trapweave.dll"), ws.Hash("Tests/bin/Debug/net472/Trapweave.dll"));
        // A library's output has no package files: what it compiled against is in its restore's assets file.
        using var assets = System.Text.Json.JsonDocument.Parse(File.ReadAllText(ws["Own/obj/project.assets.json"]));
        foreach (var (framework, asset) in new[] { ("net472", "lib/netstandard2.0/Trapweave.dll"), ("net6.0", "lib/netstandard2.0/Trapweave.dll"), ("net10.0", "lib/net8.0/Trapweave.dll") })
        {
            var compile = assets.RootElement.GetProperty("targets").EnumerateObject().Single(t => t.Name == framework)
                .Value.GetProperty($"Trapweave/{_packages.Version}").GetProperty("compile").EnumerateObject().Select(p => p.Name);
            Assert.Equal(new[] { asset }, compile);
        }
        Assert.Equal(EntryHash(package, "lib/net8.0/Trapweave.dll"), ws.Hash("Tests/bin/Debug/net10.0/Trapweave.dll"));
        // No per-test scope sources are compiled for net472: they would call the API that throws there.
        using var tests472 = ModuleDefinition.ReadModule(ws["Tests/bin/Debug/net472/Tests.dll"]);
        Assert.DoesNotContain(tests472.GetMemberReferences(), m => m.DeclaringType.FullName == "Trapweave.Testing.TestScopes");
    }

    [Fact]
    public void The_net10_tests_of_the_multi_targeted_project_pass()
    {
        var (ws, build) = _state.Fody(_packages);
        Assert.True(build.ExitCode == 0, build.ToString());

        // The net472 tests cannot run here (no .NET Framework or Mono); the .NET 10 ones must.
        var test = ws.DotNet("test", "Tests", "-f", "net10.0", "--no-build");

        Assert.True(test.ExitCode == 0, test.ToString());
        var summary = Regex.Match(test.Output, @"Failed:\s+(\d+), Passed:\s+(\d+)");
        Assert.True(summary.Success, test.ToString());
        Assert.Equal(("0", "5"), (summary.Groups[1].Value, summary.Groups[2].Value));
    }

    [Fact]
    public void The_own_assembly_route_without_Fody_skips_net472_and_net6_with_TRAP010_and_weaves_net10()
    {
        var (ws, build) = _state.Task(_packages);

        Assert.True(build.ExitCode == 0, build.ToString());
        var warnings = build.Diagnostics().Where(d => d.Code == "TRAP010").ToArray();
        Assert.Equal(2, warnings.Length);
        Assert.All(warnings, w => Assert.Equal(ws["Own/Own.csproj"], w.File));
        Assert.Single(warnings, w => w.Message.StartsWith(FrameworkWarning("net472"), StringComparison.Ordinal));
        Assert.Single(warnings, w => w.Message.StartsWith(FrameworkWarning("net6.0"), StringComparison.Ordinal));
        Assert.Contains("Trapweave: wove Own.dll", build.Output);
        Assert.DoesNotContain("FodyTarget:", build.Output);
        Assert.True(WovenAssembly.Read(ws["Own/bin/Debug/net10.0/Own.dll"]).HasTrapTable, "Own.dll (net10.0) is not woven");
        var own472 = WovenAssembly.Read(ws["Own/bin/Debug/net472/Own.dll"]);
        Assert.False(own472.HasTrapTable, "Own.dll (net472) was woven");
        Assert.False(own472.ProcessedByFody, "Fody ran although DisableFody=true");
        Assert.False(WovenAssembly.Read(ws["Own/bin/Debug/net6.0/Own.dll"]).HasTrapTable, "Own.dll (net6.0) was woven");
    }

    [Fact]
    public void A_self_woven_netstandard_library_runs_its_originals_against_the_build_that_throws()
    {
        var (ws, build) = _state.Fody(_packages);
        Assert.True(build.ExitCode == 0, build.ToString());

        // What a .NET Framework process has: the woven netstandard library and the package's
        // netstandard2.0 Trapweave. Its woven methods must, with nothing armed, run their originals,
        // and its trap table's dispatchers bind to that build (TrapDispatch.Lookup is there). Only
        // they call into Trapweave, and they run only armed: compiled here, as when inlined.
        using var package = ZipFile.OpenRead(_packages.RuntimePackage);
        using var runtime = new MemoryStream();
        using (var entry = package.GetEntry("lib/netstandard2.0/Trapweave.dll")!.Open()) entry.CopyTo(runtime);
        var context = new OlderRuntimeContext(runtime.ToArray());
        try
        {
            var library = context.LoadFromAssemblyPath(ws["Tests/bin/Debug/net472/SharedOwn.dll"]);
            Assert.True(WovenAssembly.Read(library.Location).HasTrapTable, "the net472 copy of SharedOwn.dll is not woven");
            var echo = library.GetType("SharedOwn.Words", throwOnError: true)!.GetMethod("Echo")!;

            Assert.Equal("x", echo.Invoke(null, new object[] { "x" }));
            var dispatchers = library.GetType("<Trapweave>TrapTable", throwOnError: true)!
                .GetMethods(System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static).Where(m => !m.IsGenericMethodDefinition).ToList();
            Assert.NotEmpty(dispatchers);
            foreach (var dispatcher in dispatchers) System.Runtime.CompilerServices.RuntimeHelpers.PrepareMethod(dispatcher.MethodHandle);
            Assert.Same(context.Runtime, context.Assemblies.Single(a => a.GetName().Name == "Trapweave"));
        }
        finally
        {
            context.Unload();
        }
    }

    /// <summary>Loads Trapweave from the given image (the netstandard2.0 build); everything else as the default context does.</summary>
    sealed class OlderRuntimeContext : System.Runtime.Loader.AssemblyLoadContext
    {
        readonly byte[] _runtime;
        public OlderRuntimeContext(byte[] runtime) : base("trapweave-older-runtime", isCollectible: true) => _runtime = runtime;
        public System.Reflection.Assembly Runtime { get; private set; }

        protected override System.Reflection.Assembly Load(System.Reflection.AssemblyName name) =>
            name.Name == "Trapweave" ? Runtime ??= LoadFromStream(new MemoryStream(_runtime)) : null;
    }

    static string EntryHash(ZipArchive package, string name)
    {
        using var stream = package.GetEntry(name)!.Open();
        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(stream));
    }
}
