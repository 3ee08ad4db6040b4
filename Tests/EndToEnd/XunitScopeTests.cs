using System.IO;
using System.Xml.Linq;
using Mono.Cecil;
using Trapweave.Tests.EndToEnd.Support;

namespace Trapweave.Tests.EndToEnd;

/// <summary>
/// Per-test scopes under xunit: one workspace (<see cref="WriteLibrary"/> and the test projects of
/// XunitScopeTests.Projects.cs), one <c>dotnet test</c> of its solution with a TRX logger, whose
/// results every test here reads: registrations from constructors, async setup, class, collection
/// and assembly fixtures reach their tests (xunit v2, xunit.v3 4.x and 3.x alike) and end with their level, parallel tests keep their patches apart, nothing outlives
/// its test, theory rows each get a scope, the leak report lands in the test's output, the opt-out
/// property, TRAP020 for a project with its own test framework, and TRAP032 for an xunit.v3 before 3.2.
/// </summary>
[Collection(EndToEndCollection.Name), Trait("Category", "EndToEnd")]
public sealed partial class XunitScopeTests : IClassFixture<XunitScopeTests.State>
{
    public sealed class State
    {
        Lazy<Run> _run;
        internal Run Get(PackedPackages packages) => (_run ??= new Lazy<Run>(() => Run.Make(packages))).Value;
    }

    internal sealed record TestResult(string Project, string Name, string Outcome, string Output, string Error);

    internal sealed record Run(Workspace Workspace, ProcessResult Test, List<ProcessResult> TestV3, List<TestResult> Results, ProcessResult OwnFramework, ProcessResult V3TooOld,
        List<ProcessResult> ConsoleV3)
    {
        public static Run Make(PackedPackages packages)
        {
            var ws = packages.CreateWorkspace("xunit-scopes");
            WriteLibrary(ws);
            WriteXunitV2Tests(ws);
            WriteXunitV3Tests(ws, "V3", "4.0.2");
            WriteXunitV3Tests(ws, "V3Old", "3.2.2");
            WriteOptOut(ws);
            WriteOwnFramework(ws);
            WriteXunitV3TooOld(ws);
            ws.Write("Scopes.slnx", """
                <Solution>
                  <Project Path="Lib/Lib.csproj" />
                  <Project Path="V2/V2.csproj" />
                  <Project Path="OptOut/OptOut.csproj" />
                </Solution>
                """);

            var test = ws.DotNet("test", "Scopes.slnx", "--logger", "trx", "--results-directory", ws["results"]);
            var results = Directory.Exists(ws["results"])
                ? Directory.GetFiles(ws["results"], "*.trx").SelectMany(ReadTrx).ToList()
                : new List<TestResult>();
            // Each has its own global.json, which puts dotnet test on Microsoft Testing Platform.
            var v3 = new List<ProcessResult>();
            foreach (var project in new[] { "V3", "V3Old" })
            {
                var resultsDirectory = ws[$"results-{project}"];
                v3.Add(ProcessRunner.DotNet(ws[project], Workspace.BuildTimeout, "test", "--report-xunit-trx", "--results-directory", resultsDirectory));
                if (Directory.Exists(resultsDirectory))
                    results.AddRange(Directory.GetFiles(resultsDirectory, "*.trx").SelectMany(ReadTrx));
            }
            // The same builds run by xunit's own console runner, which prints diagnostic messages when asked.
            var console = new[] { "V3", "V3Old" }
                .Select(project => ProcessRunner.DotNet(ws[project], Workspace.BuildTimeout, $"bin/Debug/net10.0/{project}.dll", "-diagnostics", "-noColor"))
                .ToList();
            var own = ws.DotNet("build", "Own");
            var tooOld = ws.DotNet("build", "V3TooOld");
            return new Run(ws, test, v3, results, own, tooOld, console);
        }

        static readonly string[] Projects = { "V2", "V3", "V3Old", "OptOut" };
        static readonly XNamespace Trx = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";

        static IEnumerable<TestResult> ReadTrx(string file)
        {
            var doc = XDocument.Load(file);
            var storage = (string)doc.Descendants(Trx + "UnitTest").First().Attribute("storage");
            // TRX writes the path in lower case.
            var project = Projects.Single(p => string.Equals(p, Path.GetFileNameWithoutExtension(storage), StringComparison.OrdinalIgnoreCase));
            return doc.Descendants(Trx + "UnitTestResult").Select(r => new TestResult(
                project,
                (string)r.Attribute("testName"),
                (string)r.Attribute("outcome"),
                Output(r.Element(Trx + "Output")),
                (string)r.Element(Trx + "Output")?.Element(Trx + "ErrorInfo") ?? "")).ToList();
        }

        // VSTest writes a test's output as StdOut; xunit v3's own TRX report as one TextMessages/Message per line.
        static string Output(XElement output) =>
            (string)output?.Element(Trx + "StdOut")
            ?? string.Join("\n", output?.Element(Trx + "TextMessages")?.Elements(Trx + "Message").Select(m => m.Value) ?? Enumerable.Empty<string>());

        public string Log(string project) => project switch
        {
            "V3" => TestV3[0].ToString(),
            "V3Old" => TestV3[1].ToString(),
            _ => Test.ToString(),
        };

        public TestResult Result(string project, string name)
        {
            var result = Results.SingleOrDefault(r => r.Project == project && r.Name == name);
            Assert.True(result is not null, $"no result for {project}: {name}; results: {string.Join(", ", Results.Select(r => r.Project + ": " + r.Name))}\n{Log(project)}");
            return result;
        }
    }

    /// <summary>The tests of the shared test code (<see cref="WriteSharedTests"/>), in every xunit project.</summary>
    static readonly string[] SharedTests =
    {
        "Scopes.Setup.Constructor_registration_reaches_the_test",
        "Scopes.Setup.Async_setup_registration_reaches_the_test",
        "Scopes.Outsider.Sees_the_real_methods",
        "Scopes.Sequence.A_leaves_its_registrations_undisposed",
        "Scopes.Sequence.B_leaves_its_registrations_undisposed",
        "Scopes.Sequence.Inline_rows_have_scopes_of_their_own(row: 2)",
        "Scopes.Sequence.Inline_rows_have_scopes_of_their_own(row: 3)",
        "Scopes.Sequence.Inline_rows_have_scopes_of_their_own(row: 4)",
        "Scopes.Sequence.Member_rows_have_scopes_of_their_own(row: Row { Value = 5 })",
        "Scopes.Sequence.Member_rows_have_scopes_of_their_own(row: Row { Value = 6 })",
        "Scopes.ParallelLeft.Keeps_its_own_patch",
        "Scopes.ParallelRight.Keeps_its_own_patch",
    };

    /// <summary>The fixture-level tests, in every xunit project (xunit.v3 3.x too).</summary>
    static readonly string[] FixtureTests =
    {
        "Scopes.ClassFixture.Fixture_constructor_registration_reaches_the_test",
        "Scopes.ClassFixture.Fixture_async_registration_reaches_the_test",
        "Scopes.ClassFixture.Fixture_process_wide_registration_is_active_for_the_test",
        "Scopes.InCollectionOne.Collection_registration_reaches_the_test",
        "Scopes.InCollectionTwo.Collection_registration_reaches_the_test",
        "Scopes.AfterFixtures.Fixture_registrations_ended_with_their_level",
    };

    /// <summary>The assembly-fixture test, in the xunit v3 projects (v2 has no assembly fixtures).</summary>
    static readonly string[] AssemblyFixtureTests = { "Scopes.AssemblyWide.Assembly_fixture_registrations_reach_the_test" };

    /// <summary>xunit.v3's execution options (xunit.runner.json) still reach the assertions, in the xunit v3 projects.</summary>
    static readonly string[] OptionsTests = { "Scopes.Options.Configured_assertion_options_apply" };

    static IEnumerable<string> Expected(string project) =>
        SharedTests.Concat(FixtureTests).Concat(project == "V2" ? Enumerable.Empty<string>() : AssemblyFixtureTests.Concat(OptionsTests));

    static readonly string[] XunitProjects = { "V2", "V3", "V3Old" };

    public static TheoryData<string, string> SharedTestNames()
    {
        var data = new TheoryData<string, string>();
        foreach (var project in XunitProjects)
            foreach (var name in Expected(project)) data.Add(project, name);
        return data;
    }

    readonly PackedPackages _packages;
    readonly State _state;

    public XunitScopeTests(PackedPackages packages, State state)
    {
        _packages = packages;
        _state = state;
    }

    Run Current => _state.Get(_packages);

    [Theory, InlineData("V2"), InlineData("V3"), InlineData("V3Old")]
    public void Xunit_ran_exactly_the_expected_tests(string project)
    {
        var run = Current;
        Assert.True(run.Results.Any(r => r.Project == project), $"{project} left no results\n{run.Log(project)}");
        Assert.Equal(Expected(project).OrderBy(n => n, StringComparer.Ordinal),
            run.Results.Where(r => r.Project == project).Select(r => r.Name).OrderBy(n => n, StringComparer.Ordinal));
        Assert.Equal(new[] { "Scopes.OptedOut.Runs_on_xunit_own_framework" }, run.Results.Where(r => r.Project == "OptOut").Select(r => r.Name));
    }

    [Theory, MemberData(nameof(SharedTestNames))]
    public void Xunit_test_passed(string project, string name)
    {
        var result = Current.Result(project, name);
        Assert.True(result.Outcome == "Passed", $"{name}: {result.Outcome}\n{result.Error}\n{result.Output}");
    }

    [Fact]
    public void The_test_assemblies_name_Trapweaves_framework_and_the_opt_out_does_not()
    {
        Assert.Equal("Trapweave.Testing.Generated.TrapweaveXunitTestFramework", TestFramework(Current.Workspace["V2/bin/Debug/net10.0/V2.dll"]));
        Assert.Equal("Trapweave.Testing.Generated.TrapweaveXunitTestFramework", TestFramework(Current.Workspace["V3/bin/Debug/net10.0/V3.dll"]));
        Assert.Equal("Trapweave.Testing.Generated.TrapweaveXunitTestFramework", TestFramework(Current.Workspace["V3Old/bin/Debug/net10.0/V3Old.dll"]));
        Assert.Null(TestFramework(Current.Workspace["OptOut/bin/Debug/net10.0/OptOut.dll"]));
        Assert.False(Current.Workspace.Exists("OptOut/obj/Debug/net10.0/Trapweave.XunitTestFramework.g.cs"));
    }

    /// <summary>The type named by the assembly's [assembly: TestFramework], read without loading it.</summary>
    static string TestFramework(string assemblyPath)
    {
        using var assembly = AssemblyDefinition.ReadAssembly(assemblyPath);
        var attribute = assembly.CustomAttributes.FirstOrDefault(a => a.AttributeType.Name == "TestFrameworkAttribute");
        return attribute?.ConstructorArguments[0].Value switch
        {
            TypeReference type => type.FullName,
            var value => (string)value,
        };
    }

    [Fact]
    public void Opting_out_runs_on_xunits_own_framework_where_async_setup_is_lost()
    {
        var result = Current.Result("OptOut", "Scopes.OptedOut.Runs_on_xunit_own_framework");
        Assert.True(result.Outcome == "Passed", $"{result.Outcome}\n{result.Error}");
    }

    [Theory, InlineData("V2"), InlineData("V3"), InlineData("V3Old")]
    public void A_registration_left_to_outlive_its_test_is_reported_in_that_tests_output(string project)
    {
        var a = Current.Result(project, "Scopes.Sequence.A_leaves_its_registrations_undisposed");
        Assert.Contains("Trapweave: a process-wide registration made in 'Scopes.Sequence.A_leaves_its_registrations_undisposed'", a.Output);
        Assert.Contains("Clock.Now()", a.Output);
        Assert.DoesNotContain("Clock.Later()", a.Output);
        var b = Current.Result(project, "Scopes.Sequence.B_leaves_its_registrations_undisposed");
        Assert.Contains("Trapweave: a process-wide registration made in 'Scopes.Sequence.B_leaves_its_registrations_undisposed'", b.Output);
        Assert.Contains("Clock.Later()", b.Output);
        Assert.DoesNotContain("Clock.Now()", b.Output);
    }

    [Theory, InlineData("V3", 0), InlineData("V3Old", 1)]
    public void A_registration_a_fixture_left_active_ends_with_its_level_and_is_reported_as_a_diagnostic(string project, int index)
    {
        var run = Current.ConsoleV3[index];
        Assert.True(run.ExitCode == 0, $"{project}, xunit's console runner:\n{run}");
        var report = run.Lines.FirstOrDefault(l => l.Contains("Trapweave: a process-wide registration made in 'Test collection for Scopes.ClassFixture"));
        Assert.True(report is not null, $"{project}, xunit's console runner:\n{run}");
        Assert.Contains(run.Lines, l => l.Contains("Trap.Global.When on Clock.Tomorrow()"));
    }

    [Fact]
    public void A_project_with_its_own_test_framework_gets_TRAP020_at_its_attribute()
    {
        var build = Current.OwnFramework;
        Assert.True(build.ExitCode != 0, build.ToString());
        var errors = build.Lines.Where(l => l.Contains("error TRAP020")).Distinct().ToList();
        var inSource = errors.FirstOrDefault(l => l.Contains("Framework.cs(3,12): error TRAP020:"));
        Assert.True(inSource is not null, build.ToString());
        Assert.Contains("[assembly: TestFramework]", inSource);
        Assert.Contains("<TrapweaveTestScopes>false</TrapweaveTestScopes>", inSource);
        var asItem = errors.FirstOrDefault(l => l.Contains("Own.csproj : error TRAP020:"));
        Assert.True(asItem is not null, build.ToString());
        Assert.Contains("<AssemblyAttribute Include=\"Xunit.TestFrameworkAttribute\">", asItem);
        Assert.Contains("Own.ItemFramework", asItem);
        Assert.DoesNotContain(build.Lines, l => l.Contains("error CS"));
    }

    [Fact]
    public void An_xunit_v3_before_3_2_gets_TRAP032_and_no_scopes()
    {
        var build = Current.V3TooOld;
        Assert.True(build.ExitCode == 0, build.ToString());
        var warning = Assert.Single(build.Diagnostics().Where(d => d.Code == "TRAP032").Distinct());
        Assert.Equal("warning", warning.Severity);
        Assert.EndsWith("V3TooOld.csproj", warning.File);
        Assert.Contains("xunit.v3 2.0.3 is older than 3.2", warning.Message);
        Assert.Contains("<TrapweaveTestScopes>false</TrapweaveTestScopes>", warning.Message);
        Assert.Null(TestFramework(Current.Workspace["V3TooOld/bin/Debug/net10.0/V3TooOld.dll"]));
    }
}
