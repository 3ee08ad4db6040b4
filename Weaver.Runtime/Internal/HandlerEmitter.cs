using System;
using System.Collections.Generic;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;

namespace Trapweave.Internal;

/// <summary>IL shared by every kind of generated handler.</summary>
internal static class HandlerEmitter
{
    public static readonly MethodInfo Enter = typeof(TrapDispatch).GetMethod(nameof(TrapDispatch.Enter))!;
    public static readonly MethodInfo Exit = typeof(TrapDispatch).GetMethod(nameof(TrapDispatch.Exit))!;
    static readonly MethodInfo Next = typeof(TrapDispatch).GetMethod(nameof(TrapDispatch.Next))!;
    static readonly FieldInfo BindingRegistration = typeof(Binding).GetField(nameof(Binding.Registration))!;
    static readonly MethodInfo SameInstance = typeof(HandlerEmitter).GetMethod(nameof(IsSameInstance))!;
    static readonly MethodInfo UnsafeAs = typeof(Unsafe).GetMethod(nameof(Unsafe.As), 1, new[] { typeof(object) })!;

    /// <summary>
    /// Retypes a handler argument on the stack, of its type in the handler's shape (<paramref name="passed"/>:
    /// <c>object</c> for every reference type), as <paramref name="wanted"/>, the type the method
    /// declares there: the weaver passes exactly such a value, so no cast is needed (and none is
    /// made: <see cref="Unsafe.As{T}(object)"/> is no code at all). An enum passed as its underlying
    /// type needs nothing: IL does not tell them apart.
    /// </summary>
    public static void EmitAs(ILGenerator il, Type passed, Type wanted)
    {
        if (passed != typeof(object) || wanted == typeof(object) || wanted.IsValueType || wanted.IsByRef || wanted.IsPointer || wanted.IsFunctionPointer) return;
        il.Emit(OpCodes.Call, UnsafeAs.MakeGenericMethod(wanted));
    }

    /// <summary>
    /// The type a result of the handler's shape is checked against: the method's own return type (the
    /// shape says <c>object</c> for a reference type, the underlying type for an enum).
    /// </summary>
    public static Type ResultType(TrapTarget t) => t.ReturnType != typeof(void) ? t.ReturnType : t.HandlerReturn;

    /// <summary>The types a handler's IL may name beyond its signature (its shape's types are mostly <c>object</c>).</summary>
    public static IEnumerable<Type?> TypesOf(TrapTarget t)
    {
        yield return t.HandlerType;
        yield return t.Method.DeclaringType;
        yield return t.Member.DeclaringType;
        yield return t.SelfType;
        yield return t.ReturnType;
        foreach (var p in t.Parameters) yield return p.ParameterType;
    }

    /// <summary>
    /// Pushes the handler's registration (argument 0 is its <see cref="Binding"/>), typed as the
    /// registration class the handler was compiled for: the binding always holds exactly that one.
    /// </summary>
    public static void EmitRegistration(ILGenerator il)
    {
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldfld, BindingRegistration);
    }

    /// <summary>
    /// Branches to <paramref name="mismatch"/> unless the receiver (argument 1) is the registration's
    /// instance: the same object, or for value types an equal value.
    /// </summary>
    public static void EmitInstanceCheck(ILGenerator il, TrapTarget t, FieldInfo instanceField, Label mismatch)
    {
        var self = t.HandlerParameters[0];
        if (self.IsByRef)
        {
            var valueType = self.GetElementType()!;
            if (valueType.IsByRefLike)
            {
                // A ref struct receiver cannot be compared; such registrations are refused earlier.
                il.Emit(OpCodes.Br, mismatch);
                return;
            }
            il.Emit(OpCodes.Ldarg_0);
            EmitRegistration(il);
            il.Emit(OpCodes.Ldfld, instanceField);
            il.Emit(OpCodes.Ldarg_1);
            il.Emit(OpCodes.Ldobj, valueType);
            il.Emit(OpCodes.Box, valueType);
            il.Emit(OpCodes.Call, SameInstance);
            il.Emit(OpCodes.Brfalse, mismatch);
        }
        else
        {
            EmitRegistration(il);
            il.Emit(OpCodes.Ldfld, instanceField);
            il.Emit(OpCodes.Ldarg_1);
            il.Emit(OpCodes.Bne_Un, mismatch);
        }
    }

    static readonly MethodInfo ReceiverDispatches = typeof(RedirectRoute).GetMethod(nameof(RedirectRoute.ReceiverDispatchesHere))!;

    /// <summary>
    /// Branches to <paramref name="mismatch"/> unless the receiver (argument 1, a reference) runs the
    /// registration's member: a stub of a base definition or interface method sees every receiver.
    /// </summary>
    public static void EmitReceiverCheck(ILGenerator il, TrapTarget t, Label mismatch)
    {
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldarg_1);
        if (t.HandlerParameters[0].IsByRef) il.Emit(OpCodes.Ldobj, t.SelfType!);
        il.Emit(OpCodes.Call, ReceiverDispatches);
        il.Emit(OpCodes.Brfalse, mismatch);
    }

    /// <summary>
    /// Value receivers match by Equals, which may itself be trapped (even by this registration):
    /// it runs as if inside the registration, so such calls go to the next one down, not back here.
    /// </summary>
    public static bool IsSameInstance(object binding, object expected, object actual)
    {
        TrapDispatch.Enter(binding);
        try { return expected.Equals(actual); }
        finally { TrapDispatch.Exit(binding); }
    }

    /// <summary>
    /// Hands the call to the next registration down (same handler type), or reports it unhandled
    /// so the woven method runs its own body.
    /// </summary>
    public static void EmitCallNext(ILGenerator il, TrapTarget t)
    {
        var none = il.DefineLabel();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Call, Next);
        il.Emit(OpCodes.Dup);
        il.Emit(OpCodes.Brfalse, none);
        il.Emit(OpCodes.Castclass, t.HandlerType);
        for (var i = 0; i < t.HandlerParameters.Length; i++) il.Ldarg(i + 1);
        il.Emit(OpCodes.Callvirt, t.HandlerInvoke);
        il.Emit(OpCodes.Ret);
        il.MarkLabel(none);
        il.Emit(OpCodes.Pop);
        il.Ldarg(t.HandlerParameters.Length);
        il.Emit(OpCodes.Ldc_I4_0);
        il.Emit(OpCodes.Stind_I1);
        il.EmitDefault(t.HandlerReturn);
        il.Emit(OpCodes.Ret);
    }
}
