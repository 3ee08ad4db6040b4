using System;
using System.Threading;

namespace Trapweave.Internal;

/// <summary>
/// One registration on one trapped method. Its <see cref="Handler"/> is a delegate of the
/// method's generated handler type, compiled for this registration and closed over it.
/// </summary>
internal abstract class Registration : IDisposable
{
    int _disposed;

    protected Registration(TrapTarget target, bool isGlobal)
    {
        Target = target;
        IsGlobal = isGlobal;
        HandlerType = target.HandlerHandle;
        Id = Interlocked.Increment(ref s_lastId);
        Slot = target.Slot;
        HandlerTypeValue = HandlerType.Value;
    }

    static int s_lastId;

    /// <summary>Identifies the registration on a thread's active stack, which stores no references (no GC write barriers on the hot path).</summary>
    public readonly int Id;
    public readonly int Slot;
    public readonly IntPtr HandlerTypeValue;

    public readonly TrapTarget Target;
    public readonly bool IsGlobal;
    public readonly RuntimeTypeHandle HandlerType;
    public Delegate Handler = null!;

    public bool Disposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>Compiles the handler and makes the registration visible.</summary>
    public void Activate()
    {
        Handler = Compile();
        Registry.Add(this);
    }

    protected abstract Delegate Compile();

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        Registry.Remove(this);
    }
}
