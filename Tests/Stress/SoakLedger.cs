using System.Collections.Concurrent;
using System.Threading;

namespace Trapweave.Tests.Stress;

/// <summary>
/// What the soak's flows report: every wrong result (with the flow, round and where it was seen),
/// how many registrations of each kind they made, and weak references to a sample of what they
/// registered (the handles and the delegates or interceptors behind them, and the scopes they
/// opened), checked for collection at the end.
/// </summary>
/// <remarks>
/// The sample is a fixed reservoir (every registration equally likely to be in it, whatever the
/// duration), its weak references made up front and retargeted: the ledger's own memory does not
/// grow with the run, so the heap's growth measured across the soak is the runtime's.
/// </remarks>
internal sealed class SoakLedger
{
    // Enough to diagnose; a broken runtime would otherwise fill the heap with messages.
    const int KeptFailures = 50;
    const int SampleSize = 4096;

    readonly ConcurrentQueue<string> _failures = new();
    readonly ConcurrentDictionary<string, long> _registrations = new();
    readonly object _sampleGate = new();
    readonly string[] _sampledKinds = new string[SampleSize];
    readonly WeakReference[] _sampledHandles = Enumerable.Range(0, SampleSize).Select(_ => new WeakReference(null)).ToArray();
    readonly WeakReference[] _sampledHeld = Enumerable.Range(0, SampleSize).Select(_ => new WeakReference(null)).ToArray();
    long _offered;
    int _failureCount;
    long _registered;
    long _checks;
    long _scopes;

    public int FailureCount => Volatile.Read(ref _failureCount);
    public long Checks => Interlocked.Read(ref _checks);
    public long TotalRegistrations => Interlocked.Read(ref _registered);
    public long Scopes => Interlocked.Read(ref _scopes);
    public IReadOnlyDictionary<string, long> RegistrationsByKind => _registrations;
    public IEnumerable<string> Failures => _failures;

    public void Expect<T>(T expected, T actual, string what)
    {
        Interlocked.Increment(ref _checks);
        if (EqualityComparer<T>.Default.Equals(expected, actual)) return;
        Fail($"{what}: expected {expected}, got {actual}");
    }

    public void Fail(string message)
    {
        if (Interlocked.Increment(ref _failureCount) <= KeptFailures) _failures.Enqueue(message);
    }

    /// <summary>Counts a registration of <paramref name="kind"/>, and offers it and what it holds to the sample.</summary>
    public void Note(string kind, object handle, object held)
    {
        _registrations.AddOrUpdate(kind, 1, static (_, n) => n + 1);
        Interlocked.Increment(ref _registered);
        Offer(kind, handle, held);
    }

    /// <summary>Offers a scope a flow opened to the sample (not counted as a registration).</summary>
    public void NoteScope(IDisposable scope)
    {
        Interlocked.Increment(ref _scopes);
        Offer("scope", scope, null);
    }

    // Reservoir sampling: the first SampleSize offers fill the sample, offer n then replaces a
    // random entry with probability SampleSize / n.
    void Offer(string kind, object handle, object held)
    {
        var n = Interlocked.Increment(ref _offered);
        var slot = n <= SampleSize ? n - 1 : Random.Shared.NextInt64(n);
        if (slot >= SampleSize) return;
        lock (_sampleGate)
        {
            _sampledKinds[slot] = kind;
            _sampledHandles[slot].Target = handle;
            _sampledHeld[slot].Target = held;
        }
    }

    public int Sampled => (int)Math.Min(Interlocked.Read(ref _offered), SampleSize);

    /// <summary>The sampled objects still alive, by what they are.</summary>
    public IReadOnlyDictionary<string, int> StillAlive()
    {
        var alive = new Dictionary<string, int>();
        lock (_sampleGate)
        {
            for (var i = 0; i < Sampled; i++)
            {
                if (_sampledHandles[i].Target is not null) Count($"{_sampledKinds[i]} handle");
                if (_sampledHeld[i].Target is { } held) Count($"{_sampledKinds[i]} {held.GetType().Name}");
            }
        }
        return alive;

        void Count(string what) => alive[what] = alive.GetValueOrDefault(what) + 1;
    }
}
