using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using System.Threading;

namespace Trapweave.Internal;

/// <summary>
/// Where a generated handler's IL goes: a static method of a <see cref="StackTraceHiddenAttribute"/>
/// type in a collectible dynamic assembly of its own, so stack traces through a patched method show
/// the user's code and the woven method, not Trapweave's handler.
/// </summary>
/// <remarks>
/// A <see cref="DynamicMethod"/> would be cheaper to make (~20 µs against ~200 µs here) but cannot
/// carry attributes, and its frame always shows. The assembly ignores access checks to every
/// assembly the handler touches (as a DynamicMethod with skipVisibility would), and is collected
/// with its handler once the registration is gone.
/// </remarks>
internal sealed class HandlerMethod
{
    static readonly ConstructorInfo HiddenAttribute = typeof(StackTraceHiddenAttribute).GetConstructor(Type.EmptyTypes)!;
    static readonly ConstructorInfo IgnoresAccessChecksTo = typeof(IgnoresAccessChecksToAttribute).GetConstructor(new[] { typeof(string) })!;
    static int s_count;

    readonly TypeBuilder? _type;
    readonly MethodInfo _method;

    HandlerMethod(TypeBuilder? type, MethodInfo method, ILGenerator il)
    {
        _type = type;
        _method = method;
        IL = il;
    }

    public ILGenerator IL { get; }

    /// <summary>
    /// Starts a handler named <paramref name="name"/> whose IL may use any member of the assemblies
    /// of <paramref name="accessed"/> (and of the parameter and return types).
    /// </summary>
    public static HandlerMethod Define(string name, Type returnType, Type[] parameters, IEnumerable<Type?> accessed)
    {
        if (Array.Exists(parameters, HasFunctionPointer) || HasFunctionPointer(returnType))
        {
            // Reflection.Emit cannot write function pointer types into a type's metadata; a
            // DynamicMethod can take them (its frame shows in stack traces).
            var dynamic = new DynamicMethod("Trapweave." + name, returnType, parameters, typeof(HandlerMethod).Module, skipVisibility: true);
            return new HandlerMethod(null, dynamic, dynamic.GetILGenerator());
        }
        var id = Interlocked.Increment(ref s_count);
        var assembly = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName("Trapweave.Handler" + id), AssemblyBuilderAccess.RunAndCollect);
        var names = new HashSet<string>(StringComparer.Ordinal) { typeof(HandlerMethod).Assembly.GetName().Name! };
        foreach (var used in accessed) AddAssemblies(used, names);
        AddAssemblies(returnType, names);
        foreach (var parameter in parameters) AddAssemblies(parameter, names);
        foreach (var assemblyName in names)
            assembly.SetCustomAttribute(new CustomAttributeBuilder(IgnoresAccessChecksTo, new object[] { assemblyName }));

        var type = assembly.DefineDynamicModule("Trapweave.Handler" + id)
            .DefineType("Trapweave.Handler", TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Abstract);
        type.SetCustomAttribute(new CustomAttributeBuilder(HiddenAttribute, Array.Empty<object>()));
        // Compiled once at full optimisation, as a DynamicMethod would be: a handler is hot from its first call.
        var method = type.DefineMethod(name, MethodAttributes.Public | MethodAttributes.Static, returnType, parameters);
        method.SetImplementationFlags(MethodImplAttributes.IL | MethodImplAttributes.AggressiveOptimization);
        return new HandlerMethod(type, method, method.GetILGenerator());
    }

    /// <summary>Finishes the type and returns the handler method.</summary>
    public MethodInfo Create() =>
        _type is null ? _method : _type.CreateType().GetMethod(_method.Name, BindingFlags.Public | BindingFlags.Static)!;

    static bool HasFunctionPointer(Type type)
    {
        while (type.HasElementType) type = type.GetElementType()!;
        return type.IsFunctionPointer || (type.IsGenericType && Array.Exists(type.GetGenericArguments(), HasFunctionPointer));
    }

    static void AddAssemblies(Type? type, HashSet<string> names)
    {
        while (type is not null && type.HasElementType)
            type = type.GetElementType();
        if (type is null || type.IsGenericParameter) return;
        if (type.Assembly.GetName().Name is { } name) names.Add(name);
        if (type.IsGenericType)
            foreach (var argument in type.GetGenericArguments()) AddAssemblies(argument, names);
        if (type.DeclaringType is { } outer) AddAssemblies(outer, names);
    }
}
