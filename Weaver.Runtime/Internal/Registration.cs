using System;
using System.Reflection;
using System.Threading;

namespace Trapweave.Internal;

/// <summary>
/// One registration on one trapped method. Its handler is a generated method (<see cref="HandlerMethod"/>) of the method's
/// generated handler signature, taking a <see cref="Binding"/> first; each thread calls it through
/// a delegate of its own (<see cref="DispatchThread.HandlerFor"/>).
/// </summary>
internal abstract class Registration : IDisposable
{
    int _disposed;
    MethodInfo _handler = null!;

    protected Registration(TrapTarget target, bool isGlobal)
    {
        Target = target;
        IsGlobal = isGlobal;
        HandlerType = target.HandlerHandle;
        Id = Interlocked.Increment(ref s_lastId);
        Slot = target.Slot;
    }

    static int s_lastId;

    /// <summary>Orders registrations: a handler hands a call to the next one below its own id.</summary>
    public readonly int Id;
    public readonly int Slot;
    /// <summary>Where threads keep their handler for this registration; reused after disposal.</summary>
    public int Index { get; private set; } = -1;

    public readonly TrapTarget Target;
    public readonly bool IsGlobal;
    public readonly RuntimeTypeHandle HandlerType;

    public bool Disposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>The scope that holds this flow registration, or null (process-wide, or made outside any scope).</summary>
    public TrapScope? Scope { get; set; }

    /// <summary>The API call that made it, for messages: Patch, When, Intercept, Record.</summary>
    public abstract string Kind { get; }

    /// <summary>Compiles the handler and makes the registration visible.</summary>
    public void Activate()
    {
        _handler = Compile();
        Index = RegistrationIndexes.Take();
        Registry.Add(this);
    }

    /// <summary>The handler method: arguments (Binding, then the handler type's parameters).</summary>
    protected abstract MethodInfo Compile();

    /// <summary>The compiled handler method (shared by registrations that compile alike).</summary>
    internal MethodInfo CompiledHandler => _handler;

    /// <summary>A handler delegate closed over <paramref name="binding"/>, of the target's handler type.</summary>
    public Delegate CreateHandler(Binding binding) => _handler.CreateDelegate(Target.HandlerType, binding);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        Registry.Remove(this);
        RegistrationIndexes.Release(Index);
    }
}
