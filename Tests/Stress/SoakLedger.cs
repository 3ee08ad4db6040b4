using System.Collections.Concurrent;
using System.Threading;

namespace Trapweave.Tests.Stress;

/// <summary>
/// What the soak's flows report: every wrong result (with the flow, round and where it was seen),
/// how many registrations of each kind they made, and weak references to a sample of what they
/// registered (the handles and the delegates or interceptors behind them), checked for collection at the end.
/// </summary>
internal sealed class SoakLedger
{
    // Enough to diagnose; a broken runtime would otherwise fill the heap with messages.
    const int KeptFailures = 50;
    // One registration in this many is sampled: thousands of weak references, not millions.
    const int SampleEvery = 64;

    readonly ConcurrentQueue<string> _failures = new();
    readonly ConcurrentDictionary<string, long> _registrations = new();
    readonly ConcurrentQueue<(string What, WeakReference Reference)> _sample = new();
    int _failureCount;
    long _registered;
    long _checks;
    long _scopes;

    public int FailureCount => Volatile.Read(ref _failureCount);
    public long Checks => Interlocked.Read(ref _checks);
    public long TotalRegistrations => Interlocked.Read(ref _registered);
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

    /// <summary>Counts a registration of <paramref name="kind"/>, sampling it and what it holds.</summary>
    public void Note(string kind, object handle, object held)
    {
        _registrations.AddOrUpdate(kind, 1, static (_, n) => n + 1);
        if (Interlocked.Increment(ref _registered) % SampleEvery != 0) return;
        _sample.Enqueue(($"{kind} handle", new WeakReference(handle)));
        _sample.Enqueue(($"{kind} {held.GetType().Name}", new WeakReference(held)));
    }

    /// <summary>Samples a scope a flow opened (not counted as a registration).</summary>
    public void NoteScope(IDisposable scope)
    {
        if (Interlocked.Increment(ref _scopes) % (SampleEvery / 8) == 0) _sample.Enqueue(("scope", new WeakReference(scope)));
    }

    public long Scopes => Interlocked.Read(ref _scopes);

    public int SampleSize => _sample.Count;

    /// <summary>The sampled objects still alive, by what they are.</summary>
    public IReadOnlyDictionary<string, int> StillAlive() =>
        _sample.Where(s => s.Reference.IsAlive).GroupBy(s => s.What).ToDictionary(g => g.Key, g => g.Count());
}
