using System;
using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Threading;

namespace Trapweave.Internal;

/// <summary>
/// One way call sites reach a registration's member: the member itself or, for a virtual member,
/// a base definition or interface method that dispatches to it (<see cref="Called"/>). A
/// registration on a redirected member lives in the slot of each such <see cref="Called"/> member,
/// and takes a stub's call when the stub's instantiation is <see cref="Called"/> (and, for
/// registrations on all receivers of a virtual member, when the receiver dispatches to it).
/// </summary>
internal sealed class RedirectRoute
{
    static readonly ConcurrentDictionary<MethodInfo, TrapTarget> StubTargets = new();

    readonly ConcurrentDictionary<IntPtr, TrapTarget?> _accepted = new();
    readonly ConcurrentDictionary<Type, bool> _dispatches = new();
    IntPtr _lastAccepted;

    public RedirectRoute(MethodBase called, MethodBase target, bool checksDispatch)
    {
        Called = called;
        Target = target;
        ChecksDispatch = checksDispatch;
        Definition = DefinitionOf(called);
        Slot = Slots.SlotForMember(Definition);
    }

    /// <summary>The member as call sites name it (closed).</summary>
    public readonly MethodBase Called;
    /// <summary>Its definition (open when generic): what stubs are indexed by.</summary>
    public readonly MethodBase Definition;
    /// <summary>The member the registration is on (closed).</summary>
    public readonly MethodBase Target;
    /// <summary>A registration on every receiver of a virtual member: only receivers whose type dispatches <see cref="Called"/> to <see cref="Target"/> are taken.</summary>
    public readonly bool ChecksDispatch;
    public readonly int Slot;

    /// <summary>The member's native patch, held while a registration on this route is alive (routes of the member itself only).</summary>
    public Native.NativeMember? Native { get; init; }

    public static MethodBase DefinitionOf(MethodBase member) => member.Module.ResolveMethod(member.MetadataToken) ?? member;

    /// <summary>Whether a stub whose handler type is <paramref name="handlerType"/> is this route's (the hot path asks this once per armed call).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Accepts(RuntimeTypeHandle handlerType) =>
        handlerType.Value == Volatile.Read(ref _lastAccepted) || AcceptSlow(handlerType);

    [MethodImpl(MethodImplOptions.NoInlining)]
    bool AcceptSlow(RuntimeTypeHandle handlerType)
    {
        if (Accept(handlerType) is null) return false;
        Volatile.Write(ref _lastAccepted, handlerType.Value);
        return true;
    }

    /// <summary>The stub instantiation behind <paramref name="handlerType"/> when it is this route's, else null.</summary>
    public TrapTarget? Accept(RuntimeTypeHandle handlerType)
    {
        if (_accepted.TryGetValue(handlerType.Value, out var known)) return known;
        return _accepted.GetOrAdd(handlerType.Value, Resolve(handlerType));
    }

    TrapTarget? Resolve(RuntimeTypeHandle handle)
    {
        var type = Type.GetTypeFromHandle(handle);
        if (type is null) return null;
        // Handler types are shared by signature within a module: the stub is the one of this
        // route's member with that handler type (several of one member, by call kind, behave alike).
        var definition = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        RedirectStub? stub = null;
        foreach (var candidate in RedirectIndex.For(Definition))
            if (candidate.HandlerDefinition == definition) { stub = candidate; break; }
        if (stub is null) return null;
        var (armed, member, receiver) = stub.Instantiate(type);
        if (!Same(member, Called)) return null;
        // A value receiver of a constrained call is its exact type: decided here, once.
        if (ChecksDispatch && receiver is { IsValueType: true } && !Dispatches(receiver)) return null;
        return StubTargets.GetOrAdd(armed, a => TrapTarget.ForStub(stub, a, type, member));
    }

    /// <summary>Whether a handler for <paramref name="target"/> must check the receiver's type at each call.</summary>
    public bool NeedsReceiverCheck(TrapTarget target) =>
        ChecksDispatch && target.HasSelf && target.SelfType is { IsValueType: false } self &&
        !(self.IsSealed && self == Target.DeclaringType);

    /// <summary>Whether a receiver of <paramref name="runtimeType"/> runs <see cref="Target"/> for a call to <see cref="Called"/>.</summary>
    public bool Dispatches(Type runtimeType)
    {
        if (_dispatches.TryGetValue(runtimeType, out var known)) return known;
        var runs = Called is MethodInfo called && Same(Targets.Dispatched(called, runtimeType), Target);
        _dispatches.TryAdd(runtimeType, runs);
        return runs;
    }

    /// <summary>Called by handlers (<see cref="HandlerEmitter.EmitReceiverCheck"/>).</summary>
    public static bool ReceiverDispatchesHere(object binding, object? receiver) =>
        receiver is not null && Unsafe.As<Binding>(binding).Registration.Route!.Dispatches(receiver.GetType());

    public static bool Same(MethodBase a, MethodBase b) =>
        a == b || (a.MethodHandle == b.MethodHandle && a.DeclaringType == b.DeclaringType);
}
