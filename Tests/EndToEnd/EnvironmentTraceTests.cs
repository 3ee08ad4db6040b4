using System.IO;
using System.Text.Json;
using Trapweave.Tests.EndToEnd.Support;
using Trapweave.Tracing;

namespace Trapweave.Tests.EndToEnd;

/// <summary>
/// TRAPWEAVE_TRACE with nothing added to test or app code, consuming this run's packages: one
/// workspace (samples/Shop and Shop.Tests copied in, a library with NUnit, MSTest and xunit.v3 test
/// projects, two console apps) built once, then each test project run with the variable set and
/// each app run with and without it. Every test's trace is a file named after it, holding that
/// test's calls only, as a JSON call tree and as Chrome trace events.
/// </summary>
[Collection(EndToEndCollection.Name), Trait("Category", "EndToEnd")]
public sealed class EnvironmentTraceTests : IClassFixture<EnvironmentTraceTests.State>
{
    public sealed class State
    {
        Lazy<Build> _build;
        internal Build Get(PackedPackages packages) => (_build ??= new Lazy<Build>(() => Build.Make(packages))).Value;
    }

    internal sealed record Build(Workspace Workspace, ProcessResult Built, ProcessResult XunitV3Built)
    {
        public static Build Make(PackedPackages packages)
        {
            var scopes = new ScopeTestWorkspace(packages, "env-trace");
            var ws = scopes.Workspace;
            ws.Write("Lib/Orders.cs", """
                namespace Lib;

                public static class Orders
                {
                    public static int Total(int quantity) => Price(quantity) + Catalog.Tax();
                    static int Price(int quantity) => quantity * 3;
                }
                """);
            ws.CopyProject(Path.Combine(packages.Samples, "Shop"), "Shop");
            ws.CopyProject(Path.Combine(packages.Samples, "Shop.Tests"), "Shop.Tests");
            WriteNUnit(scopes);
            WriteMSTest(scopes);
            WriteXunitV3(scopes);
            WriteApp(ws, "App", """<Trapweave TraceFromEnvironment="true" />""");
            WriteApp(ws, "PlainApp", "<Trapweave />");
            ws.Write("Env.slnx", """
                <Solution>
                  <Project Path="Lib/Lib.csproj" />
                  <Project Path="Shop/Shop.csproj" />
                  <Project Path="Shop.Tests/Shop.Tests.csproj" />
                  <Project Path="NUnitT/NUnitT.csproj" />
                  <Project Path="MSTestT/MSTestT.csproj" />
                  <Project Path="App/App.csproj" />
                  <Project Path="PlainApp/PlainApp.csproj" />
                </Solution>
                """);
            var built = ws.DotNet("build", "Env.slnx");
            Assert.True(built.ExitCode == 0, built.ToString());
            // Its own global.json puts dotnet test on Microsoft Testing Platform: built (and run) from its folder.
            var v3 = ProcessRunner.DotNet(ws["XunitT"], Workspace.BuildTimeout, "build", "-tl:off");
            Assert.True(v3.ExitCode == 0, v3.ToString());
            return new Build(ws, built, v3);
        }
    }

    readonly PackedPackages _packages;
    readonly State _state;

    public EnvironmentTraceTests(PackedPackages packages, State state)
    {
        _packages = packages;
        _state = state;
    }

    /// <summary>TRAPWEAVE_TRACE=<paramref name="directory"/> (relative, as typed in a shell in <paramref name="where"/>, whose PWD it is).</summary>
    static Dictionary<string, string> Traced(string where, string directory) => new() { ["PWD"] = where, ["TRAPWEAVE_TRACE"] = directory };

    /// <summary>Runs <c>dotnet test --no-build</c> on a built project, traced into <c>traces-&lt;project&gt;</c> of the workspace; returns the run and that folder.</summary>
    static (ProcessResult Run, string Traces) TestTraced(Workspace ws, string project, string where = null)
    {
        where ??= ws.Root;
        var traces = "traces-" + project;
        var run = ProcessRunner.Run(ProcessRunner.DotNetExecutable,
            where == ws.Root ? new[] { "test", project, "--no-build", "-tl:off" } : new[] { "test", "--no-build" },
            where, Workspace.BuildTimeout, Traced(where, traces));
        return (run, Path.Combine(where, traces));
    }

    static string ShortName(TraceCall call)
    {
        var method = call.Method[(call.DeclaringType.Length + 1)..];
        return call.DeclaringType[(call.DeclaringType.LastIndexOf('.') + 1)..] + "." + method[..method.IndexOf('(')];
    }

    static string Shape(TraceCall call) =>
        ShortName(call) + (call.Children.Count == 0 ? "" : "[" + string.Join(",", call.Children.Select(Shape)) + "]");

    static string Args(TraceCall call) => string.Join(", ", call.Arguments.Select(a => a.ToString()));

    /// <summary>The traces in <paramref name="directory"/> by file name (without extension); each one's Chrome file is checked to be complete trace events.</summary>
    static Dictionary<string, CallTrace> ReadTraces(string directory, ProcessResult run)
    {
        Assert.True(Directory.Exists(directory), "no trace directory " + directory + ": " + run);
        var traces = new Dictionary<string, CallTrace>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(directory, "*.trace.json"))
        {
            var name = Path.GetFileName(file)[..^".trace.json".Length];
            var trace = TraceJson.ReadFile(file);
            traces[name] = trace;
            var chrome = Path.Combine(directory, name + ".chrome.json");
            Assert.True(File.Exists(chrome), "no Chrome trace beside " + file);
            using var events = JsonDocument.Parse(File.ReadAllText(chrome));
            var complete = events.RootElement.GetProperty("traceEvents").EnumerateArray().Count(e => e.GetProperty("ph").GetString() == "X");
            Assert.Equal(trace.CallCount, complete);
            // The viewer: one self-contained page with this trace inside.
            var html = Path.Combine(directory, name + ".html");
            Assert.True(File.Exists(html), "no HTML viewer beside " + file);
            Assert.Contains("<!DOCTYPE html>", File.ReadAllText(html), StringComparison.OrdinalIgnoreCase);
        }
        Assert.Equal(traces.Count * 3, Directory.GetFiles(directory).Length);
        return traces;
    }

    /// <summary>Lib's tests: each trace is Orders.Total(quantity) and its callees, with the test's own quantity.</summary>
    static void AssertOrderTraces(Dictionary<string, CallTrace> traces, IReadOnlyDictionary<string, string> expected, ProcessResult run)
    {
        Assert.True(new SortedSet<string>(expected.Keys, StringComparer.Ordinal).SetEquals(traces.Keys),
            $"traces: {string.Join(", ", traces.Keys.Order(StringComparer.Ordinal))}; expected: {string.Join(", ", expected.Keys.Order(StringComparer.Ordinal))}{Environment.NewLine}{run}");
        foreach (var (file, testName) in expected)
        {
            var trace = traces[file];
            if (testName is not null) Assert.Equal(testName, trace.Name);
            var root = Assert.Single(trace.Roots);
            Assert.Equal("Orders.Total[Orders.Price,Catalog.Tax]", Shape(root));
        }
    }

    static string Quantity(CallTrace trace) => Args(trace.Roots[0]);

    [Fact]
    public void Dotnet_test_on_the_sample_writes_one_trace_per_test_holding_that_test_s_calls()
    {
        var ws = _state.Get(_packages).Workspace;
        var (run, directory) = TestTraced(ws, "Shop.Tests");
        Assert.True(run.ExitCode == 0, run.ToString());
        var traces = ReadTraces(directory, run);

        // One per test, named after it (xunit's display name: Class.Method).
        var expected = new[]
        {
            "Shop.Tests.AsyncSetupTests.The_clock_frozen_in_InitializeAsync_is_seen_by_the_test",
            "Shop.Tests.AsyncSetupTests.So_is_a_price_patched_in_the_test_until_the_test_ends",
            "Shop.Tests.MorningTests.The_shop_is_open_and_dates_orders_by_the_faked_clock",
            "Shop.Tests.EveningTests.The_shop_is_closed_at_the_faked_hour",
            "Shop.Tests.EveningTests.Without_an_arrangement_the_clock_is_real",
            "Shop.Tests.OrderServiceTests.A_sealed_service_sees_a_frozen_clock",
            "Shop.Tests.OrderServiceTests.One_instance_can_be_arranged_alone",
            "Shop.Tests.OrderServiceTests.Calls_to_statics_can_be_recorded",
        };
        foreach (var name in expected) Assert.True(traces.ContainsKey(name), $"no trace for {name}; traces: {string.Join(", ", traces.Keys)}");
        foreach (var (name, trace) in traces) Assert.Equal(name, trace.Name);

        // Each holds its own test's calls: the orders placed there, nobody else's.
        string Placed(string test) => string.Join(" ", traces[test].AllCalls().Where(c => ShortName(c) == "OrderService.Place").Select(Args).Order());
        Assert.Equal("sku = \"B\", quantity = 1", Placed("Shop.Tests.EveningTests.The_shop_is_closed_at_the_faked_hour"));
        Assert.Equal("sku = \"A\", quantity = 12", Placed("Shop.Tests.OrderServiceTests.Calls_to_statics_can_be_recorded"));
        Assert.Equal("sku = \"A\", quantity = 2", Placed("Shop.Tests.OrderServiceTests.A_sealed_service_sees_a_frozen_clock"));
        Assert.Equal("", Placed("Shop.Tests.EveningTests.Without_an_arrangement_the_clock_is_real"));
        Assert.Equal(new[] { "SystemClock.Now" }, traces["Shop.Tests.EveningTests.Without_an_arrangement_the_clock_is_real"].AllCalls().Select(ShortName));
        var place = traces["Shop.Tests.EveningTests.The_shop_is_closed_at_the_faked_hour"].AllCalls().First(c => ShortName(c) == "OrderService.Place");
        Assert.Equal("\"Bx1@20310607=10.00\"", place.Result);
        Assert.Contains("Pricing.Total", place.Children.Select(ShortName));
    }

    [Fact]
    public void NUnit_tests_and_test_cases_each_write_their_trace_also_when_they_fail()
    {
        var ws = _state.Get(_packages).Workspace;
        var (run, directory) = TestTraced(ws, "NUnitT");
        Assert.True(run.ExitCode != 0 && run.Output.Contains("on purpose"), "one test fails on purpose: " + run);
        var traces = ReadTraces(directory, run);
        AssertOrderTraces(traces, new Dictionary<string, string>
        {
            ["NUnitT.OrderTests.Totals_two"] = "NUnitT.OrderTests.Totals_two",
            ["NUnitT.OrderTests.Totals(1)"] = "NUnitT.OrderTests.Totals(1)",
            ["NUnitT.OrderTests.Totals(4)"] = "NUnitT.OrderTests.Totals(4)",
            ["NUnitT.OrderTests.Fails"] = "NUnitT.OrderTests.Fails",
        }, run);
        Assert.Equal("quantity = 1", Quantity(traces["NUnitT.OrderTests.Totals(1)"]));
        Assert.Equal("quantity = 4", Quantity(traces["NUnitT.OrderTests.Totals(4)"]));
        Assert.Equal("quantity = 7", Quantity(traces["NUnitT.OrderTests.Fails"]));
    }

    [Fact]
    public void A_trace_that_cannot_be_written_fails_no_test_and_is_reported_once_in_a_test_s_output()
    {
        var ws = _state.Get(_packages).Workspace;
        ws.Write("not-a-directory", "a file where the trace directory should be");
        var results = ws["results-unwritable"];
        var run = ProcessRunner.Run(ProcessRunner.DotNetExecutable,
            new[] { "test", "NUnitT", "--no-build", "-tl:off", "--logger", "trx;LogFileName=unwritable.trx", "--results-directory", results },
            ws.Root, Workspace.BuildTimeout, Traced(ws.Root, "not-a-directory"));
        var outcomes = TrxResults.Read(Path.Combine(results, "unwritable.trx"), run);
        // The outcomes are the tests' own: only the one failing on purpose fails.
        Assert.Equal(new[] { "Fails: Failed", "Totals(1): Passed", "Totals(4): Passed", "Totals_two: Passed" },
            outcomes.Values.Select(r => r.Name + ": " + r.Outcome).Order(StringComparer.Ordinal));
        var reported = outcomes.Values.Where(r => r.Output.Contains("Trapweave: the trace of test")).ToList();
        var report = Assert.Single(reported).Output;
        Assert.Contains("(TRAPWEAVE_TRACE) was not written: could not create the trace directory '" + ws["not-a-directory"] + "'", report);
        Assert.Contains("Later failures are not reported again.", report);
    }

    [Fact]
    public void MSTest_tests_and_data_rows_each_write_their_trace_repeated_names_numbered()
    {
        var ws = _state.Get(_packages).Workspace;
        var (run, directory) = TestTraced(ws, "MSTestT");
        Assert.True(run.ExitCode != 0 && run.Output.Contains("on purpose"), "one test fails on purpose: " + run);
        var traces = ReadTraces(directory, run);
        // MSTest names both rows after the method: the second to end gets ~2.
        AssertOrderTraces(traces, new Dictionary<string, string>
        {
            ["MSTestT.OrderTests.Totals_two"] = "MSTestT.OrderTests.Totals_two",
            ["MSTestT.OrderTests.Totals"] = "MSTestT.OrderTests.Totals",
            ["MSTestT.OrderTests.Totals~2"] = "MSTestT.OrderTests.Totals",
            ["MSTestT.OrderTests.Fails"] = "MSTestT.OrderTests.Fails",
        }, run);
        Assert.Equal(new[] { "quantity = 1", "quantity = 4" }, new[] { Quantity(traces["MSTestT.OrderTests.Totals"]), Quantity(traces["MSTestT.OrderTests.Totals~2"]) }.Order());
        Assert.Equal("quantity = 7", Quantity(traces["MSTestT.OrderTests.Fails"]));
    }

    [Fact]
    public void Xunit_v3_facts_and_theory_rows_each_write_their_trace_also_when_they_fail()
    {
        var ws = _state.Get(_packages).Workspace;
        var (run, directory) = TestTraced(ws, "XunitT", where: ws["XunitT"]);
        Assert.True(run.ExitCode != 0 && run.Output.Contains("on purpose"), "one test fails on purpose: " + run);
        var traces = ReadTraces(directory, run);
        AssertOrderTraces(traces, new Dictionary<string, string>
        {
            ["XunitT.OrderTests.Totals_two"] = "XunitT.OrderTests.Totals_two",
            ["XunitT.OrderTests.Totals(quantity_1)"] = "XunitT.OrderTests.Totals(quantity: 1)",
            ["XunitT.OrderTests.Totals(quantity_4)"] = "XunitT.OrderTests.Totals(quantity: 4)",
            ["XunitT.OrderTests.Fails"] = "XunitT.OrderTests.Fails",
        }, run);
        Assert.Equal("quantity = 4", Quantity(traces["XunitT.OrderTests.Totals(quantity_4)"]));
        Assert.Equal("quantity = 7", Quantity(traces["XunitT.OrderTests.Fails"]));
    }

    [Fact]
    public void An_app_built_with_the_opt_in_traces_itself_and_says_so_and_without_it_says_why_not()
    {
        var ws = _state.Get(_packages).Workspace;
        var app = ws["App"];
        var traced = ProcessRunner.Run(ProcessRunner.DotNetExecutable, new[] { "bin/Debug/net10.0/App.dll" }, app, Workspace.BuildTimeout, Traced(app, "traces"));
        Assert.True(traced.ExitCode == 0, traced.ToString());
        Assert.Contains("hello ANN", traced.Output);
        var notice = Assert.Single(traced.Lines, l => l.StartsWith("Trapweave: tracing this process into ", StringComparison.Ordinal));
        Assert.Contains(Path.Combine(app, "traces") + " (TRAPWEAVE_TRACE)", notice);
        var trace = Assert.Single(ReadTraces(Path.Combine(app, "traces"), traced));
        Assert.Matches(@"^App\.\d+\.1$", trace.Key);
        Assert.Equal("Program.Main[Greeter.Greet[Greeter.Upper]]", Shape(Assert.Single(trace.Value.Roots)));
        Assert.Equal("name = \"ann\"", Args(trace.Value.Roots[0].Children[0]));

        // Without the variable: not a word, no files.
        var quiet = ProcessRunner.Run(ProcessRunner.DotNetExecutable, new[] { "bin/Debug/net10.0/App.dll" }, app, Workspace.BuildTimeout);
        Assert.True(quiet.ExitCode == 0 && !quiet.Output.Contains("Trapweave"), quiet.ToString());

        // Built without the opt-in: the variable is ignored, and it says why.
        var plain = ws["PlainApp"];
        var ignored = ProcessRunner.Run(ProcessRunner.DotNetExecutable, new[] { "bin/Debug/net10.0/PlainApp.dll" }, plain, Workspace.BuildTimeout, Traced(plain, "traces"));
        Assert.True(ignored.ExitCode == 0, ignored.ToString());
        Assert.Contains("hello ANN", ignored.Output);
        Assert.Single(ignored.Lines, l => l.StartsWith("Trapweave: TRAPWEAVE_TRACE is set, but this process is not traced: PlainApp was built without TraceFromEnvironment=\"true\"", StringComparison.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(plain, "traces")), ignored.ToString());
    }

    const string OrderTestsBody = """
        public void Totals_two() => Check(2, 6);
        {0}
        public void Totals(int quantity) => Check(quantity, quantity * 3);
        {1}
        public void Fails()
        {
            Lib.Orders.Total(7);
            throw new System.InvalidOperationException("failing on purpose");
        }
        static void Check(int quantity, int expected)
        {
            if (Lib.Orders.Total(quantity) != expected) throw new System.Exception("wrong total");
        }
        """;

    static void WriteNUnit(ScopeTestWorkspace scopes) => scopes.WriteTestProject("NUnitT", """
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <IsPackable>false</IsPackable>
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="Microsoft.NET.Test.Sdk" Version="18.11.0" />
            <PackageReference Include="NUnit" Version="5.0.0" />
            <PackageReference Include="NUnit3TestAdapter" Version="6.3.1" />
            <PackageReference Include="Trapweave.Fody" Version="$(TrapweaveVersion)" PrivateAssets="all" />
            <PackageReference Include="Trapweave" Version="$(TrapweaveVersion)" />
            <ProjectReference Include="../Lib/Lib.csproj" />
          </ItemGroup>
        </Project>
        """, new Dictionary<string, string>
    {
        ["OrderTests.cs"] = "namespace NUnitT;\n\n[NUnit.Framework.TestFixture]\npublic class OrderTests\n{\n    [NUnit.Framework.Test]\n" +
            OrderTestsBody.Replace("{0}", "[NUnit.Framework.TestCase(1), NUnit.Framework.TestCase(4)]").Replace("{1}", "[NUnit.Framework.Test]") + "\n}\n",
    });

    static void WriteMSTest(ScopeTestWorkspace scopes) => scopes.WriteTestProject("MSTestT", """
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <IsPackable>false</IsPackable>
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="MSTest" Version="4.0.2" />
            <PackageReference Include="Trapweave.Fody" Version="$(TrapweaveVersion)" PrivateAssets="all" />
            <PackageReference Include="Trapweave" Version="$(TrapweaveVersion)" />
            <ProjectReference Include="../Lib/Lib.csproj" />
          </ItemGroup>
        </Project>
        """, new Dictionary<string, string>
    {
        ["OrderTests.cs"] = "using Microsoft.VisualStudio.TestTools.UnitTesting;\n\n[assembly: Parallelize(Scope = ExecutionScope.MethodLevel)]\n\nnamespace MSTestT;\n\n[TestClass]\npublic class OrderTests\n{\n    [TestMethod]\n" +
            OrderTestsBody.Replace("{0}", "[TestMethod, DataRow(1), DataRow(4)]").Replace("{1}", "[TestMethod]") + "\n}\n",
    });

    static void WriteXunitV3(ScopeTestWorkspace scopes)
    {
        scopes.WriteTestProject("XunitT", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <OutputType>Exe</OutputType>
                <IsPackable>false</IsPackable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="xunit.v3" Version="4.0.2" />
                <PackageReference Include="Trapweave.Fody" Version="$(TrapweaveVersion)" PrivateAssets="all" />
                <PackageReference Include="Trapweave" Version="$(TrapweaveVersion)" />
                <ProjectReference Include="../Lib/Lib.csproj" />
              </ItemGroup>
            </Project>
            """, new Dictionary<string, string>
        {
            ["OrderTests.cs"] = "namespace XunitT;\n\npublic class OrderTests\n{\n    [Xunit.Fact]\n" +
                OrderTestsBody.Replace("{0}", "[Xunit.Theory, Xunit.InlineData(1), Xunit.InlineData(4)]").Replace("{1}", "[Xunit.Fact]") + "\n}\n",
            ["global.json"] = """{ "test": { "runner": "Microsoft.Testing.Platform" } }""",
        });
    }

    static void WriteApp(Workspace ws, string name, string weaver)
    {
        ws.Write($"{name}/{name}.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Trapweave.Fody" Version="$(TrapweaveVersion)" PrivateAssets="all" />
                <PackageReference Include="Trapweave" Version="$(TrapweaveVersion)" />
              </ItemGroup>
            </Project>
            """);
        ws.Write($"{name}/FodyWeavers.xml", Workspace.FodyWeavers(weaver));
        ws.Write($"{name}/Program.cs", $$"""
            namespace {{name}};

            public static class Program
            {
                public static int Main()
                {
                    System.Console.WriteLine(Greeter.Greet("ann"));
                    return 0;
                }
            }

            public static class Greeter
            {
                public static string Greet(string name) => "hello " + Upper(name);
                static string Upper(string text) => text.ToUpperInvariant();
            }
            """);
    }
}
