using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using System.Threading;

namespace Trapweave.Internal.Native;

/// <summary>
/// Makes, for a member nobody wove, the method its native patch jumps to: a <em>twin</em> with the
/// member's calling shape (an instance method for an instance member, of a struct for a value-type
/// receiver, so <c>this</c> and a hidden return buffer arrive where the member's callers put them),
/// carrying the same trap prologue the weaver writes, whose body calls a copy of the member's IL
/// (<see cref="IlCloner"/>: a DynamicMethod, compiled once and never replaced by tiering) through a
/// function pointer (<c>calli</c>: emitted types cannot name a DynamicMethod). The twin is indexed as one more stub of the member
/// (<see cref="RedirectIndex.AddTwin"/>): registrations reach it exactly as they reach call-site stubs.
/// </summary>
internal static class NativeTwinFactory
{
    static readonly ConstructorInfo IgnoresAccessChecksTo = typeof(IgnoresAccessChecksToAttribute).GetConstructor(new[] { typeof(string) })!;
    static readonly MethodInfo Lookup = typeof(TrapDispatch).GetMethod(nameof(TrapDispatch.LookupNative), BindingFlags.NonPublic | BindingFlags.Static)!;
    static readonly object Gate = new();
    static ModuleBuilder? s_module;
    static AssemblyBuilder? s_assembly;
    static readonly HashSet<string> Friends = new(StringComparer.Ordinal);
    static int s_count;

    public sealed record Twin(MethodInfo Method, FieldInfo Flag, Type HandlerType, DynamicMethod Original);

    public static Twin Create(MethodBase member)
    {
        lock (Gate)
        {
            var module = Module();
            Befriend(member.Module.Assembly);
            foreach (var p in member.GetParameters()) Befriend(p.ParameterType);
            if (member is MethodInfo mi) Befriend(mi.ReturnType);

            var id = Interlocked.Increment(ref s_count);
            var declaring = member.DeclaringType!;
            var valueReceiver = !member.IsStatic && declaring.IsValueType;
            var type = valueReceiver
                ? module.DefineType($"Trapweave.Native.Twin{id}", TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.SequentialLayout, typeof(ValueType))
                : module.DefineType($"Trapweave.Native.Twin{id}", TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Class);
            type.SetCustomAttribute(new CustomAttributeBuilder(typeof(System.Diagnostics.StackTraceHiddenAttribute).GetConstructor(Type.EmptyTypes)!, Array.Empty<object>()));
            var flag = type.DefineField("Flag", typeof(int), FieldAttributes.Public | FieldAttributes.Static);

            var parameters = member.GetParameters().Select(p => p.ParameterType).ToArray();
            var returnType = member is MethodInfo m ? m.ReturnType : typeof(void);
            var self = member.IsStatic ? null : declaring.IsValueType ? declaring.MakeByRefType() : declaring;
            var handler = DefineHandler(type, self, parameters, returnType);

            var original = IlCloner.Clone(member);
            var originalPointer = type.DefineField("Original", typeof(IntPtr), FieldAttributes.Public | FieldAttributes.Static);
            var cloneParameters = new List<Type>();
            if (self is not null) cloneParameters.Add(self);
            cloneParameters.AddRange(parameters);

            var attributes = MethodAttributes.Public | MethodAttributes.HideBySig | (member.IsStatic ? MethodAttributes.Static : 0);
            var twin = type.DefineMethod(member.Name, attributes, returnType, parameters);
            twin.SetImplementationFlags(MethodImplAttributes.IL | MethodImplAttributes.NoInlining);
            EmitTwin(twin.GetILGenerator(), member, flag, handler.Type, handler.Invoke, originalPointer, cloneParameters.ToArray(), returnType);

            handler.Builder.CreateType();
            var created = type.CreateType();
            var flags = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;
            var twinMethod = created.GetMethods(flags).Single(x => x.Name == member.Name);
            created.GetField("Original")!.SetValue(null, FunctionPointer(original));
            return new Twin(twinMethod, created.GetField("Flag")!, created.GetNestedType("H", BindingFlags.Public | BindingFlags.NonPublic)!, original);
        }
    }

    static readonly MethodInfo? GetMethodDescriptor =
        typeof(DynamicMethod).GetMethod("GetMethodDescriptor", BindingFlags.NonPublic | BindingFlags.Instance);

    /// <summary>
    /// A DynamicMethod's entry point, for <c>calli</c> (IL can name neither it nor its handle;
    /// the runtime's own accessor is internal, and its absence makes the native fallback unavailable).
    /// </summary>
    static IntPtr FunctionPointer(DynamicMethod method)
    {
        if (GetMethodDescriptor is null)
            throw new TrapException($"Cannot patch natively on {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}: DynamicMethod.GetMethodDescriptor is missing.");
        var handle = (RuntimeMethodHandle)GetMethodDescriptor.Invoke(method, null)!;
        RuntimeHelpers.PrepareMethod(handle);
        return handle.GetFunctionPointer();
    }

    static ModuleBuilder Module()
    {
        if (s_module is not null) return s_module;
        s_assembly = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName("Trapweave.NativeTwins"), AssemblyBuilderAccess.Run);
        s_module = s_assembly.DefineDynamicModule("Trapweave.NativeTwins");
        Befriend(typeof(TrapDispatch).Assembly);
        return s_module;
    }

    static void Befriend(Type type)
    {
        while (type.HasElementType) type = type.GetElementType()!;
        if (!type.IsGenericParameter) Befriend(type.Assembly);
        if (type.IsGenericType) foreach (var a in type.GetGenericArguments()) Befriend(a);
    }

    static void Befriend(Assembly assembly)
    {
        var name = assembly.GetName().Name!;
        if (Friends.Add(name)) s_assembly!.SetCustomAttribute(new CustomAttributeBuilder(IgnoresAccessChecksTo, new object[] { name }));
    }

    static (TypeBuilder Builder, Type Type, MethodInfo Invoke) DefineHandler(TypeBuilder owner, Type? self, Type[] parameters, Type returnType)
    {
        var handler = owner.DefineNestedType("H", TypeAttributes.NestedPublic | TypeAttributes.Sealed | TypeAttributes.Class, typeof(MulticastDelegate));
        var ctor = handler.DefineConstructor(MethodAttributes.Public | MethodAttributes.HideBySig | MethodAttributes.SpecialName | MethodAttributes.RTSpecialName,
            CallingConventions.Standard, new[] { typeof(object), typeof(IntPtr) });
        ctor.SetImplementationFlags(MethodImplAttributes.Runtime | MethodImplAttributes.Managed);
        var signature = new List<Type>();
        if (self is not null) signature.Add(self);
        signature.AddRange(parameters);
        signature.Add(typeof(bool).MakeByRefType());
        var invoke = handler.DefineMethod("Invoke", MethodAttributes.Public | MethodAttributes.HideBySig | MethodAttributes.NewSlot | MethodAttributes.Virtual,
            returnType, signature.ToArray());
        invoke.SetImplementationFlags(MethodImplAttributes.Runtime | MethodImplAttributes.Managed);
        invoke.DefineParameter(signature.Count, ParameterAttributes.Out, "handled");
        return (handler, handler, invoke);
    }

    static readonly MethodInfo EnterDispatch = typeof(NativeDispatch).GetMethod(nameof(NativeDispatch.Enter))!;
    static readonly MethodInfo ExitDispatch = typeof(NativeDispatch).GetMethod(nameof(NativeDispatch.Exit))!;

    /// <summary>
    /// The weaver's prologue shape (docs/ARCHITECTURE.md) in front of a call to the copied original,
    /// with the armed path inside <see cref="NativeDispatch"/>'s guard.
    /// </summary>
    static void EmitTwin(ILGenerator il, MethodBase member, FieldInfo flag, Type handlerType, MethodInfo invoke, FieldInfo original, Type[] cloneParameters, Type returnType)
    {
        var argCount = cloneParameters.Length;
        var handledLocal = il.DeclareLocal(typeof(bool));
        var handlerLocal = il.DeclareLocal(typeof(Delegate));
        var threadLocal = il.DeclareLocal(typeof(DispatchThread));
        var resultLocal = returnType == typeof(void) ? null : il.DeclareLocal(returnType);
        var armed = il.DefineLabel();
        var body = il.DefineLabel();
        var tryEnd = il.DefineLabel();
        il.Emit(OpCodes.Ldsfld, flag);
        il.Emit(OpCodes.Brtrue, armed);
        il.MarkLabel(body);
        for (var i = 0; i < argCount; i++) il.Ldarg(i);
        il.Emit(OpCodes.Ldsfld, original);
        il.EmitCalli(OpCodes.Calli, CallingConventions.Standard, returnType, cloneParameters, null);
        il.Emit(OpCodes.Ret);

        il.MarkLabel(armed);
        il.Emit(OpCodes.Call, EnterDispatch);
        il.Emit(OpCodes.Dup);
        il.Emit(OpCodes.Stloc, threadLocal);
        il.Emit(OpCodes.Brfalse, body);
        il.BeginExceptionBlock();
        il.Emit(OpCodes.Ldloc, threadLocal);
        il.Emit(OpCodes.Ldsfld, flag);
        il.Emit(OpCodes.Ldtoken, handlerType);
        il.Emit(OpCodes.Call, Lookup);
        il.Emit(OpCodes.Stloc, handlerLocal);
        il.Emit(OpCodes.Ldloc, handlerLocal);
        il.Emit(OpCodes.Brfalse, tryEnd);
        il.Emit(OpCodes.Ldloc, handlerLocal);
        il.Emit(OpCodes.Castclass, handlerType);
        for (var i = 0; i < argCount; i++) il.Ldarg(i);
        il.Emit(OpCodes.Ldloca, handledLocal);
        il.Emit(OpCodes.Callvirt, invoke);
        if (resultLocal is not null) il.Emit(OpCodes.Stloc, resultLocal);
        // Leaving the try (the finally block's start emits the leave) ends the guard either way.
        il.MarkLabel(tryEnd);
        il.BeginFinallyBlock();
        il.Emit(OpCodes.Ldloc, threadLocal);
        il.Emit(OpCodes.Call, ExitDispatch);
        il.EndExceptionBlock();
        il.Emit(OpCodes.Ldloc, handledLocal);
        il.Emit(OpCodes.Brfalse, body);
        if (resultLocal is not null) il.Emit(OpCodes.Ldloc, resultLocal);
        il.Emit(OpCodes.Ret);
    }
}
