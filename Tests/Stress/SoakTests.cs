using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading;
using Trapweave.Internal;
using Xunit.Abstractions;

namespace Trapweave.Tests.Stress;

/// <summary>
/// The soak: 64 flows loop over every scenario (patches, arrangements, recorders, interceptors, on
/// woven and redirected targets, also reached natively) until the duration is up
/// (<see cref="SoakDuration"/>), checking every result. Half of them run inside a scope of their own
/// that lasts the whole soak, as a test does under the test-framework integration. At the end,
/// while those scopes are still open: no wrong result, nothing armed, every sampled registration
/// collected, and neither the registry nor the heap grew between the end of the warm-up and the end.
/// </summary>
[Collection(SoakCollection.Name)]
public class SoakTests
{
    const int Flows = 64;

    readonly ITestOutputHelper _output;

    public SoakTests(ITestOutputHelper output) => _output = output;

    [Fact]
    [Trait("Category", "Stress")]
    public async Task Sixty_four_flows_register_call_and_dispose_on_shared_targets_and_leave_nothing_behind()
    {
        var duration = SoakDuration.Get();
        var before = ArmedState.Of(SoakScenarios.WovenTargets, SoakScenarios.RedirectedTargets);
        Assert.True(before.Count == 0, "Armed before the soak began (a test that ran earlier left it so):\n" + string.Join("\n", before));

        var start = Measurement.Take();
        using var files = new SoakFiles(Flows);
        var ledger = new SoakLedger();
        var soak = new SoakRun(Flows, ledger, files, duration);
        var flows = soak.Start();

        await Within(soak.WarmedUp, HangBound, soak);
        var warm = Measurement.Take();
        soak.Continue();

        await Within(soak.AllDone, duration + HangBound, soak);
        var end = Measurement.Take();
        var alive = ledger.StillAlive();
        var armed = ArmedState.Of(SoakScenarios.WovenTargets, SoakScenarios.RedirectedTargets);
        soak.Finish();
        await flows;

        Report(ledger, soak, start, warm, end);
        Assert.True(ledger.FailureCount == 0, $"{ledger.FailureCount} wrong results; the first ones:\n" + string.Join("\n", ledger.Failures));
        Assert.True(armed.Count == 0, "Still armed after every registration was disposed:\n" + string.Join("\n", armed));
        Assert.True(alive.Count == 0, $"Of {ledger.Sampled} sampled registrations, what they held and scopes, still reachable after they were disposed: " +
                                      string.Join(", ", alive.Select(a => $"{a.Value} {a.Key}")));
        // Every registration is disposed at the end (what earlier tests left is theirs), and the
        // registry's size follows the most alive at once (a few per flow), not the number ever made.
        Assert.Equal(start.IndexesInUse, end.IndexesInUse);
        Assert.InRange(end.IndexesIssued, 1, start.IndexesIssued + Flows * 4);
        // Measured: about 100 KiB over 30 s (caches filling, the thread pool growing). The bound
        // is generous, 2 MiB plus 16 bytes per registration made; one registration that stayed
        // reachable costs well over 100 bytes (registration, handle, closure): a disposed global
        // recorder kept by its scope grew the heap by 3-4 MiB in 30 s.
        var bound = 2L * 1024 * 1024 + 16 * ledger.TotalRegistrations;
        Assert.True(end.HeapBytes - warm.HeapBytes < bound,
            $"The heap grew by {(end.HeapBytes - warm.HeapBytes) / 1024} KiB between the end of the warm-up and the end of the soak (bound {bound / 1024} KiB for {ledger.TotalRegistrations} registrations)");
    }

    // Not a timing assertion: a bound so that a deadlock fails the soak, saying where each flow is, instead of hanging the run.
    static readonly TimeSpan HangBound = TimeSpan.FromMinutes(5);

    static async Task Within(Task phase, TimeSpan bound, SoakRun soak)
    {
        try
        {
            await phase.WaitAsync(bound);
        }
        catch (TimeoutException)
        {
            throw new Xunit.Sdk.XunitException($"The soak's flows did not all get through this phase in {bound}: deadlocked? Where they are:\n{soak.WhereFlowsAre()}");
        }
    }

    void Report(SoakLedger ledger, SoakRun soak, Measurement start, Measurement warm, Measurement end)
    {
        var seconds = soak.Elapsed.TotalSeconds;
        _output.WriteLine($"{Flows} flows, {soak.Rounds} rounds in {seconds:F1} s: {ledger.TotalRegistrations} registrations ({ledger.TotalRegistrations / seconds:F0}/s), {ledger.Checks} checked results, {ledger.Scopes} inner scopes");
        foreach (var (kind, count) in ledger.RegistrationsByKind.OrderBy(k => k.Key)) _output.WriteLine($"  {kind}: {count}");
        _output.WriteLine($"sampled {ledger.Sampled} registrations and scopes; registration indexes issued: {start.IndexesIssued} before, {warm.IndexesIssued} after the warm-up, {end.IndexesIssued} at the end");
        _output.WriteLine($"heap after the warm-up {warm.HeapBytes / 1024} KiB, at the end {end.HeapBytes / 1024} KiB; handler assemblies {warm.HandlerAssemblies} and {end.HandlerAssemblies}");
    }

    /// <summary>The registry's and the heap's size, after a full collection.</summary>
    readonly record struct Measurement(long HeapBytes, int IndexesIssued, int IndexesInUse, int HandlerAssemblies)
    {
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static Measurement Take()
        {
            for (var i = 0; i < 3; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
            var heap = GC.GetTotalMemory(forceFullCollection: true);
            var (issued, inUse) = RegistrationIndexes.Counts;
            var handlers = AppDomain.CurrentDomain.GetAssemblies().Count(a => a.GetName().Name!.StartsWith("Trapweave.Handler", StringComparison.Ordinal));
            return new Measurement(heap, issued, inUse, handlers);
        }
    }
}
