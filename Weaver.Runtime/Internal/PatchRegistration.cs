using System;
using System.Reflection;
using System.Reflection.Emit;

namespace Trapweave.Internal;

/// <summary>
/// A same-signature replacement. Its handler calls the replacement with the arguments exactly as
/// the woven method received them: no boxing, no allocation.
/// </summary>
internal sealed class PatchRegistration : Registration
{
    /// <summary>When set, only calls on this receiver (or, for value types, an equal one) are replaced.</summary>
    public readonly object? Instance;
    public readonly Delegate Replacement;
    /// <summary>Whether the replacement takes the receiver as its first parameter.</summary>
    readonly bool _passSelf;

    static readonly MethodInfo Push = typeof(TrapDispatch).GetMethod(nameof(TrapDispatch.Push))!;
    static readonly MethodInfo Pop = typeof(TrapDispatch).GetMethod(nameof(TrapDispatch.Pop))!;

    public PatchRegistration(TrapTarget target, bool isGlobal, object? instance, Delegate replacement, bool passSelf)
        : base(target, isGlobal)
    {
        Instance = instance;
        Replacement = replacement;
        _passSelf = passSelf;
    }

    protected override Delegate Compile()
    {
        var t = Target;
        var invoke = Replacement.GetType().GetMethod("Invoke")!;
        var replacementParams = invoke.GetParameters();
        var dmParams = new Type[t.HandlerParameters.Length + 1];
        dmParams[0] = typeof(PatchRegistration);
        t.HandlerParameters.CopyTo(dmParams, 1);
        var dm = new DynamicMethod("Trapweave.Patch:" + t.Method.Name, t.HandlerReturn, dmParams, typeof(PatchRegistration).Module, skipVisibility: true);
        var il = dm.GetILGenerator();
        var handledArg = dmParams.Length - 1;
        var firstParamArg = t.HasSelf ? 2 : 1;

        var next = il.DefineLabel();
        var match = il.DefineLabel();
        if (Instance is not null)
            HandlerEmitter.EmitInstanceCheck(il, t, typeof(PatchRegistration).GetField(nameof(Instance))!, next);

        il.MarkLabel(match);
        // frame = TrapDispatch.Push(this): the thread's active stack, handed back to Pop so leaving
        // costs no second thread-static access. Pop runs after the try on the normal path and in a
        // fault block on the exceptional one (the same as a finally): a finally in a dynamic method
        // is not cloned onto the normal path and cost ~3-4 ns per call here (docs/benchmarks.md).
        var frame = il.DeclareLocal(typeof(object));
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Call, Push);
        il.Emit(OpCodes.Stloc, frame);
        LocalBuilder? result = t.HandlerReturn == typeof(void) ? null : il.DeclareLocal(t.HandlerReturn);
        il.BeginExceptionBlock();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldfld, typeof(PatchRegistration).GetField(nameof(Replacement))!);
        il.Emit(OpCodes.Castclass, Replacement.GetType());
        if (_passSelf)
        {
            il.Ldarg(1);
            if (t.HandlerParameters[0].IsByRef && !replacementParams[0].ParameterType.IsByRef)
                il.Emit(OpCodes.Ldobj, t.SelfType!);
        }
        for (var i = 0; i < t.Parameters.Length; i++) il.Ldarg(firstParamArg + i);
        il.Emit(OpCodes.Callvirt, invoke);
        if (result is not null && SignatureCheck.NeedsReturnCast(t.HandlerReturn, invoke.ReturnType)) il.Emit(OpCodes.Castclass, t.HandlerReturn);
        if (result is not null) il.Emit(OpCodes.Stloc, result);
        il.BeginFaultBlock();
        il.Emit(OpCodes.Ldloc, frame);
        il.Emit(OpCodes.Call, Pop);
        il.EndExceptionBlock();
        il.Emit(OpCodes.Ldloc, frame);
        il.Emit(OpCodes.Call, Pop);
        il.Ldarg(handledArg);
        il.Emit(OpCodes.Ldc_I4_1);
        il.Emit(OpCodes.Stind_I1);
        if (result is not null) il.Emit(OpCodes.Ldloc, result);
        il.Emit(OpCodes.Ret);

        il.MarkLabel(next);
        HandlerEmitter.EmitCallNext(il, t);
        return dm.CreateDelegate(t.HandlerType, this);
    }
}
