using System.Collections.Concurrent;
using Trapweave.Tests.EndToEnd.Support;

namespace Trapweave.Tests.EndToEnd;

/// <summary>
/// Weaving does not change coverage: a library with real branches, tested by a test project that
/// weaves it (<c>&lt;Trapweave References="Lib" Self="false" /&gt;</c>), is measured by coverlet (the
/// collector and coverlet.msbuild) and by Microsoft.CodeCoverage, once woven and once with
/// <c>-p:DisableTrapweave=true</c>, with the same tests, in Debug and in Release. Every count, rate and
/// complexity of the library's package, classes and methods in the Cobertura reports must be equal.
/// One build per configuration and mode serves all three tools (<c>dotnet test --no-build</c>).
/// </summary>
[Collection(EndToEndCollection.Name), Trait("Category", "EndToEnd")]
public sealed class CoverageTests : IClassFixture<CoverageTests.State>
{
    const string Package = "Lib";

    static readonly string[] CollectorNames = { "coverlet.collector", "coverlet.msbuild", "Microsoft.CodeCoverage" };
    static readonly string[] Configurations = { "Debug", "Release" };

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var configuration in Configurations)
        foreach (var collector in CollectorNames)
            data.Add(configuration, collector);
        return data;
    }

    public static TheoryData<string> ConfigurationData => new(Configurations);

    static string LibraryCopy(string configuration) => $"Lib.Tests/bin/{configuration}/net10.0/Lib.dll";

    public sealed class State
    {
        Lazy<CoverageRuns> _runs;
        internal CoverageRuns Get(PackedPackages packages) => (_runs ??= new Lazy<CoverageRuns>(() => CoverageRuns.Run(packages))).Value;
    }

    internal sealed record CoverageRun(ProcessResult Test, CoberturaReport Report);

    /// <summary>Runs and the library copy each build put in the test output, by "configuration/mode[/collector]".</summary>
    internal sealed record CoverageRuns(IReadOnlyDictionary<string, WovenAssembly> Libraries, IReadOnlyDictionary<string, CoverageRun> Runs)
    {
        public CoverageRun Of(string configuration, string mode, string collector) => Runs[$"{configuration}/{mode}/{collector}"];

        public WovenAssembly Library(string configuration, string mode) => Libraries[$"{configuration}/{mode}"];

        public static CoverageRuns Run(PackedPackages packages)
        {
            var ws = packages.CreateWorkspace("coverage");
            WriteProjects(ws);
            var runs = new ConcurrentDictionary<string, CoverageRun>();
            var libraries = new ConcurrentDictionary<string, WovenAssembly>();
            var restore = ws.DotNet("restore", "Lib.Tests");
            Assert.True(restore.ExitCode == 0, restore.ToString());

            foreach (var configuration in Configurations)
            foreach (var mode in new[] { "woven", "plain" })
            {
                var build = ws.DotNet(new[] { "build", "Lib.Tests", "--no-restore", "-c", configuration }
                    .Concat(mode == "plain" ? new[] { "-p:DisableTrapweave=true" } : Array.Empty<string>()).ToArray());
                Assert.True(build.ExitCode == 0, build.ToString());
                libraries[$"{configuration}/{mode}"] = WovenAssembly.Read(ws[LibraryCopy(configuration)]);
                RunCollectors(ws, configuration, mode, runs);
            }
            return new CoverageRuns(libraries, runs);
        }

        static void RunCollectors(Workspace ws, string configuration, string mode, ConcurrentDictionary<string, CoverageRun> runs)
        {
            foreach (var collector in CollectorNames)
            {
                var results = ws[$"results/{configuration}/{mode}/{collector}"];
                var arguments = collector switch
                {
                    "coverlet.collector" => new[] { "--collect", "XPlat Code Coverage", "--results-directory", results },
                    "Microsoft.CodeCoverage" => new[] { "--collect", "Code Coverage;Format=cobertura", "--results-directory", results },
                    _ => new[] { "-p:CollectCoverage=true", "-p:CoverletOutputFormat=cobertura", $"-p:CoverletOutput={results}/" },
                };
                var test = ws.DotNet(new[] { "test", "Lib.Tests", "--no-build", "-c", configuration }.Concat(arguments).ToArray());
                Assert.True(test.ExitCode == 0, test.ToString());
                runs[$"{configuration}/{mode}/{collector}"] = new CoverageRun(test, CoberturaReport.FindIn(results));
            }
        }
    }

    readonly PackedPackages _packages;
    readonly State _state;

    public CoverageTests(PackedPackages packages, State state)
    {
        _packages = packages;
        _state = state;
    }

    [Theory]
    [MemberData(nameof(ConfigurationData))]
    public void The_woven_run_measures_the_woven_library_and_the_plain_run_the_original(string configuration)
    {
        var runs = _state.Get(_packages);
        var woven = runs.Library(configuration, "woven");

        Assert.True(woven.HasTrapTable, $"{LibraryCopy(configuration)} was not woven");
        Assert.Superset(new SortedSet<string> { "Lib.Calc::Sign", "Lib.Calc::Name", "Lib.Calc::Both", "Lib.Calc::SumOdd", "Lib.Calc::Parse", "Lib.Calc::TwiceAsync", "Lib.Calc::Max", "Lib.Calc::Evens", "Lib.Calc::Clamp", "Lib.Counter::Next", "Lib.Counter::.ctor", "Lib.Point::Quadrant" },
            new SortedSet<string>(woven.Trapped));
        Assert.False(runs.Library(configuration, "plain").HasTrapTable, $"{LibraryCopy(configuration)} is still woven after -p:DisableTrapweave=true");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Weaving_changes_no_count_or_rate_of_the_library(string configuration, string collector)
    {
        var runs = _state.Get(_packages);
        var woven = runs.Of(configuration, "woven", collector);
        var plain = runs.Of(configuration, "plain", collector);

        // The same tests ran both times.
        Assert.Equal(TestSummary(plain.Test), TestSummary(woven.Test));

        // The comparison means something: the library has branches, some taken and some not.
        Assert.True(plain.Report.Packages.TryGetValue(Package, out var plainPackage), $"no package {Package} in {plain.Report.Path}");
        Assert.True(plainPackage.BranchesValid >= 20 && plainPackage.BranchesCovered > 0 && plainPackage.BranchesCovered < plainPackage.BranchesValid,
            $"{collector} ({configuration}), unwoven: {plainPackage}");
        Assert.True(plainPackage.LinesCovered > 0 && plainPackage.LinesCovered < plainPackage.LinesValid, $"{collector} ({configuration}), unwoven: {plainPackage}");

        Assert.True(woven.Report.Packages.TryGetValue(Package, out var wovenPackage), $"no package {Package} in {woven.Report.Path}");
        Assert.Equal(plainPackage, wovenPackage);
        Assert.Equal(Of(plain.Report.Classes), Of(woven.Report.Classes));
        Assert.Equal(Of(plain.Report.Methods), Of(woven.Report.Methods));
        Assert.Contains(Of(plain.Report.Methods), m => m.Contains("Sign"));
    }

    /// <summary>The entries of the library's package, as "key: counts" lines (an assertion failure shows which differ).</summary>
    static string[] Of(IReadOnlyDictionary<string, CoverageCounts> entries) =>
        entries.Where(e => e.Key.StartsWith(Package + "|", StringComparison.Ordinal)).Select(e => $"{e.Key}: {e.Value}").ToArray();

    static string TestSummary(ProcessResult test)
    {
        var summary = System.Text.RegularExpressions.Regex.Match(test.Output, @"Failed:\s+(\d+), Passed:\s+(\d+), Skipped:\s+(\d+)");
        Assert.True(summary.Success, test.ToString());
        return summary.Value;
    }

    static void WriteProjects(Workspace ws)
    {
        ws.WriteLibraryProject("Lib");
        ws.Write("Lib/Calc.cs", """
            namespace Lib;

            public static class Calc
            {
                public static string Sign(int x)
                {
                    if (x > 0)
                        return "positive";
                    else if (x < 0)
                        return "negative";
                    return "zero";
                }

                public static string Name(int day)
                {
                    switch (day)
                    {
                        case 0: return "Sun";
                        case 1: return "Mon";
                        case 2: return "Tue";
                        case 3: return "Wed";
                        default: return "?";
                    }
                }

                public static bool Both(int a, int b)
                {
                    if (a > 0 && b > 0)
                        return true;
                    return false;
                }

                public static int SumOdd(int[] values)
                {
                    var sum = 0;
                    foreach (var v in values)
                    {
                        if (v % 2 == 1)
                            sum += v;
                    }
                    var i = 0;
                    while (i < values.Length && sum > 100)
                        i++;
                    return sum - i;
                }

                public static int Parse(string text)
                {
                    try
                    {
                        return int.Parse(text);
                    }
                    catch (FormatException)
                    {
                        return -1;
                    }
                }

                public static async Task<int> TwiceAsync(int x)
                {
                    await Task.Yield();
                    if (x > 10)
                        return x;
                    return x * 2;
                }

                public static T Max<T>(T a, T b) where T : IComparable<T> =>
                    a.CompareTo(b) >= 0 ? a : b;

                public static int CountLong(IEnumerable<string> words) =>
                    words.Count(w => w.Length > 3 && w[0] != 'x');

                public static IEnumerable<int> Evens(int max)
                {
                    for (var i = 0; i <= max; i += 2)
                        yield return i;
                }

                public static int Clamp(ref int value, int max)
                {
                    if (value > max)
                        value = max;
                    return value;
                }
            }

            public readonly struct Point
            {
                public Point(int x, int y) { X = x; Y = y; }
                public int X { get; }
                public int Y { get; }
                public int Quadrant() => X >= 0 ? (Y >= 0 ? 1 : 4) : (Y >= 0 ? 2 : 3);
            }

            public sealed class Counter
            {
                int _count;

                public Counter(int start)
                {
                    if (start < 0)
                        throw new ArgumentOutOfRangeException(nameof(start));
                    _count = start;
                }

                public int Next() => ++_count;

                public bool IsEven => _count % 2 == 0 ? true : false;
            }
            """);
        ws.Write("Lib.Tests/Lib.Tests.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <IsPackable>false</IsPackable>
              </PropertyGroup>
              <!-- The unwoven build's tests know they cannot patch. -->
              <PropertyGroup Condition="'$(DisableTrapweave)' == 'true'">
                <DefineConstants>$(DefineConstants);UNWOVEN</DefineConstants>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Trapweave.Fody" Version="$(TrapweaveVersion)" PrivateAssets="all" />
                <PackageReference Include="Trapweave" Version="$(TrapweaveVersion)" />
                <PackageReference Include="Microsoft.NET.Test.Sdk" Version="18.0.1" />
                <PackageReference Include="xunit" Version="2.9.3" />
                <PackageReference Include="xunit.runner.visualstudio" Version="3.1.5" PrivateAssets="all" />
                <!-- The collector as dotnet new xunit adds it; coverlet.msbuild at its newest. -->
                <PackageReference Include="coverlet.collector" Version="6.0.4" PrivateAssets="all" />
                <PackageReference Include="coverlet.msbuild" Version="10.0.1" PrivateAssets="all" />
              </ItemGroup>
              <ItemGroup>
                <ProjectReference Include="../Lib/Lib.csproj" />
              </ItemGroup>
              <ItemGroup>
                <Using Include="Xunit" />
              </ItemGroup>
            </Project>
            """);
        ws.Write("Lib.Tests/FodyWeavers.xml", Workspace.FodyWeavers("""<Trapweave References="Lib" Self="false" />"""));
        // Tests that take some branches and leave others. They pass unwoven too: there the one that
        // patches only checks that nothing is trapped, and both builds make the same unpatched calls.
        ws.Write("Lib.Tests/CalcTests.cs", """
            using Lib;
            using Trapweave;

            public class CalcTests
            {
                [Fact] public void Sign() { Assert.Equal("positive", Calc.Sign(3)); Assert.Equal("zero", Calc.Sign(0)); }
                [Fact] public void Name() { Assert.Equal("Mon", Calc.Name(1)); Assert.Equal("?", Calc.Name(9)); }
                [Fact] public void Both() => Assert.False(Calc.Both(-1, 2));
                [Fact] public void SumOdd() => Assert.Equal(4, Calc.SumOdd(new[] { 1, 2, 3 }));
                [Fact] public void Parse() => Assert.Equal(-1, Calc.Parse("five"));
                [Fact] public async Task Twice() => Assert.Equal(4, await Calc.TwiceAsync(2));
                [Fact] public void Max() => Assert.Equal("b", Calc.Max("a", "b"));
                [Fact] public void CountLong() => Assert.Equal(1, Calc.CountLong(new[] { "tree", "xerox", "a" }));
                [Fact] public void Counter() { var c = new Counter(1); Assert.Equal(2, c.Next()); Assert.True(c.IsEven); }
                [Fact] public void Evens() => Assert.Equal(new[] { 0, 2, 4 }, Calc.Evens(5));
                [Fact] public void Clamp() { var v = 3; Assert.Equal(3, Calc.Clamp(ref v, 10)); }
                [Fact] public void Quadrant() => Assert.Equal(4, new Point(1, -1).Quadrant());

                [Fact]
                public void Patched_while_measured()
                {
                    Assert.Equal("positive", Calc.Sign(5));
            #if UNWOVEN
                    Assert.False(Trap.IsTrapped(typeof(Calc).GetMethod(nameof(Calc.Sign))!));
            #else
                    using (Trap.Patch<Func<int, string>>(Calc.Sign, _ => "patched"))
                        Assert.Equal("patched", Calc.Sign(5));
                    Assert.Equal("positive", Calc.Sign(5));
            #endif
                }
            }
            """);
    }
}
