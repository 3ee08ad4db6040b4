using System;
using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
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

    protected Registration(TrapTarget target, bool isGlobal, RedirectRoute? route, int? slot = null)
    {
        Target = target;
        IsGlobal = isGlobal;
        Route = route;
        // A redirect registration has no single handler type: each stub (module, instantiation) has its own.
        HandlerType = route is null ? target.HandlerHandle : default;
        Id = Interlocked.Increment(ref s_lastId);
        Slot = slot ?? route?.Slot ?? target.Slot;
    }

    static int s_lastId;

    /// <summary>Orders registrations: a handler hands a call to the next one below its own id.</summary>
    public readonly int Id;
    public readonly int Slot;
    /// <summary>Where threads keep their handler for this registration; reused after disposal.</summary>
    public int Index { get; private set; } = -1;

    /// <summary>The woven method, or for a redirect registration the member's shape (<see cref="TrapTarget.ShapeOf"/>).</summary>
    public readonly TrapTarget Target;
    public readonly bool IsGlobal;
    /// <summary>The woven method's handler type; default for a redirect registration (see <see cref="Accepts"/>).</summary>
    public readonly RuntimeTypeHandle HandlerType;
    /// <summary>For a registration on a redirected member: which stubs' calls it takes.</summary>
    public readonly RedirectRoute? Route;
    ConcurrentDictionary<TrapTarget, MethodInfo>? _stubHandlers;
    // The threads' bindings of this registration, forgotten when it is disposed (see Bound). A
    // list of its own: Bound runs in dispatch, where a List<T>'s Array.Copy may be patched natively.
    readonly object _boundGate = new();
    BoundBinding? _bound;

    sealed class BoundBinding
    {
        public readonly Binding Binding;
        public readonly BoundBinding? Next;

        public BoundBinding(Binding binding, BoundBinding? next)
        {
            Binding = binding;
            Next = next;
        }
    }

    /// <summary>Whether this registration takes calls arriving with <paramref name="handlerType"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Accepts(RuntimeTypeHandle handlerType) =>
        HandlerType.Equals(handlerType) || (Route is { } route && route.Accepts(handlerType));

    public bool Disposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>The scope that holds this flow registration, or ends this process-wide one; null when made outside any scope.</summary>
    public TrapScope? Scope { get; set; }

    /// <summary>The API call that made it, for messages: Patch, When, Intercept, Record.</summary>
    public abstract string Kind { get; }

    /// <summary>What it intercepts, for messages.</summary>
    public virtual string Subject => Target.Name;

    /// <summary>Compiles the handler and makes the registration visible.</summary>
    public void Activate()
    {
        LostRegistrations.ThrowIfLost(this);
        if (Route is null) _handler = Compile(Target);
        else CompileKnownStubs();
        Index = RegistrationIndexes.Take();
        Registry.Add(this);
        // Calls from code nobody wove reach the member through its patched body, from now on.
        Route?.Native?.Acquire();
    }

    /// <summary>
    /// Compiles the handler and takes an index, without joining the registry: for registrations
    /// dispatch finds by other means (a trace's, one per traced method). Ended by <see cref="Retire"/>.
    /// </summary>
    internal void ActivateUnlisted()
    {
        _handler = Compile(Target);
        Index = RegistrationIndexes.Take();
    }

    /// <summary>Ends a registration made by <see cref="ActivateUnlisted"/>: no thread keeps its binding.</summary>
    internal void Retire()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        ForgetBindings();
        RegistrationIndexes.Release(Index);
    }

    /// <summary>The handler method for <paramref name="target"/> (the woven method, or one stub instantiation): arguments (Binding, then the handler type's parameters).</summary>
    protected abstract MethodInfo Compile(TrapTarget target);

    /// <summary>The compiled handler method (shared by registrations that compile alike).</summary>
    internal MethodInfo CompiledHandler => _handler;

    /// <summary>
    /// Compiles the handlers of the stubs loaded now whose instantiation is known (non-generic), so a
    /// handler that cannot be made fails the registration, not a call; others compile on first call.
    /// </summary>
    void CompileKnownStubs()
    {
        _stubHandlers = new ConcurrentDictionary<TrapTarget, MethodInfo>();
        foreach (var stub in RedirectIndex.For(Route!.Definition))
        {
            if (stub.HandlerDefinition.IsGenericTypeDefinition) continue;
            if (Route.Accept(stub.HandlerDefinition.TypeHandle) is { } target) HandlerFor(target);
        }
    }

    MethodInfo HandlerFor(TrapTarget target) =>
        Route is null ? _handler : _stubHandlers!.GetOrAdd(target, Compile);

    /// <summary>A handler delegate closed over <paramref name="binding"/>, of its target's handler type.</summary>
    public Delegate CreateHandler(Binding binding) => HandlerFor(binding.Target).CreateDelegate(binding.Target.HandlerType, binding);

    /// <summary>
    /// A thread bound this registration: its binding is forgotten on that thread when the
    /// registration is disposed (at once if it already is), so no idle thread keeps it reachable.
    /// </summary>
    public void Bound(Binding binding)
    {
        lock (_boundGate)
        {
            if (!Disposed)
            {
                _bound = new BoundBinding(binding, _bound);
                return;
            }
        }
        binding.Thread.Forget(binding);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        Registry.Remove(this);
        Route?.Native?.Release();
        ForgetBindings();
        if (!IsGlobal && Scope is null) DispatchThread.ForgetFlowsHolding(this);
        RegistrationIndexes.Release(Index);
        OnDisposed();
    }

    /// <summary>Runs once, after the registration is gone from dispatch.</summary>
    protected virtual void OnDisposed() { }

    void ForgetBindings()
    {
        BoundBinding? bound;
        lock (_boundGate)
        {
            bound = _bound;
            _bound = null;
        }
        for (; bound is not null; bound = bound.Next) bound.Binding.Thread.Forget(bound.Binding);
    }
}
