using System.IO;
using Trapweave.Tests.EndToEnd.Support;

namespace Trapweave.Tests.EndToEnd;

/// <summary>
/// Redirected framework members on both build routes, consuming this run's packages. A plain library
/// (MyApp) reads <c>DateTime.Now</c> and calls a static of another project (Vendor); test projects
/// weave its copy with <c>References="MyApp" Self="false"</c>, with the default set alone and with
/// <c>Redirect="Vendor.Rates::*"</c>; parallel xunit tests each arrange <c>DateTime.Now</c> (or the
/// Vendor static) their own way and MyApp sees each its own. A library weaving its own assembly by
/// the MSBuild task alone (<c>DisableFody</c>) has its clock faked per flow by a console app.
/// </summary>
[Collection(EndToEndCollection.Name), Trait("Category", "EndToEnd")]
public sealed class RedirectRouteTests : IClassFixture<RedirectRouteTests.State>
{
    public sealed class State
    {
        Lazy<Workspace> _workspace;
        internal Workspace Get(PackedPackages packages) => (_workspace ??= new Lazy<Workspace>(() => Write(packages.CreateWorkspace("redirect-route")))).Value;
    }

    readonly PackedPackages _packages;
    readonly State _state;

    public RedirectRouteTests(PackedPackages packages, State state)
    {
        _packages = packages;
        _state = state;
    }

    Workspace Ws => _state.Get(_packages);

    [Fact]
    public void Parallel_tests_each_see_their_own_DateTime_Now_in_the_code_under_test()
    {
        var (run, results) = Test("MyApp.Tests");

        TrxResults.AssertAllPassed(results, new[]
        {
            "MyApp.Tests.MorningTests.Sees_its_own_time",
            "MyApp.Tests.EveningTests.Sees_its_own_time",
            "MyApp.Tests.RealClockTests.Sees_the_real_time",
            "MyApp.Tests.NotRedirectedTests.Another_projects_static_is_not_redirected_by_default_and_is_patched_natively",
        }, run);
        Assert.Contains("Trapweave: MyApp.dll -> ", run.Output);
        // The production MyApp.dll is not woven: only the test output's copy is.
        Assert.False(WovenAssembly.Read(Ws["MyApp/bin/Debug/net10.0/MyApp.dll"]).HasTrapTable, "the production MyApp.dll was woven");
        Assert.True(WovenAssembly.Read(Ws["MyApp.Tests/bin/Debug/net10.0/MyApp.dll"]).HasTrapTable, "the test output's MyApp.dll is not woven");
    }

    [Fact]
    public void Redirect_adds_another_projects_static_to_the_default_set()
    {
        var (run, results) = Test("MyApp.RedirectTests");

        TrxResults.AssertAllPassed(results, new[]
        {
            "MyApp.RedirectTests.HighRateTests.Sees_its_own_rate_and_time",
            "MyApp.RedirectTests.LowRateTests.Sees_its_own_rate",
        }, run);
        // Vendor itself is never woven: its calls are redirected in MyApp.
        Assert.False(WovenAssembly.Read(Ws["MyApp.RedirectTests/bin/Debug/net10.0/Vendor.dll"]).HasTrapTable, "Vendor.dll was woven");
    }

    [Fact]
    public void A_library_woven_by_the_task_alone_has_its_clock_faked_per_flow()
    {
        var build = Ws.DotNet("build", "App", "-v:n");
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Contains("Trapweave: wove Clocked.dll", build.Output);
        Assert.False(WovenAssembly.Read(Ws["Clocked/bin/Debug/net10.0/Clocked.dll"]).ProcessedByFody, "Fody processed Clocked.dll although DisableFody=true");

        var run = ProcessRunner.DotNet(Ws.Root, TimeSpan.FromMinutes(1), Ws["App/bin/Debug/net10.0/App.dll"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(new[] { "a=2040-01-01", "b=2041-02-02", "real=ok" }, run.Lines.Where(l => l.Length > 0));
    }

    (ProcessResult Run, IReadOnlyDictionary<string, TrxResult> Results) Test(string project)
    {
        var results = Ws["results"];
        var run = Ws.DotNet("test", project, "--logger", $"trx;LogFileName={project}.trx", "--results-directory", results);
        return (run, TrxResults.Read(Path.Combine(results, project + ".trx"), run));
    }

    static Workspace Write(Workspace ws)
    {
        ws.WriteLibraryProject("Vendor");
        ws.Write("Vendor/Rates.cs", """
            namespace Vendor;

            /// <summary>Another project's static (a third-party library, say): not woven by anyone.</summary>
            public static class Rates
            {
                public static decimal Current(string currency) => currency == "EUR" ? 0.5m : 1m;
            }
            """);

        ws.Write("MyApp/MyApp.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="../Vendor/Vendor.csproj" />
              </ItemGroup>
            </Project>
            """);
        ws.Write("MyApp/Receipts.cs", """
            using Vendor;

            namespace MyApp;

            public static class Receipts
            {
                public static DateTime Now() => DateTime.Now;

                public static string Stamp() => DateTime.Now.ToString("yyyy-MM-dd HH:mm");

                public static async Task<string> StampAfterAwait()
                {
                    await Task.Yield();
                    return DateTime.Now.ToString("yyyy-MM-dd HH:mm");
                }

                public static Task<string> StampOnThreadPool() => Task.Run(() => DateTime.Now.ToString("yyyy-MM-dd HH:mm"));

                public static decimal InEuros(decimal dollars) => dollars * Rates.Current("EUR");
            }
            """);

        WriteTestProject(ws, "MyApp.Tests", """<Trapweave References="MyApp" Self="false" />""", 3);
        ws.Write("MyApp.Tests/ClockTests.cs", """
            using MyApp;
            using Trapweave;
            using Vendor;

            namespace MyApp.Tests;

            // Three classes: xunit runs them in parallel. Two fake the clock differently, one does not;
            // they meet at a rendezvous, so their calls really run side by side.
            public class MorningTests
            {
                [Fact]
                public async Task Sees_its_own_time()
                {
                    Trap.When(() => DateTime.Now).Returns(new DateTime(2030, 1, 2, 9, 30, 0));
                    await Rendezvous.AllRunning();
                    for (var i = 0; i < 500; i++)
                    {
                        Assert.Equal("2030-01-02 09:30", Receipts.Stamp());
                        Assert.Equal("2030-01-02 09:30", await Receipts.StampAfterAwait());
                        Assert.Equal("2030-01-02 09:30", await Receipts.StampOnThreadPool());
                    }
                }
            }

            public class EveningTests
            {
                [Fact]
                public async Task Sees_its_own_time()
                {
                    Trap.When(() => DateTime.Now).Returns(new DateTime(2031, 6, 7, 21, 0, 0));
                    await Rendezvous.AllRunning();
                    for (var i = 0; i < 500; i++)
                    {
                        Assert.Equal("2031-06-07 21:00", Receipts.Stamp());
                        Assert.Equal("2031-06-07 21:00", await Receipts.StampAfterAwait());
                        Assert.Equal("2031-06-07 21:00", await Receipts.StampOnThreadPool());
                    }
                }
            }

            public class RealClockTests
            {
                [Fact]
                public async Task Sees_the_real_time()
                {
                    await Rendezvous.AllRunning();
                    for (var i = 0; i < 500; i++)
                    {
                        var before = DateTime.Now;
                        var seen = Receipts.Now();
                        Assert.InRange(seen, before, DateTime.Now);
                        await Task.Yield();
                    }
                }
            }

            public class NotRedirectedTests
            {
                [Fact]
                public void Another_projects_static_is_not_redirected_by_default_and_is_patched_natively()
                {
                    var current = typeof(Rates).GetMethod(nameof(Rates.Current))!;
                    Assert.Equal(TrapMechanism.Native, Trap.Explain(current).Mechanism);
                    Assert.Equal(5m, Receipts.InEuros(10m));
                    // MyApp's call site is not redirected, so the native fallback patches the method itself.
                    Trap.When(() => Rates.Current("EUR")).Returns(2m);
                    Assert.Equal(20m, Receipts.InEuros(10m));
                    Assert.Equal(20m, Task.Run(() => Receipts.InEuros(10m)).Result);
                    // Another flow (a thread started with the flow suppressed) runs the original.
                    var neighbour = 0m;
                    var thread = new Thread(() => neighbour = Receipts.InEuros(10m));
                    using (ExecutionContext.SuppressFlow()) thread.Start();
                    thread.Join();
                    Assert.Equal(5m, neighbour);
                }
            }
            """);

        WriteTestProject(ws, "MyApp.RedirectTests", """<Trapweave References="MyApp" Self="false" Redirect="Vendor.Rates::*" />""", 2);
        ws.Write("MyApp.RedirectTests/RateTests.cs", """
            using MyApp;
            using Trapweave;
            using Vendor;

            namespace MyApp.RedirectTests;

            public class HighRateTests
            {
                [Fact]
                public async Task Sees_its_own_rate_and_time()
                {
                    Trap.When(() => Rates.Current("EUR")).Returns(3m);
                    // Redirect adds to the default set: the clock is still redirected.
                    Trap.When(() => DateTime.Now).Returns(new DateTime(2032, 3, 4, 5, 6, 0));
                    await Rendezvous.AllRunning();
                    for (var i = 0; i < 500; i++)
                    {
                        Assert.Equal(30m, Receipts.InEuros(10m));
                        Assert.Equal(30m, await Task.Run(() => Receipts.InEuros(10m)));
                        Assert.Equal("2032-03-04 05:06", Receipts.Stamp());
                    }
                }
            }

            public class LowRateTests
            {
                [Fact]
                public async Task Sees_its_own_rate()
                {
                    Trap.When(() => Rates.Current(Arg.Any<string>())).Returns(0.25m);
                    await Rendezvous.AllRunning();
                    for (var i = 0; i < 500; i++)
                    {
                        Assert.Equal(2.5m, Receipts.InEuros(10m));
                        Assert.Equal(2.5m, await Task.Run(() => Receipts.InEuros(10m)));
                    }
                    // The test assembly itself is not woven: its own call reaches the arrangement
                    // through the native fallback, which patches the method while it is arranged.
                    Assert.Equal(0.25m, Rates.Current("EUR"));
                }
            }
            """);

        // The own-assembly route by the MSBuild task alone: Fody switched off.
        ws.Write("Clocked/Clocked.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <DisableFody>true</DisableFody>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Trapweave.Fody" Version="$(TrapweaveVersion)" PrivateAssets="all" />
                <PackageReference Include="Trapweave" Version="$(TrapweaveVersion)" />
              </ItemGroup>
            </Project>
            """);
        ws.Write("Clocked/FodyWeavers.xml", Workspace.FodyWeavers("<Trapweave />"));
        ws.Write("Clocked/Ticket.cs", """
            namespace Clocked;

            public static class Ticket
            {
                public static string Issued() => DateTime.Now.ToString("yyyy-MM-dd");
                public static DateTime Now() => DateTime.Now;
            }
            """);
        ws.Write("App/App.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="../Clocked/Clocked.csproj" />
              </ItemGroup>
            </Project>
            """);
        ws.Write("App/Program.cs", """
            using Clocked;
            using Trapweave;

            // Two flows fake the clock differently and read it side by side (they start reading only when
            // both are armed); the main flow arranges nothing.
            var bothArmed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var armed = 0;
            async Task<string> Flow(DateTime time)
            {
                using var clock = Trap.When(() => DateTime.Now).Returns(time);
                if (Interlocked.Increment(ref armed) == 2) bothArmed.SetResult();
                await bothArmed.Task;
                var seen = new SortedSet<string>();
                for (var i = 0; i < 1000; i++)
                {
                    seen.Add(Ticket.Issued());
                    seen.Add(await Task.Run(Ticket.Issued));
                }
                return string.Join(",", seen);
            }
            var a = Task.Run(() => Flow(new DateTime(2040, 1, 1)));
            var b = Task.Run(() => Flow(new DateTime(2041, 2, 2)));
            Console.WriteLine($"a={await a}");
            Console.WriteLine($"b={await b}");
            var before = DateTime.Now;
            var now = Ticket.Now();
            Console.WriteLine(now >= before && now <= DateTime.Now ? "real=ok" : $"real={now:O}");
            """);
        return ws;
    }

    /// <summary>An xunit v2 test project weaving MyApp's copy, with a rendezvous for its parallel tests.</summary>
    static void WriteTestProject(Workspace ws, string name, string trapweave, int parallelTests)
    {
        ws.Write($"{name}/{name}.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <IsPackable>false</IsPackable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Trapweave.Fody" Version="$(TrapweaveVersion)" PrivateAssets="all" />
                <PackageReference Include="Trapweave" Version="$(TrapweaveVersion)" />
                <PackageReference Include="Microsoft.NET.Test.Sdk" Version="18.0.1" />
                <PackageReference Include="xunit" Version="2.9.3" />
                <PackageReference Include="xunit.runner.visualstudio" Version="3.1.5" PrivateAssets="all" />
              </ItemGroup>
              <ItemGroup>
                <ProjectReference Include="../MyApp/MyApp.csproj" />
                <Using Include="Xunit" />
              </ItemGroup>
            </Project>
            """);
        ws.Write($"{name}/FodyWeavers.xml", Workspace.FodyWeavers(trapweave));
        ws.Write($"{name}/Rendezvous.cs", $$"""
            // At least as many threads as the parallel tests that must meet (a machine may have one core).
            [assembly: CollectionBehavior(MaxParallelThreads = 4)]

            static class Rendezvous
            {
                static int _arrived;
                static readonly TaskCompletionSource Open = new(TaskCreationOptions.RunContinuationsAsynchronously);

                public static Task AllRunning()
                {
                    if (Interlocked.Increment(ref _arrived) == {{parallelTests}}) Open.SetResult();
                    // Not a timing assertion: a bound so that tests that never overlap fail instead of hanging.
                    return Open.Task.WaitAsync(TimeSpan.FromMinutes(1));
                }
            }
            """);
    }
}
