namespace Trapweave.Tests.EndToEnd;

/// <summary>The NUnit test project the scope tests run: every kind of setup, fixtures, parallel tests, leaks.</summary>
public sealed partial class NUnitScopeTests
{
    /// <summary>The newest NUnit served here, as a user who updates the packages has it.</summary>
    const string NewestProject = """
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <IsPackable>false</IsPackable>
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="Microsoft.NET.Test.Sdk" Version="18.11.0" />
            <PackageReference Include="NUnit" Version="5.0.0" />
            <PackageReference Include="NUnit.Analyzers" Version="4.15.0" />
            <PackageReference Include="NUnit3TestAdapter" Version="6.3.1" />
            <PackageReference Include="Trapweave.Fody" Version="$(TrapweaveVersion)" PrivateAssets="all" />
            <PackageReference Include="Trapweave" Version="$(TrapweaveVersion)" />
            <ProjectReference Include="../Lib/Lib.csproj" />
          </ItemGroup>
          <ItemGroup>
            <Using Include="NUnit.Framework" />
          </ItemGroup>
        </Project>
        """;

    /// <summary>What `dotnet new nunit` writes (SDK 10.0.401), plus README's two packages; the same sources.</summary>
    const string TemplateProject = """
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <LangVersion>latest</LangVersion>
            <IsPackable>false</IsPackable>
            <EnableDefaultCompileItems>false</EnableDefaultCompileItems>
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="coverlet.collector" Version="6.0.4" />
            <PackageReference Include="Microsoft.NET.Test.Sdk" Version="17.14.0" />
            <PackageReference Include="NUnit" Version="4.3.2" />
            <PackageReference Include="NUnit.Analyzers" Version="4.7.0" />
            <PackageReference Include="NUnit3TestAdapter" Version="5.0.0" />
            <PackageReference Include="Trapweave.Fody" Version="$(TrapweaveVersion)" PrivateAssets="all" />
            <PackageReference Include="Trapweave" Version="$(TrapweaveVersion)" />
            <ProjectReference Include="../Lib/Lib.csproj" />
          </ItemGroup>
          <ItemGroup>
            <Compile Include="../NUnitTests/*.cs" />
            <Using Include="NUnit.Framework" />
          </ItemGroup>
        </Project>
        """;

    /// <summary>The oldest NUnit the README names (3.14) with the adapter of its time; the same sources.</summary>
    const string OldestProject = """
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <IsPackable>false</IsPackable>
            <EnableDefaultCompileItems>false</EnableDefaultCompileItems>
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="Microsoft.NET.Test.Sdk" Version="18.11.0" />
            <PackageReference Include="NUnit" Version="3.14.0" />
            <PackageReference Include="NUnit3TestAdapter" Version="4.6.0" />
            <PackageReference Include="Trapweave.Fody" Version="$(TrapweaveVersion)" PrivateAssets="all" />
            <PackageReference Include="Trapweave" Version="$(TrapweaveVersion)" />
            <ProjectReference Include="../Lib/Lib.csproj" />
          </ItemGroup>
          <ItemGroup>
            <Compile Include="../NUnitTests/*.cs" />
            <Using Include="NUnit.Framework" />
          </ItemGroup>
        </Project>
        """;

    static readonly Dictionary<string, string> Sources = new()
    {
        ["AssemblySetUp.cs"] = """
            using Lib;
            using Trapweave;

            // No namespace: NUnit runs this [SetUpFixture] once around every fixture of the assembly.
            [SetUpFixture]
            public class AssemblySetUp
            {
                [OneTimeSetUp]
                public async Task RegisterForTheWholeAssembly()
                {
                    await Task.Yield();
                    Trap.When(() => Catalog.Label("assembly-setup")).Returns("from [SetUpFixture]");
                }
            }
            """,
        ["SetupTests.cs"] = """
            using Lib;
            using Trapweave;

            [assembly: LevelOfParallelism(4)]

            namespace NUnitTests;

            // Registrations from every kind of per-test setup reach the test; none of them is disposed.
            public class SetupTests
            {
                [SetUp]
                public void SyncSetUp() => Trap.When(() => Catalog.Label("sync-setup")).Returns("from sync [SetUp]");

                [SetUp]
                public async Task AsyncSetUp()
                {
                    await Task.Yield();
                    Trap.When(() => Catalog.Label("async-setup")).Returns("from async [SetUp]");
                }

                [Test]
                public void Sync_test_sees_sync_and_async_setup()
                {
                    Assert.That(Catalog.Label("sync-setup"), Is.EqualTo("from sync [SetUp]"));
                    Assert.That(Catalog.Label("async-setup"), Is.EqualTo("from async [SetUp]"));
                    Assert.That(Catalog.Label("assembly-setup"), Is.EqualTo("from [SetUpFixture]"));
                }

                [Test]
                public async Task Async_test_sees_sync_and_async_setup()
                {
                    await Task.Yield();
                    Assert.That(Catalog.Label("sync-setup"), Is.EqualTo("from sync [SetUp]"));
                    Assert.That(Catalog.Label("async-setup"), Is.EqualTo("from async [SetUp]"));
                }

                [TestCase("one")]
                [TestCase("two")]
                public async Task Each_case_sees_setup_and_only_its_own_registrations(string name)
                {
                    // The other case registered under its own name; it must not be seen here.
                    var other = name == "one" ? "two" : "one";
                    await RegisterAsync(name);
                    Assert.That(Catalog.Label("case-" + name), Is.EqualTo("case " + name));
                    Assert.That(Catalog.Label("case-" + other), Is.EqualTo("real:case-" + other));
                    Assert.That(Catalog.Label("async-setup"), Is.EqualTo("from async [SetUp]"));
                }

                // An awaited helper: what it registers reaches the caller (the test's scope collects it).
                static async Task RegisterAsync(string name)
                {
                    await Task.Yield();
                    Trap.When(() => Catalog.Label("case-" + name)).Returns("case " + name);
                }
            }
            """,
        ["FixtureTests.cs"] = """
            using Lib;
            using Trapweave;

            namespace NUnitTests;

            // What the constructor and the [OneTimeSetUp] methods register (none of it disposed) reaches every test
            // of this fixture, which run in parallel on other worker threads, and no other fixture.
            [Parallelizable(ParallelScope.All)]
            public class FixtureLevelTests
            {
                internal static readonly ManualResetEventSlim SetUpDone = new();

                public FixtureLevelTests() => Trap.When(() => Catalog.Label("fixture-ctor")).Returns("from the constructor");

                [OneTimeSetUp]
                public void SyncOneTimeSetUp() => Trap.When(() => Catalog.Label("one-time-sync")).Returns("from sync [OneTimeSetUp]");

                [OneTimeSetUp]
                public async Task AsyncOneTimeSetUp()
                {
                    await Task.Yield();
                    Trap.When(() => Catalog.Label("one-time-async")).Returns("from async [OneTimeSetUp]");
                    SetUpDone.Set();
                }

                [Test]
                public void Sync_test_sees_the_fixtures_registrations() => AssertFixtureRegistrations();

                [Test]
                public async Task Async_test_sees_the_fixtures_registrations()
                {
                    await Task.Yield();
                    AssertFixtureRegistrations();
                }

                static void AssertFixtureRegistrations()
                {
                    Assert.That(Catalog.Label("fixture-ctor"), Is.EqualTo("from the constructor"));
                    Assert.That(Catalog.Label("one-time-sync"), Is.EqualTo("from sync [OneTimeSetUp]"));
                    Assert.That(Catalog.Label("one-time-async"), Is.EqualTo("from async [OneTimeSetUp]"));
                    Assert.That(Catalog.Label("assembly-setup"), Is.EqualTo("from [SetUpFixture]"));
                }
            }

            [Parallelizable(ParallelScope.All)]
            public class OtherFixtureTests
            {
                [Test]
                public void Another_fixture_sees_the_real_methods_while_that_fixture_runs()
                {
                    Assert.That(FixtureLevelTests.SetUpDone.Wait(TimeSpan.FromSeconds(60)), Is.True, "FixtureLevelTests never finished its [OneTimeSetUp]");
                    Assert.That(Catalog.Label("fixture-ctor"), Is.EqualTo("real:fixture-ctor"));
                    Assert.That(Catalog.Label("one-time-sync"), Is.EqualTo("real:one-time-sync"));
                    Assert.That(Catalog.Label("one-time-async"), Is.EqualTo("real:one-time-async"));
                    Assert.That(Catalog.Label("assembly-setup"), Is.EqualTo("from [SetUpFixture]"));
                }
            }
            """,
        ["InstancePerTestCaseTests.cs"] = """
            using Lib;
            using Trapweave;

            namespace NUnitTests;

            // A new instance per test: each constructor's registration reaches its own test and no other.
            [FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
            public class InstancePerTestCaseTests
            {
                static int _instances;
                readonly int _instance;

                public InstancePerTestCaseTests()
                {
                    _instance = Interlocked.Increment(ref _instances);
                    Trap.When(() => Catalog.Label("instance-" + _instance)).Returns("this test's instance");
                }

                [Test]
                public void First_sees_only_its_own_constructor() => AssertOnlyOwnInstance();

                [Test]
                public void Second_sees_only_its_own_constructor() => AssertOnlyOwnInstance();

                void AssertOnlyOwnInstance()
                {
                    Assert.That(Catalog.Label("instance-" + _instance), Is.EqualTo("this test's instance"));
                    for (var other = 1; other <= Volatile.Read(ref _instances); other++)
                        if (other != _instance) Assert.That(Catalog.Label("instance-" + other), Is.EqualTo("real:instance-" + other));
                }
            }
            """,
        ["IsolationTests.cs"] = """
            using Lib;
            using Trapweave;

            #pragma warning disable CS0618 // Order: deprecated in NUnit 5, still the way to order tests in 4 and 5

            namespace NUnitTests;

            // Runs in order, one test after another: what a test registers (and never disposes) ends with it.
            [NonParallelizable]
            public class IsolationTests
            {
                [Test, Order(1)]
                public void A_registers_in_its_body_and_never_disposes()
                {
                    Trap.Patch<Func<string, string>>(Catalog.Label, key => "leaked:" + key);
                    Assert.That(Catalog.Label("x"), Is.EqualTo("leaked:x"));
                }

                [Test, Order(2)]
                public void B_leaves_a_process_wide_registration_active()
                {
                    Trap.Global.When(() => Catalog.Tax()).Returns(42);
                    Assert.That(Catalog.Tax(), Is.EqualTo(42));
                }

                [Test, Order(3)]
                public void C_sees_the_real_methods_again()
                {
                    Assert.That(Catalog.Label("x"), Is.EqualTo("real:x"));
                    Assert.That(Catalog.Tax(), Is.EqualTo(0));
                }
            }
            """,
        ["ParallelTests.cs"] = """
            using Lib;
            using Trapweave;

            namespace NUnitTests;

            // Both tests patch the same method differently in their async [SetUp] and must be inside their
            // bodies at the same time (the barrier lets neither go on alone), then each sees only its own patch.
            [Parallelizable(ParallelScope.All)]
            public class ParallelTests
            {
                static readonly Barrier BothRunning = new(2);

                [SetUp]
                public async Task PatchWithTheTestsName()
                {
                    var name = TestContext.CurrentContext.Test.Name;
                    await Task.Yield();
                    Trap.When(() => Catalog.Label("who")).Returns(name);
                }

                [Test]
                public void Left() => MeetThenCheck();

                [Test]
                public void Right() => MeetThenCheck();

                static void MeetThenCheck()
                {
                    Assert.That(BothRunning.SignalAndWait(TimeSpan.FromSeconds(60)), Is.True, "the other test never ran at the same time");
                    Assert.That(Catalog.Label("who"), Is.EqualTo(TestContext.CurrentContext.Test.Name));
                }
            }
            """,
    };
}
