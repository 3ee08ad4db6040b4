using System;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;

namespace Trapweave.Internal;

/// <summary>
/// Emits the handler for <see cref="BoxedRegistration"/>s of one trapped method: box the arguments
/// into an <see cref="Invocation"/>, run Before, call the original (which, re-entered from here,
/// goes to the next registration down or the method's own body), run After, then write back out/ref
/// arguments and return the result or rethrow the exception. Ref-struct arguments, and null refs
/// (arguments or results), pass through untouched and show as <see cref="Invocation.Unavailable"/>.
/// </summary>
internal static class BoxedHandlerCompiler
{
    static readonly MethodInfo Begin = typeof(BoxedRegistration).GetMethod(nameof(BoxedRegistration.Begin))!;
    static readonly MethodInfo RunBefore = typeof(BoxedRegistration).GetMethod(nameof(BoxedRegistration.RunBefore))!;
    static readonly MethodInfo RunAfter = typeof(BoxedRegistration).GetMethod(nameof(BoxedRegistration.RunAfter))!;
    static readonly BindingFlags Internal = BindingFlags.Instance | BindingFlags.NonPublic;
    static readonly MethodInfo GetArgument = typeof(Invocation).GetMethod("GetArgument", Internal)!;
    static readonly MethodInfo GetResult = typeof(Invocation).GetMethod("GetResult", Internal)!;
    static readonly MethodInfo SetOriginalResult = typeof(Invocation).GetMethod("SetOriginalResult", Internal)!;
    static readonly MethodInfo SetOriginalException = typeof(Invocation).GetMethod("SetOriginalException", Internal)!;
    static readonly MethodInfo ThrowIfFailed = typeof(Invocation).GetMethod("ThrowIfFailed", Internal)!;
    static readonly MethodInfo RefuseReplacedRefLikeResult = typeof(Invocation).GetMethod("RefuseReplacedRefLikeResult", Internal)!;
    static readonly MethodInfo ResultIsOriginal = typeof(Invocation).GetProperty("ResultIsOriginal", Internal)!.GetMethod!;
    static readonly FieldInfo PassesThrough = typeof(BoxedRegistration).GetField(nameof(BoxedRegistration.PassesThrough))!;
    static readonly FieldInfo Unavailable = typeof(Invocation).GetField(nameof(Invocation.Unavailable))!;
    static readonly MethodInfo GetTypeFromHandle = typeof(Type).GetMethod(nameof(Type.GetTypeFromHandle))!;

    public static MethodInfo Compile(TrapTarget t, bool checksReceiver)
    {
        var dmParams = new Type[t.HandlerParameters.Length + 1];
        dmParams[0] = typeof(Binding);
        t.HandlerParameters.CopyTo(dmParams, 1);
        var handler = HandlerMethod.Define("Intercept_" + t.Member.Name, t.HandlerReturn, dmParams, HandlerEmitter.TypesOf(t));
        var il = handler.IL;
        var first = t.HasSelf ? 2 : 1;
        var handledArg = dmParams.Length - 1;
        var ps = t.Parameters;
        var call = il.DeclareLocal(typeof(Invocation));
        var next = il.DefineLabel();
        if (checksReceiver) HandlerEmitter.EmitReceiverCheck(il, t, next);

        // var call = reg.Begin(binding, self, new object[] { args... });
        HandlerEmitter.EmitRegistration(il);
        il.Emit(OpCodes.Ldarg_0);
        if (t.HasSelf) LoadBoxed(il, 1, t.HandlerParameters[0]);
        else il.Emit(OpCodes.Ldnull);
        il.LdcI4(ps.Length);
        il.Emit(OpCodes.Newarr, typeof(object));
        for (var i = 0; i < ps.Length; i++)
        {
            il.Emit(OpCodes.Dup);
            il.LdcI4(i);
            LoadBoxed(il, first + i, ps[i].ParameterType);
            il.Emit(OpCodes.Stelem_Ref);
        }
        il.Emit(OpCodes.Callvirt, Begin);
        il.Emit(OpCodes.Stloc, call);
        il.Emit(OpCodes.Ldloc, call);
        il.Emit(OpCodes.Brfalse, next);
        var takes = il.DefineLabel();
        HandlerEmitter.EmitRegistration(il);
        il.Emit(OpCodes.Ldfld, PassesThrough);
        il.Emit(OpCodes.Brfalse, takes);
        EmitUnhandled(il, t);
        il.MarkLabel(takes);

        var returnType = t.HandlerReturn;
        var keepsOriginal = returnType.IsByRef || returnType.IsByRefLike;
        var original = keepsOriginal ? il.DeclareLocal(returnType) : null;
        var runBody = t.IsConstructor ? il.DeclareLocal(typeof(bool)) : null;

        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Call, HandlerEmitter.Enter);
        var end = il.BeginExceptionBlock();
        var guard = Native.NativeDispatch.IsTwin(t) ? il.DeclareLocal(typeof(int)) : null;
        if (guard is not null)
        {
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Call, Native.NativeDispatch.SuspendMethod);
            il.Emit(OpCodes.Stloc, guard);
        }
        var skipOriginal = il.DefineLabel();
        HandlerEmitter.EmitRegistration(il);
        il.Emit(OpCodes.Ldloc, call);
        il.Emit(OpCodes.Callvirt, RunBefore);
        il.Emit(OpCodes.Brfalse, skipOriginal);
        if (t.IsConstructor)
        {
            // The constructor's own body runs once the handler reports the call unhandled.
            il.Emit(OpCodes.Ldc_I4_1);
            il.Emit(OpCodes.Stloc, runBody!);
        }
        else
        {
            EmitCallOriginal(il, t, call, original);
        }
        il.MarkLabel(skipOriginal);
        if (!t.IsConstructor)
        {
            HandlerEmitter.EmitRegistration(il);
            il.Emit(OpCodes.Ldloc, call);
            il.Emit(OpCodes.Callvirt, RunAfter);
        }
        il.BeginFinallyBlock();
        if (guard is not null)
        {
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldloc, guard);
            il.Emit(OpCodes.Call, Native.NativeDispatch.ResumeMethod);
        }
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Call, HandlerEmitter.Exit);
        il.EndExceptionBlock();

        if (runBody is not null)
        {
            var handled = il.DefineLabel();
            il.Emit(OpCodes.Ldloc, runBody);
            il.Emit(OpCodes.Brfalse, handled);
            EmitUnhandled(il, t);
            il.MarkLabel(handled);
        }

        // Write back out/ref arguments.
        for (var i = 0; i < ps.Length; i++)
        {
            var type = ps[i].ParameterType;
            if (!type.IsByRef || type.IsRefLike()) continue;
            var element = type.GetElementType()!;
            var skip = il.DefineLabel();
            il.Ldarg(first + i);
            il.Emit(OpCodes.Conv_U);
            il.Emit(OpCodes.Brfalse, skip);
            il.Ldarg(first + i);
            il.Emit(OpCodes.Ldloc, call);
            il.LdcI4(i);
            EmitTypeOf(il, type);
            il.Emit(OpCodes.Call, GetArgument);
            il.EmitUnboxChecked(element);
            il.Emit(OpCodes.Stobj, element);
            il.MarkLabel(skip);
        }

        il.Emit(OpCodes.Ldloc, call);
        il.Emit(OpCodes.Call, ThrowIfFailed);
        il.Ldarg(handledArg);
        il.Emit(OpCodes.Ldc_I4_1);
        il.Emit(OpCodes.Stind_I1);
        EmitResult(il, t, call, original);
        il.Emit(OpCodes.Ret);

        il.MarkLabel(next);
        HandlerEmitter.EmitCallNext(il, t);
        return handler.Create();
    }

    /// <summary>Returns with handled = false: the woven method goes on with its own body.</summary>
    internal static void EmitUnhandled(ILGenerator il, TrapTarget t)
    {
        il.Ldarg(t.HandlerParameters.Length);
        il.Emit(OpCodes.Ldc_I4_0);
        il.Emit(OpCodes.Stind_I1);
        il.EmitDefault(t.HandlerReturn);
        il.Emit(OpCodes.Ret);
    }

    static void EmitCallOriginal(ILGenerator il, TrapTarget t, LocalBuilder call, LocalBuilder? original)
    {
        var ps = t.Parameters;
        var first = t.HasSelf ? 2 : 1;
        var temps = new LocalBuilder?[ps.Length];
        il.BeginExceptionBlock();
        if (t.HasSelf)
        {
            il.Ldarg(1);
            HandlerEmitter.EmitAs(il, t.HandlerParameters[0], t.SelfType!);
        }
        for (var i = 0; i < ps.Length; i++)
        {
            var type = ps[i].ParameterType;
            if (type.IsRefLike())
            {
                il.Ldarg(first + i);
            }
            else if (type.IsByRef)
            {
                // A null ref goes on to the original as it came (it shows as Unavailable); any other
                // through a local holding the invocation's value, which Before may have replaced.
                var notNull = il.DefineLabel();
                var passed = il.DefineLabel();
                il.Ldarg(first + i);
                il.Emit(OpCodes.Conv_U);
                il.Emit(OpCodes.Brtrue, notNull);
                il.Ldarg(first + i);
                il.Emit(OpCodes.Br, passed);
                il.MarkLabel(notNull);
                var element = type.GetElementType()!;
                temps[i] = il.DeclareLocal(element);
                il.Emit(OpCodes.Ldloc, call);
                il.LdcI4(i);
                EmitTypeOf(il, type);
                il.Emit(OpCodes.Call, GetArgument);
                il.EmitUnboxChecked(element);
                il.Emit(OpCodes.Stloc, temps[i]!);
                il.Emit(OpCodes.Ldloca, temps[i]!);
                il.MarkLabel(passed);
            }
            else
            {
                il.Emit(OpCodes.Ldloc, call);
                il.LdcI4(i);
                EmitTypeOf(il, type);
                il.Emit(OpCodes.Call, GetArgument);
                il.EmitUnboxChecked(type);
            }
        }
        // A non-virtual call to this exact body; re-entry skips the running registration.
        il.Emit(OpCodes.Call, (MethodInfo)t.Method);

        // Boxed as the method's type (an enum as itself, not as the shape's underlying type).
        var returnType = HandlerEmitter.ResultType(t);
        if (returnType == typeof(void))
        {
            il.Emit(OpCodes.Ldloc, call);
            il.Emit(OpCodes.Ldnull);
        }
        else if (original is not null)
        {
            il.Emit(OpCodes.Stloc, original);
            il.Emit(OpCodes.Ldloc, call);
            if (returnType.IsByRef && !returnType.IsRefLike())
            {
                // A null ref (Unsafe.NullRef, an empty span's GetPinnableReference, as SQLitePCLRaw's
                // utf8z returns for a null string) cannot be read: the invocation shows it as Unavailable.
                var isNull = il.DefineLabel();
                var boxed = il.DefineLabel();
                il.Emit(OpCodes.Ldloc, original);
                il.Emit(OpCodes.Conv_U);
                il.Emit(OpCodes.Brfalse, isNull);
                il.Emit(OpCodes.Ldloc, original);
                var element = returnType.GetElementType()!;
                il.Emit(OpCodes.Ldobj, element);
                il.EmitBox(element);
                il.Emit(OpCodes.Br, boxed);
                il.MarkLabel(isNull);
                il.Emit(OpCodes.Ldsfld, Unavailable);
                il.MarkLabel(boxed);
            }
            else
            {
                il.Emit(OpCodes.Ldsfld, Unavailable);
            }
        }
        else
        {
            var boxed = il.DeclareLocal(typeof(object));
            il.EmitBox(returnType);
            il.Emit(OpCodes.Stloc, boxed);
            il.Emit(OpCodes.Ldloc, call);
            il.Emit(OpCodes.Ldloc, boxed);
        }
        il.Emit(OpCodes.Call, SetOriginalResult);

        for (var i = 0; i < ps.Length; i++)
        {
            if (temps[i] is not { } temp) continue;
            var skip = il.DefineLabel();
            il.Ldarg(first + i);
            il.Emit(OpCodes.Conv_U);
            il.Emit(OpCodes.Brfalse, skip);
            il.Emit(OpCodes.Ldloc, call);
            il.Emit(OpCodes.Callvirt, typeof(Invocation).GetProperty(nameof(Invocation.Arguments))!.GetMethod!);
            il.LdcI4(i);
            il.Emit(OpCodes.Ldloc, temp);
            il.EmitBox(temp.LocalType);
            il.Emit(OpCodes.Stelem_Ref);
            il.MarkLabel(skip);
        }

        il.BeginCatchBlock(typeof(Exception));
        var exception = il.DeclareLocal(typeof(Exception));
        il.Emit(OpCodes.Stloc, exception);
        il.Emit(OpCodes.Ldloc, call);
        il.Emit(OpCodes.Ldloc, exception);
        il.Emit(OpCodes.Call, SetOriginalException);
        il.EndExceptionBlock();
    }

    static void EmitResult(ILGenerator il, TrapTarget t, LocalBuilder call, LocalBuilder? original)
    {
        var returnType = HandlerEmitter.ResultType(t);
        if (returnType == typeof(void)) return;
        if (original is not null)
        {
            var replaced = il.DefineLabel();
            il.Emit(OpCodes.Ldloc, call);
            il.Emit(OpCodes.Call, ResultIsOriginal);
            il.Emit(OpCodes.Brfalse, replaced);
            il.Emit(OpCodes.Ldloc, original);
            il.Emit(OpCodes.Ret);
            il.MarkLabel(replaced);
            if (returnType.IsRefLike())
            {
                il.Emit(OpCodes.Ldloc, call);
                il.Emit(OpCodes.Call, RefuseReplacedRefLikeResult);
                il.EmitDefault(returnType);
                return;
            }
            // A replaced ref result lives in a box of its own.
            var element = returnType.GetElementType()!;
            var box = typeof(StrongBox<>).MakeGenericType(element);
            il.Emit(OpCodes.Ldloc, call);
            EmitTypeOf(il, element);
            il.Emit(OpCodes.Call, GetResult);
            il.EmitUnboxChecked(element);
            il.Emit(OpCodes.Newobj, box.GetConstructor(new[] { element })!);
            il.Emit(OpCodes.Ldflda, box.GetField(nameof(StrongBox<int>.Value))!);
            return;
        }
        il.Emit(OpCodes.Ldloc, call);
        EmitTypeOf(il, returnType);
        il.Emit(OpCodes.Call, GetResult);
        il.EmitUnboxChecked(returnType);
    }

    /// <summary>Pushes argument <paramref name="arg"/> boxed: values boxed, byrefs dereferenced, ref structs as Unavailable.</summary>
    internal static void LoadBoxed(ILGenerator il, int arg, Type type)
    {
        if (type.IsRefLike())
        {
            il.Emit(OpCodes.Ldsfld, Unavailable);
            return;
        }
        il.Ldarg(arg);
        if (type.IsByRef)
        {
            // A null ref (Acornima passes ref Unsafe.NullRef<T>() for optional ref parameters) cannot be read.
            var isNull = il.DefineLabel();
            var boxed = il.DefineLabel();
            il.Emit(OpCodes.Conv_U);
            il.Emit(OpCodes.Brfalse, isNull);
            il.Ldarg(arg);
            var element = type.GetElementType()!;
            il.Emit(OpCodes.Ldobj, element);
            il.EmitBox(element);
            il.Emit(OpCodes.Br, boxed);
            il.MarkLabel(isNull);
            il.Emit(OpCodes.Ldsfld, Unavailable);
            il.MarkLabel(boxed);
        }
        else
        {
            il.EmitBox(type);
        }
    }

    static void EmitTypeOf(ILGenerator il, Type type)
    {
        if (type.IsByRef) type = type.GetElementType()!;
        if (type.IsPointer || type.IsFunctionPointer) type = typeof(IntPtr);
        il.Emit(OpCodes.Ldtoken, type);
        il.Emit(OpCodes.Call, GetTypeFromHandle);
    }
}
