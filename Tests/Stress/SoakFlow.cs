using Fixtures;

namespace Trapweave.Tests.Stress;

/// <summary>
/// One of the soak's concurrent flows: its number, the round it is in, its own instances of the
/// fixtures' classes (for instance arrangements), and the tag that makes every value it arranges
/// its own, so a result from another flow's registration, or a lost one, cannot pass for it.
/// </summary>
internal sealed class SoakFlow
{
    public SoakFlow(int id, SoakLedger ledger, SoakFiles files)
    {
        Id = id;
        Ledger = ledger;
        Files = files;
        Square = new Square { Side = id + 3 };
    }

    public readonly int Id;
    public readonly SoakLedger Ledger;
    public readonly SoakFiles Files;
    public readonly Square Square;
    public readonly AsyncService Service = new();
    public readonly Repo<string> Repo = new();

    public int Round { get; private set; }
    public string Scenario { get; private set; } = "";

    /// <summary>Unique to this flow and round (flows below 64, rounds counted modulo a million).</summary>
    public int Tag => Id * 1_000_000 + Round % 1_000_000;

    public void Begin(int round, string scenario)
    {
        Round = round;
        Scenario = scenario;
    }

    public void Expect<T>(T expected, T actual, string what) =>
        Ledger.Expect(expected, actual, $"flow {Id}, round {Round} ({Scenario}): {what}");

    /// <summary>Samples a scope the flow opened; returns it.</summary>
    public IDisposable Opened(IDisposable scope)
    {
        Ledger.NoteScope(scope);
        return scope;
    }

    /// <summary>Counts and samples a registration (see <see cref="SoakLedger.Note"/>); returns it.</summary>
    public T Registered<T>(T handle, object held) where T : IDisposable
    {
        Ledger.Note(Scenario, handle, held);
        return handle;
    }
}

/// <summary>Targets every flow shares: instances nobody arranges, so calls on them must run the originals.</summary>
internal static class Shared
{
    public static readonly Square Square = new();
    public static readonly AsyncService Service = new();
}
