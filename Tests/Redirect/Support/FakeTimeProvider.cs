namespace Trapweave.Tests.Redirect.Support;

/// <summary>A clock of the test's own, to tell it apart from the system one.</summary>
public sealed class FakeTimeProvider : TimeProvider
{
    readonly DateTimeOffset _now;
    readonly long _timestamp;

    public FakeTimeProvider(DateTimeOffset now, long timestamp)
    {
        _now = now;
        _timestamp = timestamp;
    }

    public override DateTimeOffset GetUtcNow() => _now;
    public override long GetTimestamp() => _timestamp;
}
