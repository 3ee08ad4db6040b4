using Trapweave.Tests.EndToEnd.Support;

namespace Trapweave.Tests.EndToEnd;

/// <summary>
/// Per-test scopes under NUnit, with nothing in the test code but README's set-up: a test project
/// (NUnitScopeTests.Projects.cs) whose tests pass only if every registration made in a fixture's
/// constructor (per fixture, or per test with LifeCycle.InstancePerTestCase), [OneTimeSetUp],
/// [SetUpFixture], sync and async [SetUp] and the test itself reaches that test (or fixture) and no
/// other; run with the newest NUnit served, the versions `dotnet new nunit` writes and NUnit 3.14;
/// then once more with the opt-out, where they must fail.
/// </summary>
[Collection(EndToEndCollection.Name), Trait("Category", "EndToEnd")]
public sealed partial class NUnitScopeTests : IClassFixture<NUnitScopeTests.Runs>
{
    static readonly string[] TestNames =
    {
        "A_registers_in_its_body_and_never_disposes",
        "Another_fixture_sees_the_real_methods_while_that_fixture_runs",
        "Async_test_sees_sync_and_async_setup",
        "Async_test_sees_the_fixtures_registrations",
        "B_leaves_a_process_wide_registration_active",
        "C_sees_the_real_methods_again",
        "Each_case_sees_setup_and_only_its_own_registrations(\"one\")",
        "Each_case_sees_setup_and_only_its_own_registrations(\"two\")",
        "First_sees_only_its_own_constructor",
        "Left",
        "Right",
        "Second_sees_only_its_own_constructor",
        "Sync_test_sees_sync_and_async_setup",
        "Sync_test_sees_the_fixtures_registrations",
    };

    /// <summary>The runs, made once in this order: the opt-out run last, as it compiles the project again without scopes.</summary>
    public sealed class Runs
    {
        readonly Lazy<(ScopeTestWorkspace Workspace, Dictionary<string, Run> Runs)> _runs;

        public Runs(PackedPackages packages) => _runs = new(() =>
        {
            var workspace = new ScopeTestWorkspace(packages, "nunit-scopes");
            workspace.WriteTestProject("NUnitTests", NewestProject, Sources);
            workspace.WriteTestProject("NUnitTemplate", TemplateProject, new Dictionary<string, string>());
            workspace.WriteTestProject("NUnitOldest", OldestProject, new Dictionary<string, string>());
            var runs = new Dictionary<string, Run>
            {
                ["newest"] = Run.Of(workspace.Test("NUnitTests", "newest")),
                ["template"] = Run.Of(workspace.Test("NUnitTemplate", "template")),
                ["oldest"] = Run.Of(workspace.Test("NUnitOldest", "oldest")),
            };
            runs["opted-out"] = Run.Of(workspace.Test("NUnitTests", "opted-out", "TrapweaveTestScopes=false"));
            return (workspace, runs);
        });

        public ScopeTestWorkspace Workspace => _runs.Value.Workspace;
        public Run this[string versions] => _runs.Value.Runs[versions];
    }

    public sealed record Run(ProcessResult Process, IReadOnlyDictionary<string, TrxResult> Results)
    {
        public static Run Of((ProcessResult Run, IReadOnlyDictionary<string, TrxResult> Results) run) => new(run.Run, run.Results);
    }

    readonly Runs _runs;

    public NUnitScopeTests(PackedPackages packages, Runs runs) => _runs = runs;

    [Theory]
    [InlineData("newest")]   // NUnit 5.0.0, NUnit3TestAdapter 6.3.1
    [InlineData("template")] // NUnit 4.3.2, NUnit3TestAdapter 5.0.0
    [InlineData("oldest")]   // NUnit 3.14.0, NUnit3TestAdapter 4.6.0
    public void Every_setup_reaches_its_tests_and_parallel_tests_stay_apart(string versions)
    {
        var run = _runs[versions];

        TrxResults.AssertAllPassed(run.Results, TestNames, run.Process);
        Assert.True(run.Process.ExitCode == 0, run.Process.ToString());
    }

    [Theory]
    [InlineData("newest")]
    [InlineData("template")]
    [InlineData("oldest")]
    public void A_process_wide_registration_left_active_is_reported_in_that_tests_output(string versions)
    {
        var results = _runs[versions].Results;

        var report = results["B_leaves_a_process_wide_registration_active"].Output;
        Assert.Contains("Trapweave: a process-wide registration made in 'NUnitTests.IsolationTests.B_leaves_a_process_wide_registration_active' was still active when it ended", report);
        Assert.Contains("Trap.Global.When on Catalog.Tax()", report);
        Assert.All(results.Values.Where(r => r.Name != "B_leaves_a_process_wide_registration_active"), r => Assert.DoesNotContain("Trapweave:", r.Output));
    }

    [Fact]
    public void Opting_out_compiles_no_scopes_and_async_setup_is_lost_again()
    {
        var run = _runs["opted-out"];

        // Everything that relies on async setup reaching the test fails without scopes (the silent loss
        // scopes exist for). Tests that only see thread-bound leftovers may pass or fail: not asserted.
        Assert.Equal(TestNames.Order(StringComparer.Ordinal), run.Results.Keys.Order(StringComparer.Ordinal));
        foreach (var name in new[]
                 {
                     "Sync_test_sees_sync_and_async_setup", "Async_test_sees_sync_and_async_setup",
                     "Each_case_sees_setup_and_only_its_own_registrations(\"one\")", "Each_case_sees_setup_and_only_its_own_registrations(\"two\")",
                     "Left", "Right", "Sync_test_sees_the_fixtures_registrations", "Async_test_sees_the_fixtures_registrations",
                 })
            Assert.False(run.Results[name].Passed, $"{name} passed without scopes: {run.Results[name]}");
        Assert.Contains("real:async-setup", run.Results["Sync_test_sees_sync_and_async_setup"].Message);
        Assert.DoesNotContain("Trapweave:", run.Results["B_leaves_a_process_wide_registration_active"].Output);
        Assert.False(_runs.Workspace.HasType("NUnitTests/bin/Debug/net10.0/NUnitTests.dll", "Trapweave.Testing.Generated.TrapweaveNUnitTestScopesAttribute"),
            "the opted-out build still has the scopes");
        Assert.NotEqual(0, run.Process.ExitCode);
    }
}
