using System.Diagnostics;
using System.Threading;

namespace Trapweave.Tests.Stress;

/// <summary>
/// Runs the soak's flows in phases the test can look between: a warm-up (every flow runs every
/// scenario once), the loop until the duration is up, and the end, where flows wait with their
/// long-lived scopes still open until the test has taken its measurements.
/// </summary>
internal sealed class SoakRun
{
    // Past this many wrong results the flows stop early: the report has enough to go on.
    const int EnoughFailures = 50;

    readonly int _flows;
    readonly SoakLedger _ledger;
    readonly SoakFiles _files;
    readonly TimeSpan _duration;
    readonly Stopwatch _clock = new();
    readonly TaskCompletionSource _warmedUp = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly TaskCompletionSource _allDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly TaskCompletionSource _continue = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly TaskCompletionSource _finish = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly SoakFlow[] _started;
    int _warming;
    int _running;
    long _rounds;

    public SoakRun(int flows, SoakLedger ledger, SoakFiles files, TimeSpan duration)
    {
        _flows = _warming = _running = flows;
        _started = new SoakFlow[flows];
        _ledger = ledger;
        _files = files;
        _duration = duration;
    }

    public Task WarmedUp => _warmedUp.Task;
    public Task AllDone => _allDone.Task;
    public long Rounds => Interlocked.Read(ref _rounds);
    /// <summary>How long the loop ran (after the warm-up).</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    public Task Start() => Task.WhenAll(Enumerable.Range(0, _flows).Select(id => Task.Run(() => RunFlow(id))));

    /// <summary>Ends the warm-up: the flows loop until the duration is up.</summary>
    public void Continue()
    {
        _clock.Start();
        _continue.SetResult();
    }

    /// <summary>The round each flow is in (for a soak that hangs).</summary>
    public string WhereFlowsAre() =>
        string.Join("\n", _started.Where(f => f is not null).Select(f => $"flow {f!.Id}: round {f.Round} ({f.Scenario})"));

    /// <summary>Lets the flows end their scopes and return.</summary>
    public void Finish() => _finish.SetResult();

    async Task RunFlow(int id)
    {
        var flow = _started[id] = new SoakFlow(id, _ledger, _files);
        // Even flows run inside a scope of their own for the whole soak, as a test does under the
        // test-framework integration; odd ones register outside any scope.
        var scope = id % 2 == 0 ? Trap.Scope() : null;
        try
        {
            var round = 0;
            while (round < SoakScenarios.All.Length) await RunRound(flow, round++);
            Arrived(ref _warming, _warmedUp);
            await _continue.Task;

            while (_clock.Elapsed < _duration && _ledger.FailureCount < EnoughFailures) await RunRound(flow, round++);
            Interlocked.Add(ref _rounds, round);
            _clock.Stop();
            Arrived(ref _running, _allDone);
            await _finish.Task;
        }
        finally
        {
            scope?.Dispose();
        }
    }

    static void Arrived(ref int waiting, TaskCompletionSource all)
    {
        if (Interlocked.Decrement(ref waiting) == 0) all.SetResult();
    }

    async Task RunRound(SoakFlow flow, int round)
    {
        var (name, run) = SoakScenarios.All[(flow.Id + round) % SoakScenarios.All.Length];
        flow.Begin(round, name);
        try
        {
            await run(flow);
        }
        catch (Exception e)
        {
            _ledger.Fail($"flow {flow.Id}, round {round} ({name}) threw {e}");
        }
    }
}
