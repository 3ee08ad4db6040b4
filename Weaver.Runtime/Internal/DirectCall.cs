using System;
using System.Reflection;
using System.Reflection.Emit;

namespace Trapweave.Internal;

/// <summary>
/// Calls a user delegate's method directly from a generated handler instead of through
/// <c>Delegate.Invoke</c>: no delegate call, no cast, and the JIT may inline a small lambda
/// into the handler. Used only when the delegate is a plain binding the call reproduces exactly;
/// anything else keeps the delegate call.
/// </summary>
internal sealed class DirectCall
{
    readonly MethodInfo _method;

    /// <summary>The method called.</summary>
    public MethodInfo Method => _method;

    /// <summary>Whether the call takes the delegate's target first: load it before the arguments.</summary>
    public bool LoadsTarget { get; }

    DirectCall(MethodInfo method, bool loadsTarget)
    {
        _method = method;
        LoadsTarget = loadsTarget;
    }

    /// <summary>The direct call for <paramref name="d"/>, or null when only its Invoke is faithful.</summary>
    public static DirectCall? For(Delegate d)
    {
        if (d.GetInvocationList().Length != 1) return null;
        var method = d.Method;
        // Dynamic methods have no token a handler could call; collectible code must not be
        // referenced from a handler living in the runtime's (non-collectible) module.
        if (method is DynamicMethod) return null;
        var type = method.DeclaringType;
        if (type is null || method.Module.Assembly.IsCollectible || type.IsCollectible) return null;
        if (method.ContainsGenericParameters || type.ContainsGenericParameters) return null;
        if (method.CallingConvention.HasFlag(CallingConventions.VarArgs)) return null;

        var invoke = d.GetType().GetMethod("Invoke")!;
        var invokeParams = invoke.GetParameters();
        var methodParams = method.GetParameters();
        var target = d.Target;
        bool loadsTarget;
        int skip;
        if (method.IsStatic && target is null)
        {
            loadsTarget = false;
            skip = 0;
        }
        else if (method.IsStatic)
        {
            // A static method closed over its first argument (an extension method): the argument
            // must be a reference, passed as is.
            if (methodParams.Length == 0 || !IsPlainReference(methodParams[0].ParameterType)) return null;
            loadsTarget = true;
            skip = 1;
        }
        else
        {
            // Instance methods: a virtual one would need dispatch, a value type's a boxed receiver.
            if (target is null || type.IsValueType || (method.IsVirtual && !method.IsFinal)) return null;
            loadsTarget = true;
            skip = 0;
        }

        if (methodParams.Length - skip != invokeParams.Length) return null;
        for (var i = 0; i < invokeParams.Length; i++)
            if (!Passes(invokeParams[i].ParameterType, methodParams[i + skip].ParameterType)) return null;
        if (!Passes(method.ReturnType, invoke.ReturnType)) return null;
        return new DirectCall(method, loadsTarget);
    }

    /// <summary>Emits the call, after the target and the arguments.</summary>
    public void EmitCall(ILGenerator il) => il.Emit(OpCodes.Call, _method);

    // A value of type `from` is passed unchanged where `to` is expected: the same type, or a
    // reference conversion (delegate variance binds such methods).
    static bool Passes(Type from, Type to) =>
        from == to || (IsPlainReference(from) && IsPlainReference(to) && to.IsAssignableFrom(from));

    static bool IsPlainReference(Type t) => !t.IsValueType && !t.IsByRef && !t.IsPointer && !t.IsGenericParameter;
}
