using System.IO;
using System.Text.RegularExpressions;
using Trapweave.Tests.EndToEnd.Support;

namespace Trapweave.Tests.EndToEnd;

/// <summary>
/// The test-project route on copies of samples/Shop and samples/Shop.Tests, consuming this run's
/// packages: <c>&lt;Trapweave References="Shop" Self="false" /&gt;</c> weaves the copy of Shop.dll in the
/// test output and leaves the production Shop.dll exactly as a build of Shop alone makes it.
/// The first test to run makes the build; the others go on from it.
/// </summary>
[Collection(EndToEndCollection.Name), Trait("Category", "EndToEnd")]
public sealed class TestProjectRouteTests : IClassFixture<TestProjectRouteTests.State>
{
    const string Production = "Shop/bin/Debug/net10.0/Shop.dll";
    const string ProductionPdb = "Shop/bin/Debug/net10.0/Shop.pdb";
    const string WovenCopy = "Shop.Tests/obj/Debug/net10.0/trapweave/Shop.dll";
    const string WovenCopyPdb = "Shop.Tests/obj/Debug/net10.0/trapweave/Shop.pdb";
    const string OutputCopy = "Shop.Tests/bin/Debug/net10.0/Shop.dll";
    const string OutputCopyPdb = "Shop.Tests/bin/Debug/net10.0/Shop.pdb";
    const string TestAssembly = "Shop.Tests/bin/Debug/net10.0/Shop.Tests.dll";
    const string WeavingMessage = "Trapweave: Shop.dll -> ";

    public sealed class State
    {
        Lazy<ShopBuild> _build;
        internal ShopBuild Get(PackedPackages packages) => (_build ??= new Lazy<ShopBuild>(() => ShopBuild.Run(packages))).Value;
    }

    /// <summary>What the first build showed, read before any later test changed the workspace.</summary>
    internal sealed record ShopBuild(
        Workspace Workspace, ProcessResult Alone, string AloneHash, string AlonePdbHash,
        ProcessResult Test, string AfterHash, string AfterPdbHash,
        WovenAssembly OutputShop, bool OutputPdbMatches, WovenAssembly ProductionShop, WovenAssembly Tests)
    {
        public static ShopBuild Run(PackedPackages packages)
        {
            var ws = packages.CreateWorkspace("test-route");
            ws.CopyProject(Path.Combine(packages.Samples, "Shop"), "Shop");
            ws.CopyProject(Path.Combine(packages.Samples, "Shop.Tests"), "Shop.Tests");

            // The production library built alone, as its own CI would build it...
            var alone = ws.DotNet("build", "Shop");
            Assert.True(alone.ExitCode == 0, alone.ToString());
            var aloneHash = ws.Hash(Production);
            var alonePdbHash = ws.Hash(ProductionPdb);
            // ...then its outputs thrown away (the restore kept), so the test build compiles it afresh.
            ws.DeleteDirectory("Shop/bin");
            ws.DeleteDirectory("Shop/obj/Debug");

            var test = ws.DotNet("test", "Shop.Tests");
            Assert.True(ws.Exists(OutputCopy) && ws.Exists(Production), test.ToString());
            return new ShopBuild(ws, alone, aloneHash, alonePdbHash, test,
                ws.Exists(Production) ? ws.Hash(Production) : "missing", ws.Exists(ProductionPdb) ? ws.Hash(ProductionPdb) : "missing",
                WovenAssembly.Read(ws[OutputCopy]), WovenAssembly.PdbMatches(ws[OutputCopy], ws[OutputCopyPdb]),
                WovenAssembly.Read(ws[Production]), WovenAssembly.Read(ws[TestAssembly]));
        }
    }

    readonly PackedPackages _packages;
    readonly State _state;

    public TestProjectRouteTests(PackedPackages packages, State state)
    {
        _packages = packages;
        _state = state;
    }

    ShopBuild Initial => _state.Get(_packages);

    [Fact]
    public void Dotnet_test_passes_against_the_woven_copy_and_the_production_build_is_untouched()
    {
        var build = Initial;
        var test = build.Test;

        Assert.True(test.ExitCode == 0, test.ToString());
        var summary = Regex.Match(test.Output, @"Failed:\s+(\d+), Passed:\s+(\d+)");
        Assert.True(summary.Success, test.ToString());
        Assert.Equal("0", summary.Groups[1].Value);
        Assert.True(int.Parse(summary.Groups[2].Value) >= 7, test.ToString());
        Assert.Contains(WeavingMessage, test.Output);

        // The copy in the test output is woven, with a PDB that belongs to it.
        Assert.True(build.OutputShop.HasTrapTable, $"{OutputCopy} is not woven");
        Assert.Superset(new SortedSet<string> { "Shop.Pricing::UnitPrice", "Shop.Pricing::Total", "Shop.Pricing::Discount", "Shop.SystemClock::Now", "Shop.OrderService::Place", "Shop.OrderService::IsOpen" },
            new SortedSet<string>(build.OutputShop.Trapped));
        Assert.True(build.OutputPdbMatches, $"{OutputCopyPdb} does not belong to the woven {OutputCopy}");

        // Self="false": the test assembly itself is not woven.
        Assert.False(build.Tests.HasTrapTable, "Shop.Tests.dll was woven although Self=\"false\"");

        // The production output is byte for byte what building Shop alone makes.
        Assert.False(build.ProductionShop.HasTrapTable, $"{Production} was woven");
        Assert.Equal(build.AloneHash, build.AfterHash);
        Assert.Equal(build.AlonePdbHash, build.AfterPdbHash);
    }

    [Fact]
    public void A_second_build_without_changes_does_not_weave_again()
    {
        var ws = Initial.Workspace;
        Assert.True(Initial.Test.ExitCode == 0, Initial.Test.ToString());
        var before = Stamps(ws);

        var build = ws.DotNet("build", "Shop.Tests", "--no-restore", "-v:n");

        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.DoesNotContain(WeavingMessage, build.Output);
        Assert.Contains("Skipping target \"TrapweaveWeaveReferences\" because all output files are up-to-date", build.Output);
        Assert.Equal(before, Stamps(ws));
        Assert.True(WovenAssembly.Read(ws[OutputCopy]).HasTrapTable, $"{OutputCopy} is no longer the woven copy");
    }

    [Fact]
    public void Changing_the_configuration_weaves_again()
    {
        var ws = Initial.Workspace;
        Assert.True(Initial.Test.ExitCode == 0, Initial.Test.ToString());
        var before = Stamps(ws);
        var productionHash = ws.Hash(Production);

        ws.Write("Shop.Tests/FodyWeavers.xml", Workspace.FodyWeavers("""<Trapweave References="Shop" Self="false" Exclude="Shop.Pricing::Discount" />"""));
        var build = ws.DotNet("build", "Shop.Tests", "--no-restore", "-v:n");

        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Contains(WeavingMessage, build.Output);
        var after = Stamps(ws);
        Assert.True(after.Woven > before.Woven, $"{WovenCopy} was not written again ({before.Woven:O} -> {after.Woven:O})");
        Assert.True(after.Output > before.Output, $"{OutputCopy} was not copied again ({before.Output:O} -> {after.Output:O})");
        var woven = WovenAssembly.Read(ws[OutputCopy]);
        Assert.DoesNotContain("Shop.Pricing::Discount", woven.Trapped);
        Assert.Contains("Shop.Pricing::UnitPrice", woven.Trapped);
        Assert.Equal(productionHash, ws.Hash(Production));
    }

    [Fact]
    public void Publishing_the_test_project_ships_the_woven_copy_and_leaves_production_untouched()
    {
        var ws = Initial.Workspace;
        Assert.True(Initial.Test.ExitCode == 0, Initial.Test.ToString());

        // dotnet publish builds Release: a configuration the other tests never built.
        var publish = ws.DotNet("publish", "Shop.Tests", "--no-restore", "-o", ws["publish"]);

        Assert.True(publish.ExitCode == 0, publish.ToString());
        var published = WovenAssembly.Read(ws["publish/Shop.dll"]);
        Assert.True(published.HasTrapTable, "publish/Shop.dll is not woven");
        Assert.Contains("Shop.Pricing::UnitPrice", published.Trapped);
        Assert.True(WovenAssembly.PdbMatches(ws["publish/Shop.dll"], ws["publish/Shop.pdb"]), "publish/Shop.pdb does not belong to the woven Shop.dll");
        Assert.False(WovenAssembly.Read(ws["publish/Shop.Tests.dll"]).HasTrapTable, "Shop.Tests.dll was woven although Self=\"false\"");
        Assert.False(WovenAssembly.Read(ws["Shop/bin/Release/net10.0/Shop.dll"]).HasTrapTable, "the production Release Shop.dll was woven");
    }

    static (DateTime Woven, DateTime WovenPdb, DateTime Output, DateTime OutputPdb) Stamps(Workspace ws) =>
        (ws.LastWrite(WovenCopy), ws.LastWrite(WovenCopyPdb), ws.LastWrite(OutputCopy), ws.LastWrite(OutputCopyPdb));
}
