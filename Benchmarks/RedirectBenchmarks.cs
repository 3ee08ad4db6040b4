using System;
using System.IO;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Benchmarks.Targets;
using Trapweave;

namespace Benchmarks;

/// <summary>
/// Redirected call sites (issue 8): framework members of the default set called from woven code,
/// as a user's build weaves them (this assembly's Fody weave, default set on). The redirected
/// benchmark methods are themselves the woven callers (their own prologue runs once per 32 calls);
/// each baseline is the same loop in a <c>[NoTrap]</c> method, whose calls are not redirected.
/// A registration on a redirected member arms its stubs process-wide; BenchmarkDotNet runs every
/// case in its own process, and every setup asserts the state it measures.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 3, warmupCount: 4, iterationCount: 10)]
[IterationTime(250)]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class RedirectBenchmarks
{
    const int Calls = 32;
    const int FileCalls = 4;
    const string UtcNowStub = "DateTime.get_UtcNow";
    const string FileExistsStub = "File.Exists";
    static readonly DateTime Fixed = new(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc);

    string _path;
    IDisposable _arrangement;

    // ---- DateTime.UtcNow -----------------------------------------------------------------

    [NoTrap]
    [BenchmarkCategory("UtcNow")]
    [Benchmark(Baseline = true, OperationsPerInvoke = Calls, Description = "DateTime.UtcNow, direct (baseline)")]
    public long UtcNowDirect()
    {
        long sum = 0;
        for (var i = 0; i < Calls; i++) sum += DateTime.UtcNow.Ticks;
        return sum;
    }

    [BenchmarkCategory("UtcNow")]
    [Benchmark(OperationsPerInvoke = Calls, Description = "5. DateTime.UtcNow, redirected, nothing armed")]
    public long UtcNowRedirected()
    {
        long sum = 0;
        for (var i = 0; i < Calls; i++) sum += DateTime.UtcNow.Ticks;
        return sum;
    }

    [NoTrap]
    [GlobalSetup(Targets = new[] { nameof(UtcNowDirect), nameof(UtcNowRedirected) })]
    public void SetupUtcNow()
    {
        Probe.Check(!Probe.CallsStub(GetType().GetMethod(nameof(UtcNowDirect))!, UtcNowStub), "the baseline calls DateTime.UtcNow directly");
        Probe.Check(Probe.CallsStub(GetType().GetMethod(nameof(UtcNowRedirected))!, UtcNowStub), "the redirected case calls the UtcNow stub");
        Probe.Check(Probe.StubFlagValue(UtcNowStub) == 0, "the UtcNow stub is not armed");
        Probe.Check(UtcNowRedirected() > 0, "the redirected case runs the real clock");
    }

    /// <summary>A hit: <c>Trap.When(() =&gt; DateTime.UtcNow).Returns(...)</c> made by this flow.</summary>
    [BenchmarkCategory("UtcNow")]
    [Benchmark(OperationsPerInvoke = Calls, Description = "5h. DateTime.UtcNow, redirected, Trap.When(...).Returns hit in this flow")]
    public long UtcNowRedirectedHit()
    {
        long sum = 0;
        for (var i = 0; i < Calls; i++) sum += DateTime.UtcNow.Ticks;
        return sum;
    }

    [NoTrap]
    [GlobalSetup(Target = nameof(UtcNowRedirectedHit))]
    public void SetupUtcNowHit()
    {
        _arrangement = Trap.When(() => DateTime.UtcNow).Returns(Fixed);
        Probe.Check(Probe.StubFlagValue(UtcNowStub) != 0, "the UtcNow stub is armed");
        Probe.Check(UtcNowRedirectedHit() == Fixed.Ticks * Calls, "the arrangement is seen by the redirected calls");
    }

    [NoTrap]
    [GlobalCleanup(Target = nameof(UtcNowRedirectedHit))]
    public void CleanupUtcNowHit()
    {
        Probe.Check(UtcNowRedirectedHit() == Fixed.Ticks * Calls, "the arrangement was still seen after the iterations");
        _arrangement.Dispose();
        Probe.Check(UtcNowRedirectedHit() != Fixed.Ticks * Calls, "disposing it restores the real clock");
    }

    /// <summary>For reference: the same arrangement on a woven method (its own prologue, no stub).</summary>
    [BenchmarkCategory("UtcNow")]
    [Benchmark(OperationsPerInvoke = Calls, Description = "5w. woven method, Trap.When(...).Returns hit in this flow (reference)")]
    public long WovenClockHit()
    {
        long sum = 0;
        for (var i = 0; i < Calls; i++) sum += Woven.Clock().Ticks;
        return sum;
    }

    [NoTrap]
    [GlobalSetup(Target = nameof(WovenClockHit))]
    public void SetupWovenClockHit()
    {
        _arrangement = Trap.When(() => Woven.Clock()).Returns(Fixed);
        Probe.Check(WovenClockHit() == Fixed.Ticks * Calls, "the arrangement on the woven method is seen");
    }

    [NoTrap]
    [GlobalCleanup(Target = nameof(WovenClockHit))]
    public void CleanupWovenClockHit()
    {
        Probe.Check(WovenClockHit() == Fixed.Ticks * Calls, "the arrangement was still seen after the iterations");
        _arrangement.Dispose();
    }

    // ---- File.Exists on an existing path ---------------------------------------------------

    [NoTrap]
    [BenchmarkCategory("FileExists")]
    [Benchmark(Baseline = true, OperationsPerInvoke = FileCalls, Description = "File.Exists(existing), direct (baseline)")]
    public int FileExistsDirect()
    {
        var found = 0;
        for (var i = 0; i < FileCalls; i++) if (File.Exists(_path)) found++;
        return found;
    }

    [BenchmarkCategory("FileExists")]
    [Benchmark(OperationsPerInvoke = FileCalls, Description = "6. File.Exists(existing), redirected, nothing armed")]
    public int FileExistsRedirected()
    {
        var found = 0;
        for (var i = 0; i < FileCalls; i++) if (File.Exists(_path)) found++;
        return found;
    }

    [NoTrap]
    [GlobalSetup(Targets = new[] { nameof(FileExistsDirect), nameof(FileExistsRedirected) })]
    public void SetupFileExists()
    {
        _path = typeof(RedirectBenchmarks).Assembly.Location;
        Probe.Check(!Probe.CallsStub(GetType().GetMethod(nameof(FileExistsDirect))!, FileExistsStub), "the baseline calls File.Exists directly");
        Probe.Check(Probe.CallsStub(GetType().GetMethod(nameof(FileExistsRedirected))!, FileExistsStub), "the redirected case calls the File.Exists stub");
        Probe.Check(Probe.StubFlagValue(FileExistsStub) == 0, "the File.Exists stub is not armed");
        Probe.Check(FileExistsDirect() == FileCalls && FileExistsRedirected() == FileCalls, "the path exists");
    }
}
