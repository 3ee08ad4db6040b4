using Trapweave.Tests.EndToEnd.Support;

namespace Trapweave.Tests.EndToEnd;

/// <summary>
/// The projects <see cref="XunitScopeTests"/> builds: a library with statics to patch (woven only in
/// the test projects' output) and xunit test projects set up exactly as README says, with no
/// attribute, base class or line of Trapweave code beyond the registrations themselves.
/// </summary>
public sealed partial class XunitScopeTests
{
    static void WriteLibrary(Workspace ws)
    {
        ws.WriteLibraryProject("Lib");
        ws.Write("Lib/Prices.cs", """
            namespace Lib;

            public static class Prices
            {
                public static int Of(string sku) => 1;
            }

            public static class Clock
            {
                public static string Now() => "real";
                public static string Later() => "real";
                public static string Tomorrow() => "real";
            }
            """);
    }

    static string TestProject(string packages, string extraProperties = "") => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <IsPackable>false</IsPackable>
            <TreatWarningsAsErrors>true</TreatWarningsAsErrors>{extraProperties}
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="Trapweave.Fody" Version="$(TrapweaveVersion)" PrivateAssets="all" />
            <PackageReference Include="Trapweave" Version="$(TrapweaveVersion)" />
        {packages}
          </ItemGroup>
          <ItemGroup>
            <ProjectReference Include="../Lib/Lib.csproj" />
            <Using Include="Xunit" />
          </ItemGroup>
        </Project>
        """;

    /// <summary>The newest xunit v2 packages served, with the newest test SDK and VSTest adapter.</summary>
    const string XunitV2Packages = """
            <PackageReference Include="Microsoft.NET.Test.Sdk" Version="18.11.0" />
            <PackageReference Include="xunit" Version="2.9.3" />
            <PackageReference Include="xunit.runner.visualstudio" Version="3.1.5" PrivateAssets="all" />
        """;

    /// <summary>What <c>dotnet new xunit</c> writes (SDK 10).</summary>
    const string XunitV2TemplatePackages = """
            <PackageReference Include="Microsoft.NET.Test.Sdk" Version="17.14.1" />
            <PackageReference Include="xunit" Version="2.9.3" />
            <PackageReference Include="xunit.runner.visualstudio" Version="3.1.4" />
        """;

    static void WriteXunitV2Tests(Workspace ws)
    {
        ws.Write("V2/V2.csproj", TestProject(XunitV2Packages));
        ws.Write("V2/FodyWeavers.xml", Workspace.FodyWeavers("""<Trapweave References="Lib" Self="false" />"""));
        WriteSharedTests(ws, "V2", asyncLifetime: "Task", done: "Task.CompletedTask");
        ws.Write("V2/Parallelism.cs", """
            // At least as many threads as the parallel tests that must meet (a machine may have one core).
            [assembly: CollectionBehavior(MaxParallelThreads = 4)]
            """);
    }

    /// <summary>
    /// xunit v3 test projects are executables run by Microsoft Testing Platform, which
    /// <c>dotnet test</c> on the .NET 10 SDK uses when global.json says so (xunit.v3 4.x refuses the
    /// VSTest route there). 4.0.2 is the newest served; 3.2.2 the newest of 3.x, whose runner API differs.
    /// </summary>
    static void WriteXunitV3Tests(Workspace ws, string project, string version)
    {
        ws.Write($"{project}/{project}.csproj", TestProject($"""
                <PackageReference Include="xunit.v3" Version="{version}" />
                <Content Include="xunit.runner.json" CopyToOutputDirectory="PreserveNewest" />
            """, "\n    <OutputType>Exe</OutputType>"));
        ws.Write($"{project}/xunit.runner.json", """{ "assertEquivalentMaxDepth": 3 }""");
        ws.Write($"{project}/global.json", """{ "test": { "runner": "Microsoft.Testing.Platform" } }""");
        ws.Write($"{project}/FodyWeavers.xml", Workspace.FodyWeavers("""<Trapweave References="Lib" Self="false" />"""));
        WriteSharedTests(ws, project, asyncLifetime: "ValueTask", done: "default");
        var parallelism = version.StartsWith("3.") ? "CollectionBehavior(MaxParallelThreads = 4)" : "Xunit.v3.Parallelization(MaxThreads = 4)";
        ws.Write($"{project}/Parallelism.cs", $$"""
            // At least as many threads as the parallel tests that must meet (a machine may have one core).
            [assembly: {{parallelism}}]
            """);
        // Trapweave's executor still hands xunit's execution options on to the assertions, as xunit's own does.
        ws.Write($"{project}/Options.cs", """
            namespace Scopes;

            public class Options
            {
                sealed class Endless
                {
                    public Endless Next => new();
                }

                [Fact]
                public void Configured_assertion_options_apply()
                {
                    var failure = Assert.Throws<Xunit.Sdk.EquivalentException>(() => Assert.Equivalent(new Endless(), new Endless()));
                    Assert.StartsWith("Assert.Equivalent() Failure: Exceeded the maximum depth 3 ", failure.Message);
                }
            }
            """);
        // xunit v3's assembly fixtures (v2 has none).
        ws.Write($"{project}/AssemblyFixture.cs", """
            using Lib;
            using Trapweave;

            [assembly: AssemblyFixture(typeof(Scopes.AssemblyPatch))]

            namespace Scopes;

            // What it registers (sync constructor, async InitializeAsync) reaches every test of the assembly.
            public sealed class AssemblyPatch : IAsyncLifetime
            {
                public AssemblyPatch() => Trap.When(() => Prices.Of("assembly-ctor")).Returns(60);

                public async ValueTask InitializeAsync()
                {
                    await Task.Yield();
                    Trap.When(() => Prices.Of("assembly-async")).Returns(61);
                }

                public ValueTask DisposeAsync() => default;
            }

            public class AssemblyWide
            {
                [Fact]
                public void Assembly_fixture_registrations_reach_the_test()
                {
                    Assert.Equal(60, Prices.Of("assembly-ctor"));
                    Assert.Equal(61, Prices.Of("assembly-async"));
                }
            }
            """);
    }

    /// <summary>xunit.v3 2.0.3, older than the 3.2 runners the scopes are written for: TRAP032 and no source.</summary>
    static void WriteXunitV3TooOld(Workspace ws)
    {
        ws.Write("V3TooOld/V3TooOld.csproj", TestProject("""
                <PackageReference Include="xunit.v3" Version="2.0.3" />
            """, "\n    <OutputType>Exe</OutputType>"));
        ws.Write("V3TooOld/global.json", """{ "test": { "runner": "Microsoft.Testing.Platform" } }""");
        ws.Write("V3TooOld/FodyWeavers.xml", Workspace.FodyWeavers("""<Trapweave References="Lib" Self="false" />"""));
        ws.Write("V3TooOld/Plain.cs", """
            namespace Scopes;

            public class Plain
            {
                [Fact]
                public void Runs() => Assert.Equal(1, Lib.Prices.Of("plain"));
            }
            """);
    }

    /// <summary>
    /// Test code that reads the same under xunit v2 and v3, but for IAsyncLifetime's return type
    /// (Task in v2, ValueTask in v3).
    /// </summary>
    static void WriteSharedTests(Workspace ws, string project, string asyncLifetime, string done)
    {
        ws.Write($"{project}/Setup.cs", $$"""
            using Lib;
            using Trapweave;

            namespace Scopes;

            // Registrations from the constructor and from async setup reach the test, never disposed.
            public class Setup : IAsyncLifetime
            {
                public Setup() => Trap.When(() => Prices.Of("ctor")).Returns(10);

                public async {{asyncLifetime}} InitializeAsync()
                {
                    await Task.Yield();
                    await PatchLaterAsync();
                }

                static async Task PatchLaterAsync()
                {
                    await Task.Delay(1);
                    Trap.When(() => Prices.Of("async")).Returns(20);
                }

                public {{asyncLifetime}} DisposeAsync() => {{done}};

                [Fact]
                public void Constructor_registration_reaches_the_test() => Assert.Equal(10, Prices.Of("ctor"));

                [Fact]
                public async Task Async_setup_registration_reaches_the_test()
                {
                    await Task.Yield();
                    Assert.Equal(20, Prices.Of("async"));
                }
            }

            // A class of its own collection: nothing registered by the others reaches it.
            public class Outsider
            {
                [Fact]
                public void Sees_the_real_methods()
                {
                    foreach (var sku in new[] { "ctor", "async", "fixture-ctor", "fixture-async", "collection", "shared", "theory", "leak-a", "leak-b" })
                        Assert.Equal(1, Prices.Of(sku));
                }
            }
            """);
        ws.Write($"{project}/Fixtures.cs", $$"""
            using Lib;
            using Trapweave;

            namespace Scopes;

            // Class fixture: what it registers (sync constructor, async InitializeAsync) reaches the tests of its class only;
            // a process-wide registration it never disposes ends with its class (see AfterFixtures).
            public sealed class PatchingFixture : IAsyncLifetime
            {
                public PatchingFixture()
                {
                    Trap.When(() => Prices.Of("fixture-ctor")).Returns(30);
                    Trap.Global.When(() => Clock.Tomorrow()).Returns("fixture");
                }

                public async {{asyncLifetime}} InitializeAsync()
                {
                    await Task.Yield();
                    Trap.When(() => Prices.Of("fixture-async")).Returns(31);
                }

                public {{asyncLifetime}} DisposeAsync() => {{done}};
            }

            public class ClassFixture : IClassFixture<PatchingFixture>
            {
                [Fact]
                public void Fixture_constructor_registration_reaches_the_test() => Assert.Equal(30, Prices.Of("fixture-ctor"));

                [Fact]
                public void Fixture_async_registration_reaches_the_test() => Assert.Equal(31, Prices.Of("fixture-async"));

                [Fact]
                public void Fixture_process_wide_registration_is_active_for_the_test() => Assert.Equal("fixture", Clock.Tomorrow());
            }

            // xunit runs collections that disable parallelization after all the others have finished, so
            // by then every fixture's level has ended, and with it what the fixture left registered.
            [CollectionDefinition("AfterFixtures", DisableParallelization = true)]
            public sealed class AfterFixturesCollection { }

            [Collection("AfterFixtures")]
            public class AfterFixtures
            {
                [Fact]
                public void Fixture_registrations_ended_with_their_level()
                {
                    Assert.Equal("real", Clock.Tomorrow());
                    foreach (var sku in new[] { "fixture-ctor", "fixture-async", "collection" })
                        Assert.Equal(1, Prices.Of(sku));
                }
            }

            // Collection fixture: reaches every class in the collection, and no other.
            public sealed class CollectionPatch : IAsyncLifetime
            {
                public async {{asyncLifetime}} InitializeAsync()
                {
                    await Task.Yield();
                    Trap.When(() => Prices.Of("collection")).Returns(40);
                }

                public {{asyncLifetime}} DisposeAsync() => {{done}};
            }

            [CollectionDefinition("Patched")]
            public sealed class PatchedCollection : ICollectionFixture<CollectionPatch> { }

            [Collection("Patched")]
            public class InCollectionOne
            {
                [Fact]
                public void Collection_registration_reaches_the_test() => Assert.Equal(40, Prices.Of("collection"));
            }

            [Collection("Patched")]
            public class InCollectionTwo
            {
                [Fact]
                public void Collection_registration_reaches_the_test() => Assert.Equal(40, Prices.Of("collection"));
            }
            """);
        ws.Write($"{project}/Isolation.cs", """
            using Lib;
            using Trapweave;

            namespace Scopes;

            // Each of A and B leaves its registrations undisposed and checks that the other's are gone:
            // whichever runs second (the two never run at once) sees what the first left behind.
            public class Sequence
            {
                [Fact]
                public void A_leaves_its_registrations_undisposed()
                {
                    Trap.When(() => Prices.Of("leak-a")).Returns(50);
                    Trap.Global.When(() => Clock.Now()).Returns("global");
                    Assert.Equal("global", Clock.Now());
                    Assert.Equal(1, Prices.Of("leak-b"));
                    Assert.Equal("real", Clock.Later());
                }

                [Fact]
                public void B_leaves_its_registrations_undisposed()
                {
                    Trap.When(() => Prices.Of("leak-b")).Returns(51);
                    Trap.Global.When(() => Clock.Later()).Returns("global");
                    Assert.Equal("global", Clock.Later());
                    Assert.Equal(1, Prices.Of("leak-a"));
                    Assert.Equal("real", Clock.Now());
                }

                // Each row must start from the real method: a row's patch ends with the row.
                [Theory, InlineData(2), InlineData(3), InlineData(4)]
                public void Inline_rows_have_scopes_of_their_own(int row)
                {
                    Assert.Equal(1, Prices.Of("theory"));
                    Trap.When(() => Prices.Of("theory")).Returns(row);
                    Assert.Equal(row, Prices.Of("theory"));
                }

                public static IEnumerable<object[]> Rows() => new[] { new object[] { new Row(5) }, new object[] { new Row(6) } };

                // Data xunit cannot serialize: the rows run as one test case, one test each.
                [Theory, MemberData(nameof(Rows))]
                public void Member_rows_have_scopes_of_their_own(Row row)
                {
                    Assert.Equal(1, Prices.Of("theory"));
                    Trap.When(() => Prices.Of("theory")).Returns(row.Value);
                    Assert.Equal(row.Value, Prices.Of("theory"));
                }
            }

            public sealed record Row(int Value);

            // Two classes, so two collections that xunit runs in parallel. Each patches the same method
            // differently, then waits at a rendezvous that only opens when both tests are running, then
            // checks that it still sees its own patch.
            public class ParallelLeft
            {
                [Fact]
                public async Task Keeps_its_own_patch()
                {
                    Trap.When(() => Prices.Of("shared")).Returns(100);
                    await Rendezvous.BothRunning();
                    Assert.Equal(100, Prices.Of("shared"));
                }
            }

            public class ParallelRight
            {
                [Fact]
                public async Task Keeps_its_own_patch()
                {
                    Trap.When(() => Prices.Of("shared")).Returns(200);
                    await Rendezvous.BothRunning();
                    Assert.Equal(200, Prices.Of("shared"));
                }
            }

            static class Rendezvous
            {
                static int _arrived;
                static readonly TaskCompletionSource Open = new(TaskCreationOptions.RunContinuationsAsynchronously);

                public static Task BothRunning()
                {
                    if (Interlocked.Increment(ref _arrived) == 2) Open.SetResult();
                    // Not a timing assertion: a bound so that tests that never overlap fail instead of hanging.
                    return Open.Task.WaitAsync(TimeSpan.FromMinutes(1));
                }
            }
            """);
    }

    static void WriteOptOut(Workspace ws)
    {
        ws.Write("OptOut/OptOut.csproj", TestProject(XunitV2TemplatePackages, "\n    <TrapweaveTestScopes>false</TrapweaveTestScopes>"));
        ws.Write("OptOut/FodyWeavers.xml", Workspace.FodyWeavers("""<Trapweave References="Lib" Self="false" />"""));
        ws.Write("OptOut/OptOut.cs", """
            using Lib;
            using Trapweave;

            namespace Scopes;

            public class OptedOut : IAsyncLifetime
            {
                public OptedOut() => Trap.When(() => Prices.Of("ctor")).Returns(10);

                public async Task InitializeAsync()
                {
                    await Task.Yield();
                    Trap.When(() => Prices.Of("async")).Returns(20);
                }

                public Task DisposeAsync() => Task.CompletedTask;

                [Fact]
                public void Runs_on_xunit_own_framework()
                {
                    Assert.DoesNotContain(typeof(OptedOut).Assembly.GetCustomAttributesData(), a => a.AttributeType.Name == "TestFrameworkAttribute");
                    Assert.Equal(10, Prices.Of("ctor"));   // a constructor's registration flows on by itself
                    Assert.Equal(1, Prices.Of("async"));   // without a scope, one made in async setup is lost
                }
            }
            """);
    }

    /// <summary>
    /// A project with its own [assembly: TestFramework] at line 3, column 12, and another as an
    /// AssemblyAttribute item (as packages such as Xunit.DependencyInjection add theirs).
    /// </summary>
    static void WriteOwnFramework(Workspace ws)
    {
        ws.Write("Own/Own.csproj", TestProject(XunitV2TemplatePackages + """
                <AssemblyAttribute Include="Xunit.TestFrameworkAttribute">
                  <_Parameter1>Own.ItemFramework</_Parameter1>
                  <_Parameter2>Own</_Parameter2>
                </AssemblyAttribute>
            """));
        ws.Write("Own/FodyWeavers.xml", Workspace.FodyWeavers("""<Trapweave References="Lib" Self="false" />"""));
        ws.Write("Own/Framework.cs", """
            using Xunit;

            [assembly: TestFramework("Own.MyFramework", "Own")]
            """);
    }
}
