using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using System.Threading;

namespace Trapweave.Internal;

/// <summary>
/// Where a generated handler's IL goes: a static method of a <see cref="StackTraceHiddenAttribute"/>
/// type in a collectible dynamic assembly, so stack traces through a patched method show the user's
/// code and the woven method, not Trapweave's handler.
/// </summary>
/// <remarks>
/// A <see cref="DynamicMethod"/> would be cheaper to make (~20 µs against ~200 µs here) but cannot
/// carry attributes, and its frame always shows. The assembly ignores access checks to every
/// assembly the handler touches (as a DynamicMethod with skipVisibility would), and is collected
/// once none of its handlers is reachable. Handlers touching the same assemblies share one
/// (<see cref="SharedAssembly"/>, up to <see cref="HandlersPerAssembly"/> each): an assembly of its
/// own per handler costs the process several memory mappings, and a pass-through interceptor on
/// every method of Jint (thousands of handlers) exhausted Linux's 65,530 and crashed the runtime.
/// </remarks>
internal sealed class HandlerMethod
{
    static readonly ConstructorInfo HiddenAttribute = typeof(StackTraceHiddenAttribute).GetConstructor(Type.EmptyTypes)!;
    static readonly ConstructorInfo IgnoresAccessChecksTo = typeof(IgnoresAccessChecksToAttribute).GetConstructor(new[] { typeof(string) })!;
    static int s_count;

    /// <summary>How many handlers one dynamic assembly holds before another is started.</summary>
    internal const int HandlersPerAssembly = 256;

    const string OwnerField = "Owner";

    /// <summary>
    /// Shared assemblies not in use by a handler being built, by the assemblies they may access; held
    /// weakly: what keeps one alive is its handlers (each handler type's <c>Owner</c> field), so an
    /// assembly whose handlers are all gone is collected, and the load contexts it uses can unload.
    /// </summary>
    static readonly ConcurrentDictionary<string, ConcurrentBag<WeakReference<SharedAssembly>>> s_idle = new(StringComparer.Ordinal);

    readonly TypeBuilder? _type;
    readonly MethodInfo _method;
    readonly SharedAssembly? _shared;
    readonly string? _key;

    HandlerMethod(TypeBuilder? type, MethodInfo method, ILGenerator il, SharedAssembly? shared = null, string? key = null)
    {
        _type = type;
        _method = method;
        IL = il;
        _shared = shared;
        _key = key;
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
        var accessible = new Dictionary<string, Assembly>(StringComparer.Ordinal) { [typeof(HandlerMethod).Assembly.GetName().Name!] = typeof(HandlerMethod).Assembly };
        foreach (var used in accessed) AddAssemblies(used, accessible);
        AddAssemblies(returnType, accessible);
        foreach (var parameter in parameters) AddAssemblies(parameter, accessible);
        // The same names in another load context are other assemblies: keyed apart, so one context's
        // handlers never keep another's assemblies alive.
        var key = string.Join("|", accessible.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "#" + RuntimeHelpers.GetHashCode(p.Value)));
        // A shared assembly is used by one handler at a time: taken here, given back by Create.
        SharedAssembly? shared = null;
        if (s_idle.TryGetValue(key, out var idle))
            while (shared is null && idle.TryTake(out var candidate)) candidate.TryGetTarget(out shared);
        shared ??= new SharedAssembly(accessible.Keys, ContextOf(accessible.Values));

        var type = shared.Module.DefineType("Trapweave.Handler" + Interlocked.Increment(ref s_count), TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Abstract);
        type.SetCustomAttribute(new CustomAttributeBuilder(HiddenAttribute, Array.Empty<object>()));
        type.DefineField(OwnerField, typeof(object), FieldAttributes.Public | FieldAttributes.Static);
        // Compiled once at full optimisation, as a DynamicMethod would be: a handler is hot from its first call.
        var method = type.DefineMethod(name, MethodAttributes.Public | MethodAttributes.Static, returnType, parameters);
        method.SetImplementationFlags(MethodImplAttributes.IL | MethodImplAttributes.AggressiveOptimization);
        return new HandlerMethod(type, method, method.GetILGenerator(), shared, key);
    }

    /// <summary>A collectible dynamic assembly that ignores access checks to a fixed set of assemblies, holding handlers.</summary>
    sealed class SharedAssembly
    {
        public SharedAssembly(IEnumerable<string> accessible, AssemblyLoadContext? context)
        {
            var id = Interlocked.Increment(ref s_count);
            // Defined in the load context of the code it serves, the assembly binds the names in its
            // signatures as that code does: a woven library in a context of its own with a newer copy of
            // a framework assembly (protobuf-net's System.Collections.Immutable 10.0 beside Markdig on
            // .NET 9) gets that copy's types, not the default context's (whose FrozenSet<T> made the
            // handler delegate's Invoke "Method not found").
            using var scope = context?.EnterContextualReflection();
            var assembly = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName("Trapweave.Handlers" + id), AssemblyBuilderAccess.RunAndCollect);
            foreach (var assemblyName in accessible)
                assembly.SetCustomAttribute(new CustomAttributeBuilder(IgnoresAccessChecksTo, new object[] { assemblyName }));
            Module = assembly.DefineDynamicModule("Trapweave.Handlers" + id);
        }

        public ModuleBuilder Module { get; }
        public int Handlers { get; set; }
    }

    /// <summary>The load context other than the default one that the handler's assemblies live in, if any.</summary>
    static AssemblyLoadContext? ContextOf(IEnumerable<Assembly> assemblies)
    {
        foreach (var assembly in assemblies)
            if (AssemblyLoadContext.GetLoadContext(assembly) is { } context && context != AssemblyLoadContext.Default) return context;
        return null;
    }

    /// <summary>Finishes the type and returns the handler method.</summary>
    public MethodInfo Create()
    {
        if (_type is null) return _method;
        var type = _type.CreateType();
        type.GetField(OwnerField)!.SetValue(null, _shared);
        // Given back only once finished: a handler whose IL failed leaves its assembly to the collector.
        if (++_shared!.Handlers < HandlersPerAssembly)
            s_idle.GetOrAdd(_key!, _ => new ConcurrentBag<WeakReference<SharedAssembly>>()).Add(new WeakReference<SharedAssembly>(_shared));
        return type.GetMethod(_method.Name, BindingFlags.Public | BindingFlags.Static)!;
    }

    static bool HasFunctionPointer(Type type)
    {
        while (type.HasElementType) type = type.GetElementType()!;
        return type.IsFunctionPointer || (type.IsGenericType && Array.Exists(type.GetGenericArguments(), HasFunctionPointer));
    }

    static void AddAssemblies(Type? type, Dictionary<string, Assembly> assemblies)
    {
        while (type is not null && type.HasElementType)
            type = type.GetElementType();
        if (type is null || type.IsGenericParameter) return;
        if (type.Assembly.GetName().Name is { } name) assemblies[name] = type.Assembly;
        if (type.IsGenericType)
            foreach (var argument in type.GetGenericArguments()) AddAssemblies(argument, assemblies);
        if (type.DeclaringType is { } outer) AddAssemblies(outer, assemblies);
    }
}
