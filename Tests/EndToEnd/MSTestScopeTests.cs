using System.IO;
using Trapweave.Tests.EndToEnd.Support;

namespace Trapweave.Tests.EndToEnd;

/// <summary>
/// Per-test scopes under MSTest, with nothing in the test code but README's set-up: a test project
/// (MSTestScopeTests.Projects.cs) whose tests pass only if every registration made in the test
/// class's constructor, sync and async [TestInitialize], the test itself and sync and async
/// [ClassInitialize]/[AssemblyInitialize] (and their awaited helpers) reaches that test (class,
/// assembly) and no other, with methods running in parallel, and class-level registrations end with
/// their class. Run on the newest MSTest served, the version `dotnet new mstest`
/// writes and the oldest with [GlobalTestInitialize]; then with the opt-out, where they must fail;
/// and an MSTest too old for scopes gets TRAP031.
/// </summary>
[Collection(EndToEndCollection.Name), Trait("Category", "EndToEnd")]
public sealed partial class MSTestScopeTests : IClassFixture<MSTestScopeTests.Runs>
{
    const string GeneratedType = "Trapweave.Testing.Generated.TrapweaveMSTestTestScopes";
    const string MSTestLifecycleAddedCleanup = "<Trapweave>EndClassScope";
    const string WovenTestAssembly = "MSTestTests/bin/Debug/net10.0/MSTestTests.dll";
    const string WovenTestAssemblyCopy = "MSTestTests.newest.dll";

    static readonly string[] TestNames =
    {
        "A_registers_in_its_body_and_never_disposes",
        "A_class_with_its_own_sync_cleanup_sees_its_setup",
        "An_async_ClassInitialize_registration_reaches_its_class",
        "Another_class_sees_the_real_method",
        "Async_test_sees_every_setup",
        "B_leaves_a_process_wide_registration_active",
        "C_sees_the_real_methods_again",
        "D_class_level_registrations_ended_with_their_class",
        "Each_row_sees_setup_and_only_its_own_registrations (\"one\")",
        "Each_row_sees_setup_and_only_its_own_registrations (\"two\")",
        "First_test_of_the_class",
        "Left",
        "Right",
        "Second_test_of_the_class",
        "Sync_test_sees_every_setup",
    };

    /// <summary>The runs and the build, made once in this order: the opt-out run after the others, as it compiles the project again without scopes.</summary>
    public sealed class Runs
    {
        readonly Lazy<Dictionary<string, Run>> _runs;
        readonly Lazy<(ProcessResult Build, bool HasScopes)> _tooOld;
        ScopeTestWorkspace _workspace;

        public Runs(PackedPackages packages)
        {
            _runs = new(() =>
            {
                _workspace = new ScopeTestWorkspace(packages, "mstest-scopes");
                _workspace.WriteTestProject("MSTestTests", Project("4.5.2", ownSources: true), Sources);
                _workspace.WriteTestProject("MSTestTemplate", Project("4.0.2", ownSources: false), new Dictionary<string, string>());
                // MSTest 3.x runs class cleanups (and so ends class scopes) at the end of the assembly unless asked
                // to run them at the end of each class, as 4.x always does: D_... checks the latter.
                _workspace.Workspace.Write("ClassCleanupAtEndOfClass.cs", "[assembly: Microsoft.VisualStudio.TestTools.UnitTesting.ClassCleanupExecution(Microsoft.VisualStudio.TestTools.UnitTesting.ClassCleanupBehavior.EndOfClass)]");
                _workspace.WriteTestProject("MSTestOldest", Project("3.11.1", ownSources: false), new Dictionary<string, string>());
                var newest = Run.Of(_workspace.Test("MSTestTests", "newest"));
                // The opted-out run below compiles the same project again: keep what this build wrote.
                File.Copy(_workspace.Workspace[WovenTestAssembly], _workspace.Workspace[WovenTestAssemblyCopy], overwrite: true);
                var runs = new Dictionary<string, Run>
                {
                    ["4.5.2"] = newest,
                    ["4.0.2"] = Run.Of(_workspace.Test("MSTestTemplate", "template")),
                    ["3.11.1"] = Run.Of(_workspace.Test("MSTestOldest", "oldest")),
                };
                runs["opted-out"] = Run.Of(_workspace.Test("MSTestTests", "opted-out", "TrapweaveTestScopes=false"));
                return runs;
            });
            _tooOld = new(() =>
            {
                _ = _runs.Value;
                _workspace.WriteTestProject("MSTestTooOld", TooOldProject, new Dictionary<string, string>());
                var build = _workspace.Workspace.DotNet("build", "MSTestTooOld");
                Assert.True(build.ExitCode == 0, build.ToString());
                return (build, _workspace.HasType("MSTestTooOld/bin/Debug/net10.0/MSTestTooOld.dll", GeneratedType));
            });
        }

        public Run this[string versions] => _runs.Value[versions];
        public (ProcessResult Build, bool HasScopes) TooOld => _tooOld.Value;
        public ScopeTestWorkspace Workspace => _workspace;
    }

    public sealed record Run(ProcessResult Process, IReadOnlyDictionary<string, TrxResult> Results)
    {
        public static Run Of((ProcessResult Run, IReadOnlyDictionary<string, TrxResult> Results) run) => new(run.Run, run.Results);
    }

    readonly Runs _runs;

    public MSTestScopeTests(PackedPackages packages, Runs runs) => _runs = runs;

    [Theory]
    [InlineData("4.5.2")]  // the newest served
    [InlineData("4.0.2")]  // what `dotnet new mstest` writes
    [InlineData("3.11.1")] // the oldest served with [GlobalTestInitialize]
    public void Every_setup_reaches_its_tests_and_parallel_tests_stay_apart(string version)
    {
        var run = _runs[version];

        TrxResults.AssertAllPassed(run.Results, TestNames, run.Process);
        Assert.True(run.Process.ExitCode == 0, run.Process.ToString());
    }

    [Theory]
    [InlineData("4.5.2")]
    [InlineData("4.0.2")]
    [InlineData("3.11.1")]
    public void A_process_wide_registration_left_active_is_reported_in_that_tests_output(string version)
    {
        var results = _runs[version].Results;

        var report = results["B_leaves_a_process_wide_registration_active"].Output;
        Assert.Contains("Trapweave: a process-wide registration made in 'MSTestTests.IsolationTests.B_leaves_a_process_wide_registration_active' was still active when it ended", report);
        Assert.Contains("Trap.Global.When on Catalog.Tax()", report);
        Assert.All(results.Values.Where(r => r.Name != "B_leaves_a_process_wide_registration_active"), r => Assert.DoesNotContain("made in 'MSTestTests.IsolationTests.B_leaves_a_process_wide_registration_active'", r.Output));
        // A class's own process-wide registrations (made in [ClassInitialize]) end with the class, and are
        // reported where MSTest puts what a class cleanup writes.
        var everything = string.Join("\n", results.Values.Select(r => r.Output)) + _runs[version].Process.Output;
        foreach (var type in new[] { "ClassLevelTests", "AsyncClassInitializeTests", "SyncCleanupTests" })
            Assert.Contains($"a process-wide registration made in 'MSTestTests.{type}' was still active when it ended", everything);
    }

    [Fact]
    public void Class_and_assembly_initializers_open_their_levels_scope_first_and_class_cleanups_end_it()
    {
        _ = _runs["4.5.2"];
        const string dll = WovenTestAssemblyCopy;
        var ws = _runs.Workspace;

        // The kick-off part of an async initializer runs in MSTest's own execution context: the call goes first.
        Assert.Equal("TrapweaveMSTestTestScopes.BeginAssemblyScope", ws.CallsIn(dll, "MSTestTests.AssemblyLevel", "RegisterForTheWholeAssembly")[0]);
        Assert.Equal("TrapweaveMSTestTestScopes.BeginClassScope", ws.CallsIn(dll, "MSTestTests.ClassLevelTests", "RegisterForTheClass")[0]);
        Assert.Equal("TrapweaveMSTestTestScopes.BeginClassScope", ws.CallsIn(dll, "MSTestTests.AsyncClassInitializeTests", "RegisterAsync")[0]);
        // A class without a [ClassCleanup] gets one; a class's own cleanup ends the scope after it returns (an async one once its task completes).
        Assert.Contains(MSTestLifecycleAddedCleanup, ws.MethodsOf(dll, "MSTestTests.ClassLevelTests"));
        Assert.Equal("TrapweaveMSTestTestScopes.EndClassScopeAfter", ws.CallsIn(dll, "MSTestTests.AsyncClassInitializeTests", "CleanUpAsync")[^1]);
        Assert.Equal("TrapweaveMSTestTestScopes.EndClassScope", ws.CallsIn(dll, "MSTestTests.SyncCleanupTests", "CleanUp")[^1]);
        Assert.DoesNotContain(MSTestLifecycleAddedCleanup, ws.MethodsOf(dll, "MSTestTests.SyncCleanupTests"));
    }

    [Fact]
    public void Opting_out_compiles_no_scopes_and_async_setup_is_lost_again()
    {
        var run = _runs["opted-out"];

        // Everything that relies on async setup reaching the test fails without scopes; a test left
        // with the process-wide registration is not reported.
        Assert.Equal(TestNames.Order(StringComparer.Ordinal), run.Results.Keys.Order(StringComparer.Ordinal));
        foreach (var name in new[]
                 {
                     "Sync_test_sees_every_setup", "Async_test_sees_every_setup", "Left", "Right",
                     "Each_row_sees_setup_and_only_its_own_registrations (\"one\")", "Each_row_sees_setup_and_only_its_own_registrations (\"two\")",
                     "An_async_ClassInitialize_registration_reaches_its_class", "D_class_level_registrations_ended_with_their_class",
                 })
            Assert.False(run.Results[name].Passed, $"{name} passed without scopes: {run.Results[name]}");
        // Without a scope, a registration in an async [ClassInitialize] is refused, naming the fix, not lost.
        Assert.Contains("in the async [ClassInitialize] method", run.Results["An_async_ClassInitialize_registration_reaches_its_class"].Message);
        Assert.Contains("<TrapweaveTestScopes>false</TrapweaveTestScopes>", run.Results["An_async_ClassInitialize_registration_reaches_its_class"].Message);
        Assert.DoesNotContain(MSTestLifecycleAddedCleanup, _runs.Workspace.MethodsOf("MSTestTests/bin/Debug/net10.0/MSTestTests.dll", "MSTestTests.ClassLevelTests"));
        Assert.Contains("real:async-init", run.Results["Sync_test_sees_every_setup"].Message);
        Assert.DoesNotContain("Trapweave:", run.Results["B_leaves_a_process_wide_registration_active"].Output);
        Assert.False(_runs.Workspace.HasType("MSTestTests/bin/Debug/net10.0/MSTestTests.dll", GeneratedType), "the opted-out build still has the scopes");
        Assert.NotEqual(0, run.Process.ExitCode);
    }

    [Fact]
    public void An_MSTest_without_GlobalTestInitialize_gets_TRAP031_and_no_scopes()
    {
        var (build, hasScopes) = _runs.TooOld;

        var warning = Assert.Single(build.Diagnostics(), d => d.Code == "TRAP031");
        Assert.Equal("warning", warning.Severity);
        Assert.EndsWith("MSTestTooOld.csproj", warning.File);
        Assert.Contains("MSTest 3.8.3 has no [GlobalTestInitialize]", warning.Message);
        Assert.Contains("<TrapweaveTestScopes>false</TrapweaveTestScopes>", warning.Message);
        Assert.False(hasScopes, "the scopes source was compiled against an MSTest that cannot run it");
    }
}
