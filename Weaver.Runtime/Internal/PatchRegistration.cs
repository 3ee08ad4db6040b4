using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;

namespace Trapweave.Internal;

/// <summary>
/// A same-signature replacement. Its handler calls the replacement with the arguments exactly as
/// the woven method received them: no boxing, no allocation.
/// </summary>
[System.Diagnostics.StackTraceHidden]
internal sealed class PatchRegistration : Registration
{
    public override string Kind => "Patch";

    /// <summary>When set, only calls on this receiver (or, for value types, an equal one) are replaced.</summary>
    public readonly object? Instance;
    public readonly Delegate Replacement;
    /// <summary>The replacement's target, loaded by a handler that calls its method directly.</summary>
    public readonly object? ReplacementTarget;
    readonly DirectCall? _directCall;
    /// <summary>Whether the replacement takes the receiver as its first parameter.</summary>
    readonly bool _passSelf;

    static readonly FieldInfo ReplacementField = typeof(PatchRegistration).GetField(nameof(Replacement))!;
    static readonly FieldInfo ReplacementTargetField = typeof(PatchRegistration).GetField(nameof(ReplacementTarget))!;

    public PatchRegistration(TrapTarget target, RedirectRoute? route, bool isGlobal, object? instance, Delegate replacement, bool passSelf)
        : base(target, isGlobal, route)
    {
        Instance = instance;
        Replacement = replacement;
        ReplacementTarget = replacement.Target;
        _directCall = DirectCall.For(replacement);
        _passSelf = passSelf;
    }

    // Handlers depend only on these, not on the registration (they read its fields through the
    // binding): one compiled handler serves every registration of the same replacement method, so
    // a test that runs again (a theory row, a shared helper) registers in microseconds.
    readonly record struct HandlerKey(TrapTarget Target, Type DelegateType, MethodInfo? DirectMethod, bool LoadsTarget, bool InstanceOnly, bool PassSelf, bool ChecksReceiver);

    static readonly ConcurrentDictionary<HandlerKey, MethodInfo> Handlers = new();

    protected override MethodInfo Compile(TrapTarget target)
    {
        var checksReceiver = Route?.NeedsReceiverCheck(target) ?? false;
        var key = new HandlerKey(target, Replacement.GetType(), _directCall?.Method, _directCall?.LoadsTarget ?? false, Instance is not null, _passSelf, checksReceiver);
        return Handlers.TryGetValue(key, out var cached) ? cached : Handlers.GetOrAdd(key, CompileHandler(target, checksReceiver));
    }

    MethodInfo CompileHandler(TrapTarget t, bool checksReceiver)
    {
        var invoke = Replacement.GetType().GetMethod("Invoke")!;
        var replacementParams = invoke.GetParameters();
        var dmParams = new Type[t.HandlerParameters.Length + 1];
        dmParams[0] = typeof(Binding);
        t.HandlerParameters.CopyTo(dmParams, 1);
        var handler = HandlerMethod.Define("Patch_" + t.Member.Name, t.HandlerReturn, dmParams,
            HandlerEmitter.TypesOf(t).Concat(new[] { Replacement.GetType(), Replacement.Method.DeclaringType, ReplacementTarget?.GetType() }));
        var il = handler.IL;
        var handledArg = dmParams.Length - 1;
        var firstParamArg = t.HasSelf ? 2 : 1;

        var next = il.DefineLabel();
        if (Instance is not null)
            HandlerEmitter.EmitInstanceCheck(il, t, typeof(PatchRegistration).GetField(nameof(Instance))!, next);
        if (checksReceiver)
            HandlerEmitter.EmitReceiverCheck(il, t, next);

        // Enter before the try, Exit after it on the normal path and in a fault block on the
        // exceptional one (the same as a finally): a finally in a dynamic method is not cloned onto
        // the normal path and cost ~3-4 ns per call here (docs/benchmarks.md).
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Call, HandlerEmitter.Enter);
        LocalBuilder? result = t.HandlerReturn == typeof(void) ? null : il.DeclareLocal(t.HandlerReturn);
        il.BeginExceptionBlock();
        var twin = Native.NativeDispatch.IsTwin(t);
        var guard = twin ? il.DeclareLocal(typeof(int)) : null;
        if (guard is not null)
        {
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Call, Native.NativeDispatch.SuspendMethod);
            il.Emit(OpCodes.Stloc, guard);
        }
        if (_directCall is not null)
        {
            // The field holds exactly the delegate's target, of the type its method expects: no cast.
            if (_directCall.LoadsTarget)
            {
                HandlerEmitter.EmitRegistration(il);
                il.Emit(OpCodes.Ldfld, ReplacementTargetField);
            }
        }
        else
        {
            HandlerEmitter.EmitRegistration(il);
            il.Emit(OpCodes.Ldfld, ReplacementField);
            il.Emit(OpCodes.Castclass, Replacement.GetType());
        }
        if (_passSelf)
        {
            il.Ldarg(1);
            var wanted = replacementParams[0].ParameterType;
            if (t.HandlerParameters[0].IsByRef && !wanted.IsByRef)
                il.Emit(OpCodes.Ldobj, t.SelfType!);
            // A stub of a base definition or interface method receives the receiver as that type;
            // the replacement takes the member's own (the receiver was checked to dispatch to it).
            if (!wanted.IsByRef && !wanted.IsValueType && !wanted.IsAssignableFrom(t.SelfType!))
                il.Emit(OpCodes.Castclass, wanted);
            else
                HandlerEmitter.EmitAs(il, t.HandlerParameters[0], wanted);
        }
        for (var i = 0; i < t.Parameters.Length; i++)
        {
            il.Ldarg(firstParamArg + i);
            HandlerEmitter.EmitAs(il, t.HandlerParameters[firstParamArg - 1 + i], t.Parameters[i].ParameterType);
        }
        if (_directCall is not null) _directCall.EmitCall(il);
        else il.Emit(OpCodes.Callvirt, invoke);
        var resultType = HandlerEmitter.ResultType(t);
        if (result is not null && SignatureCheck.NeedsReturnCast(resultType, invoke.ReturnType)) il.Emit(OpCodes.Castclass, resultType);
        if (result is not null) il.Emit(OpCodes.Stloc, result);
        if (guard is not null)
        {
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldloc, guard);
            il.Emit(OpCodes.Call, Native.NativeDispatch.ResumeMethod);
        }
        il.BeginFaultBlock();
        if (guard is not null)
        {
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldloc, guard);
            il.Emit(OpCodes.Call, Native.NativeDispatch.ResumeMethod);
        }
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Call, HandlerEmitter.Exit);
        il.EndExceptionBlock();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Call, HandlerEmitter.Exit);
        il.Ldarg(handledArg);
        il.Emit(OpCodes.Ldc_I4_1);
        il.Emit(OpCodes.Stind_I1);
        if (result is not null) il.Emit(OpCodes.Ldloc, result);
        il.Emit(OpCodes.Ret);

        il.MarkLabel(next);
        HandlerEmitter.EmitCallNext(il, t);
        return handler.Create();
    }
}
