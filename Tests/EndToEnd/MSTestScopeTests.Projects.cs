namespace Trapweave.Tests.EndToEnd;

/// <summary>The MSTest test projects the scope tests run: every kind of setup, class and assembly level, parallel tests, leaks.</summary>
public sealed partial class MSTestScopeTests
{
    /// <summary>A test project on MSTest <paramref name="version"/>, as `dotnet new mstest` writes it (the MSTest metapackage), plus README's two packages.</summary>
    static string Project(string version, bool ownSources) => $$"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <LangVersion>latest</LangVersion>{{(ownSources ? "" : "\n    <EnableDefaultCompileItems>false</EnableDefaultCompileItems>")}}
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="MSTest" Version="{{version}}" />
            <PackageReference Include="Trapweave.Fody" Version="$(TrapweaveVersion)" PrivateAssets="all" />
            <PackageReference Include="Trapweave" Version="$(TrapweaveVersion)" />
            <ProjectReference Include="../Lib/Lib.csproj" />
          </ItemGroup>
          <ItemGroup>{{(ownSources ? "" : "\n    <Compile Include=\"../MSTestTests/*.cs\" />")}}{{(version.StartsWith("3.") ? "\n    <Compile Include=\"../ClassCleanupAtEndOfClass.cs\" />" : "")}}
            <Using Include="Microsoft.VisualStudio.TestTools.UnitTesting" />
          </ItemGroup>
        </Project>
        """;

    /// <summary>MSTest before 3.10 has no [GlobalTestInitialize]: the build warns (TRAP031) and adds no scopes.</summary>
    const string TooOldProject = """
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="MSTest.TestFramework" Version="3.8.3" />
            <PackageReference Include="Trapweave.Fody" Version="$(TrapweaveVersion)" PrivateAssets="all" />
            <PackageReference Include="Trapweave" Version="$(TrapweaveVersion)" />
            <ProjectReference Include="../Lib/Lib.csproj" />
          </ItemGroup>
        </Project>
        """;

    static readonly Dictionary<string, string> Sources = new()
    {
        ["MSTestSettings.cs"] = """
            [assembly: Parallelize(Workers = 4, Scope = ExecutionScope.MethodLevel)]
            """,
        ["AssemblyLevel.cs"] = """
            using Lib;
            using Trapweave;

            namespace MSTestTests;

            [TestClass]
            public sealed class AssemblyLevel
            {
                // Without test scopes (the opted-out run) the registration is refused; kept here so
                // that run still reaches its tests.
                internal static TrapException? Refused;

                // An async [AssemblyInitialize]: what it registers after an await, and what an awaited
                // helper registers after its own, reaches every test of the assembly.
                [AssemblyInitialize]
                public static async Task RegisterForTheWholeAssembly(TestContext context)
                {
                    try
                    {
                        await Task.Yield();
                        Trap.When(() => Catalog.Label("assembly-init")).Returns("from [AssemblyInitialize]");
                        await RegisterInAHelper();
                    }
                    catch (TrapException e) { Refused = e; }
                }

                static async Task RegisterInAHelper()
                {
                    await Task.Delay(1);
                    Trap.When(() => Catalog.Label("assembly-helper")).Returns("from an [AssemblyInitialize] helper");
                }
            }
            """,
        ["SetupTests.cs"] = """
            using Lib;
            using Trapweave;

            namespace MSTestTests;

            public abstract class SetupBase
            {
                [TestInitialize]
                public void SyncTestInitialize() => Trap.When(() => Catalog.Label("sync-init")).Returns("from sync [TestInitialize]");
            }

            // Registrations from every kind of per-test setup reach the test; none of them is disposed.
            [TestClass]
            public sealed class SetupTests : SetupBase
            {
                public SetupTests() => Trap.When(() => Catalog.Label("ctor")).Returns("from the constructor");

                [TestInitialize]
                public async Task AsyncTestInitialize()
                {
                    await Task.Yield();
                    Trap.When(() => Catalog.Label("async-init")).Returns("from async [TestInitialize]");
                }

                [TestMethod]
                public void Sync_test_sees_every_setup() => AssertSetup();

                [TestMethod]
                public async Task Async_test_sees_every_setup()
                {
                    await Task.Yield();
                    AssertSetup();
                }

                [TestMethod]
                [DataRow("one")]
                [DataRow("two")]
                public async Task Each_row_sees_setup_and_only_its_own_registrations(string name)
                {
                    // The other row registered under its own name; it must not be seen here.
                    var other = name == "one" ? "two" : "one";
                    await RegisterAsync(name);
                    Assert.AreEqual("row " + name, Catalog.Label("row-" + name));
                    Assert.AreEqual("real:row-" + other, Catalog.Label("row-" + other));
                    AssertSetup();
                }

                // An awaited helper: what it registers reaches the caller (the test's scope collects it).
                static async Task RegisterAsync(string name)
                {
                    await Task.Yield();
                    Trap.When(() => Catalog.Label("row-" + name)).Returns("row " + name);
                }

                static void AssertSetup()
                {
                    Assert.AreEqual("from the constructor", Catalog.Label("ctor"));
                    Assert.AreEqual("from sync [TestInitialize]", Catalog.Label("sync-init"));
                    Assert.AreEqual("from async [TestInitialize]", Catalog.Label("async-init"));
                    Assert.AreEqual("from [AssemblyInitialize]", Catalog.Label("assembly-init"));
                    Assert.AreEqual("from an [AssemblyInitialize] helper", Catalog.Label("assembly-helper"));
                }
            }
            """,
        ["ClassLevelTests.cs"] = """
            using Lib;
            using Trapweave;

            namespace MSTestTests;

            // A synchronous [ClassInitialize] and no [ClassCleanup]: what it registers reaches every test
            // of the class and no other class, and ends when the class's tests are done.
            [TestClass]
            public sealed class ClassLevelTests
            {
                internal static readonly ManualResetEventSlim Initialized = new();

                [ClassInitialize]
                public static void RegisterForTheClass(TestContext context)
                {
                    Trap.When(() => Catalog.Label("class-init")).Returns("from [ClassInitialize]");
                    Trap.Global.When(() => Catalog.Label("class-global")).Returns("from a process-wide registration in [ClassInitialize]");
                    Initialized.Set();
                }

                [TestMethod]
                public void First_test_of_the_class() => Assert.AreEqual("from [ClassInitialize]", Catalog.Label("class-init"));

                [TestMethod]
                public async Task Second_test_of_the_class()
                {
                    await Task.Yield();
                    Assert.AreEqual("from [ClassInitialize]", Catalog.Label("class-init"));
                    Assert.AreEqual("from a process-wide registration in [ClassInitialize]", Catalog.Label("class-global"));
                }
            }

            // An async [ClassInitialize] (and an async [ClassCleanup] of its own): what it registers after
            // an await, and what its awaited helper registers after its own, reaches the class's tests
            // only, and ends after the cleanup.
            [TestClass]
            public sealed class AsyncClassInitializeTests
            {
                internal static readonly ManualResetEventSlim Initialized = new();
                static TrapException? s_refused;
                static bool s_cleanupSawItsRegistrations;

                [ClassInitialize]
                public static async Task RegisterAsync(TestContext context)
                {
                    try
                    {
                        await Task.Yield();
                        Trap.When(() => Catalog.Label("async-class-init")).Returns("from async [ClassInitialize]");
                        await RegisterInAHelper();
                        Trap.Global.When(() => Catalog.Label("async-class-global")).Returns("process-wide, from async [ClassInitialize]");
                    }
                    catch (TrapException e) { s_refused = e; }
                    Initialized.Set();
                }

                static async Task RegisterInAHelper()
                {
                    await Task.Delay(1);
                    Trap.When(() => Catalog.Label("async-class-helper")).Returns("from an async [ClassInitialize] helper");
                }

                [ClassCleanup]
                public static async Task CleanUpAsync()
                {
                    await Task.Yield();
                    s_cleanupSawItsRegistrations = Catalog.Label("async-class-global") == "process-wide, from async [ClassInitialize]";
                }

                internal static bool CleanupSawItsRegistrations => s_cleanupSawItsRegistrations;

                [TestMethod]
                public async Task An_async_ClassInitialize_registration_reaches_its_class()
                {
                    Assert.IsNull(s_refused, s_refused?.Message);
                    await Task.Yield();
                    Assert.AreEqual("from async [ClassInitialize]", Catalog.Label("async-class-init"));
                    Assert.AreEqual("from an async [ClassInitialize] helper", Catalog.Label("async-class-helper"));
                    Assert.AreEqual("real:class-init", Catalog.Label("class-init"));
                }
            }

            // A synchronous [ClassCleanup] without a TestContext of its own: the class's scope ends after it.
            [TestClass]
            public sealed class SyncCleanupTests
            {
                [ClassInitialize]
                public static void Register(TestContext context) =>
                    Trap.Global.When(() => Catalog.Label("sync-cleanup-global")).Returns("process-wide, until the class's cleanup");

                [ClassCleanup]
                public static void CleanUp() { }

                [TestMethod]
                public void A_class_with_its_own_sync_cleanup_sees_its_setup() =>
                    Assert.AreEqual("process-wide, until the class's cleanup", Catalog.Label("sync-cleanup-global"));
            }

            [TestClass]
            public sealed class OtherClassTests
            {
                [TestMethod]
                public void Another_class_sees_the_real_method()
                {
                    Assert.IsTrue(ClassLevelTests.Initialized.Wait(TimeSpan.FromSeconds(60)), "ClassLevelTests never ran its [ClassInitialize]");
                    Assert.IsTrue(AsyncClassInitializeTests.Initialized.Wait(TimeSpan.FromSeconds(60)), "AsyncClassInitializeTests never ran its [ClassInitialize]");
                    Assert.AreEqual("real:class-init", Catalog.Label("class-init"));
                    Assert.AreEqual("real:async-class-init", Catalog.Label("async-class-init"));
                    Assert.AreEqual("real:async-class-helper", Catalog.Label("async-class-helper"));
                }
            }
            """,
        ["IsolationTests.cs"] = """
            using Lib;
            using Trapweave;

            namespace MSTestTests;

            // Not parallel: MSTest runs these one after another, in declaration order, after the parallel tests.
            // What a test registers (and never disposes) ends with it.
            [TestClass]
            [DoNotParallelize]
            public sealed class IsolationTests
            {
                static bool _aRan, _bRan;

                [TestMethod]
                public void A_registers_in_its_body_and_never_disposes()
                {
                    Trap.Patch<Func<string, string>>(Catalog.Label, key => "leaked:" + key);
                    Assert.AreEqual("leaked:x", Catalog.Label("x"));
                    _aRan = true;
                }

                [TestMethod]
                public void B_leaves_a_process_wide_registration_active()
                {
                    Trap.Global.When(() => Catalog.Tax()).Returns(42);
                    Assert.AreEqual(42, Catalog.Tax());
                    _bRan = true;
                }

                [TestMethod]
                public void C_sees_the_real_methods_again()
                {
                    Assert.IsTrue(_aRan && _bRan, "runs after A and B");
                    Assert.AreEqual("real:x", Catalog.Label("x"));
                    Assert.AreEqual(0, Catalog.Tax());
                }

                // After the parallel classes have run (and their class cleanups with them), what their
                // [ClassInitialize] methods registered process-wide has ended with each class.
                [TestMethod]
                public void D_class_level_registrations_ended_with_their_class()
                {
                    Assert.AreEqual("real:class-global", Catalog.Label("class-global"));
                    Assert.AreEqual("real:async-class-global", Catalog.Label("async-class-global"));
                    Assert.AreEqual("real:sync-cleanup-global", Catalog.Label("sync-cleanup-global"));
                    Assert.IsTrue(AsyncClassInitializeTests.CleanupSawItsRegistrations, "the class's scope ended before its own [ClassCleanup] ran");
                }
            }
            """,
        ["ParallelTests.cs"] = """
            using Lib;
            using Trapweave;

            namespace MSTestTests;

            // Both tests patch the same method differently in their async [TestInitialize] and must be inside
            // their bodies at the same time (the barrier lets neither go on alone); each sees only its own patch.
            [TestClass]
            public sealed class ParallelTests
            {
                static readonly Barrier BothRunning = new(2);

                public TestContext TestContext { get; set; } = null!;

                [TestInitialize]
                public async Task PatchWithTheTestsName()
                {
                    var name = TestContext.TestName!;
                    await Task.Yield();
                    Trap.When(() => Catalog.Label("who")).Returns(name);
                }

                [TestMethod]
                public void Left() => MeetThenCheck();

                [TestMethod]
                public void Right() => MeetThenCheck();

                void MeetThenCheck()
                {
                    Assert.IsTrue(BothRunning.SignalAndWait(TimeSpan.FromSeconds(60)), "the other test never ran at the same time");
                    Assert.AreEqual(TestContext.TestName, Catalog.Label("who"));
                }
            }
            """,
    };
}
