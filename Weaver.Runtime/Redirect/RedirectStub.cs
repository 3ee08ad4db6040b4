using System;
using System.Reflection;
using Trapweave.Internal;

namespace Trapweave.Internal;

/// <summary>How a redirect stub reaches its member (the weaver's call kinds, as the runtime needs them).</summary>
internal enum RedirectKind
{
    /// <summary>A static member: the stub has its signature.</summary>
    Static,
    /// <summary>An instance member called on a receiver passed first (by reference for value types).</summary>
    Instance,
    /// <summary>A <c>constrained.</c> call: the stub is generic over the receiver's type (its first type argument) and takes it by reference.</summary>
    Constrained,
    /// <summary>A constructor: the stub returns the new object.</summary>
    Create,
    /// <summary>
    /// A native patch's twin (<see cref="Native.NativeTwinFactory"/>): the member's own calling shape
    /// (an instance method for an instance member), reached from the member's patched entry.
    /// </summary>
    Twin,
}

/// <summary>
/// One armed redirect stub found in a woven module (<c>&lt;Trapweave&gt;Redirects+Armed</c>): its flag, its
/// handler type (definition) and the member it calls (definition). Every stub of a member, in
/// every module, shares the member's slot, so one registration arms them all.
/// </summary>
internal sealed class RedirectStub
{
    public RedirectStub(MethodInfo armed, FieldInfo flag, Type handlerDefinition, MethodBase member, RedirectKind kind, int slot)
    {
        Armed = armed;
        Flag = flag;
        HandlerDefinition = handlerDefinition;
        Member = member;
        Kind = kind;
        Slot = slot;
    }

    /// <summary>The armed stub (a generic definition when the member or its type is generic, or for constrained calls).</summary>
    public readonly MethodInfo Armed;
    public readonly FieldInfo Flag;
    public readonly Type HandlerDefinition;
    /// <summary>The member's definition (open when generic).</summary>
    public readonly MethodBase Member;
    public readonly RedirectKind Kind;
    public readonly int Slot;

    public Assembly Assembly => Armed.Module.Assembly;

    /// <summary>
    /// The stub's instantiation for a closed handler type, and the member instantiation it calls
    /// (for constrained stubs, the receiver type too).
    /// </summary>
    public (MethodInfo Armed, MethodBase Member, Type? Receiver) Instantiate(Type handlerType)
    {
        if (!Armed.IsGenericMethodDefinition) return (Armed, Member, null);
        var args = handlerType.GetGenericArguments();
        var armed = Armed.MakeGenericMethod(args);
        var offset = Kind == RedirectKind.Constrained ? 1 : 0;
        var receiver = offset == 1 ? args[0] : null;
        var declaring = Member.DeclaringType!;
        var typeArity = declaring.IsGenericTypeDefinition ? declaring.GetGenericArguments().Length : 0;
        var closedType = typeArity > 0 ? declaring.MakeGenericType(args[offset..(offset + typeArity)]) : declaring;
        var member = typeArity > 0 ? MethodBase.GetMethodFromHandle(Member.MethodHandle, closedType.TypeHandle)! : Member;
        if (member is MethodInfo { IsGenericMethodDefinition: true } generic)
            member = generic.MakeGenericMethod(args[(offset + typeArity)..]);
        return (armed, member, receiver);
    }

    public override string ToString() => $"{TrapTarget.Describe(Member)} ({Kind}) in {Assembly.GetName().Name}";
}
