using System.Threading;

namespace Trapweave.Tests.Redirect.Support;

/// <summary>
/// A meeting point for tests of different classes (which xunit runs in parallel): <see cref="Arrive"/>
/// completes once all <see cref="Parties"/> have arrived, so what follows runs in all of them at once.
/// </summary>
public sealed class Rendezvous
{
    // Not a timing assertion: a bound so that tests that never run side by side fail instead of hanging.
    static readonly TimeSpan Bound = TimeSpan.FromMinutes(2);

    readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly string _name;
    int _arrived;

    public Rendezvous(string name, int parties)
    {
        _name = name;
        Parties = parties;
    }

    public int Parties { get; }

    public async Task Arrive()
    {
        if (Interlocked.Increment(ref _arrived) == Parties) _open.TrySetResult();
        try
        {
            await _open.Task.WaitAsync(Bound);
        }
        catch (TimeoutException)
        {
            throw new Xunit.Sdk.XunitException(
                $"Only {Volatile.Read(ref _arrived)} of {Parties} tests reached '{_name}': they must run in parallel " +
                "(run their classes together, and with at least as many parallel threads as parties).");
        }
    }
}
