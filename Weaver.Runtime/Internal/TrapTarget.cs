using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Reflection;

namespace Trapweave.Internal;

/// <summary>
/// What the runtime knows about one trapped method (one generic instantiation): its armed flag's
/// slot and the handler delegate type the weaver generated for its signature.
/// </summary>
internal sealed class TrapTarget
{
    static readonly ConcurrentDictionary<MethodBase, TrapTarget> Cache = new();

    public readonly MethodBase Method;
    public readonly int Slot;
    public readonly Type HandlerType;
    public readonly MethodInfo HandlerInvoke;
    /// <summary>The handler's parameters: [self], the method's parameters, then <c>out bool handled</c>.</summary>
    public readonly Type[] HandlerParameters;
    public readonly Type HandlerReturn;
    public readonly bool HasSelf;
    /// <summary>The declared type of <c>this</c> (for value types: the value type itself; handlers take it by ref).</summary>
    public readonly Type? SelfType;
    public readonly ParameterInfo[] Parameters;

    TrapTarget(MethodBase method, FieldInfo flag, Type handlerType)
    {
        Method = method;
        Slot = Slots.SlotFor(flag);
        HandlerType = handlerType;
        HandlerInvoke = handlerType.GetMethod("Invoke")!;
        HandlerParameters = HandlerInvoke.GetParameters().Select(p => p.ParameterType).ToArray();
        HandlerReturn = HandlerInvoke.ReturnType;
        HasSelf = !method.IsStatic;
        SelfType = HasSelf ? method.DeclaringType : null;
        Parameters = method.GetParameters();
    }

    public RuntimeTypeHandle HandlerHandle => HandlerType.TypeHandle;

    public bool IsConstructor => Method is ConstructorInfo;

    public Type ReturnType => Method is MethodInfo mi ? mi.ReturnType : typeof(void);

    public string Name => Describe(Method);

    public static TrapTarget For(MethodBase method)
    {
        if (method is null) throw new ArgumentNullException(nameof(method));
        method = Canonical(method);
        if (Cache.TryGetValue(method, out var known)) return known;

        if (method.ContainsGenericParameters)
            throw new TrapException($"Cannot trap {Describe(method)}: it is an open generic. Trap one instantiation, e.g. typeof(Repo<User>).GetMethod(...).MakeGenericMethod(typeof(int)).");
        if (IsNoTrap(method))
            throw new TrapException($"Cannot trap {Describe(method)}: it is marked [Trapweave.NoTrap] (on the method, its type or its assembly). Remove the attribute to intercept it.");
        if (method.IsAbstract)
            throw new TrapException($"Cannot trap {Describe(method)}: it is abstract and has no body. Arrange on an instance (Trap.When(() => obj.{method.Name}(...))) or on the implementing method.");
        if (!IlScanner.TryFindTrap(method, out var flag, out var handlerType))
            throw new TrapException(NotWovenMessage(method));

        var target = new TrapTarget(method, flag!, handlerType!);
        return Cache.GetOrAdd(method, target);
    }

    public static bool IsTrapped(MethodBase method)
    {
        try { return For(method) is not null; }
        catch (TrapException) { return false; }
    }

    static MethodBase Canonical(MethodBase method)
    {
        var type = method.DeclaringType;
        if (type is null || method.ReflectedType == type) return method;
        return MethodBase.GetMethodFromHandle(method.MethodHandle, type.TypeHandle) ?? method;
    }

    static bool IsNoTrap(MethodBase method)
    {
        if (method.IsDefined(typeof(NoTrapAttribute), false)) return true;
        for (var t = method.DeclaringType; t is not null; t = t.DeclaringType)
            if (t.IsDefined(typeof(NoTrapAttribute), false)) return true;
        if (method is MethodInfo { IsSpecialName: true } accessor && accessor.DeclaringType is { } owner)
        {
            const BindingFlags declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            foreach (var p in owner.GetProperties(declared))
                if ((p.GetMethod == accessor || p.SetMethod == accessor) && p.IsDefined(typeof(NoTrapAttribute), false)) return true;
            foreach (var e in owner.GetEvents(declared))
                if ((e.AddMethod == accessor || e.RemoveMethod == accessor) && e.IsDefined(typeof(NoTrapAttribute), false)) return true;
        }
        return method.Module.Assembly.IsDefined(typeof(NoTrapAttribute), false);
    }

    static string NotWovenMessage(MethodBase method)
    {
        var asm = method.Module.Assembly.GetName().Name;
        var type = method.DeclaringType;
        var pattern = $"{type?.FullName?.Split('`')[0]}::{method.Name}";
        var never = NeverTrappedReason(method);
        if (never is not null) return $"Cannot trap {Describe(method)}: {never}.";
        var why = method.GetMethodBody() is null
            ? "it has no IL body (extern, P/Invoke or runtime-implemented)"
            : $"it was not woven";
        return $"Cannot trap {Describe(method)}: {why}. To intercept it, weave '{asm}': add <Trapweave /> to its FodyWeavers.xml, " +
               $"or in a test project <Trapweave References=\"{asm}\" Self=\"false\" />; make sure Include/Exclude select '{pattern}'; " +
               $"for a framework member, list it in Redirect=\"{pattern}\".";
    }

    /// <summary>Why the weaver never traps <paramref name="method"/> whatever the configuration, else null.</summary>
    static string? NeverTrappedReason(MethodBase method)
    {
        if (method is ConstructorInfo { IsStatic: true }) return "static constructors are never trapped";
        if (method is MethodInfo { Name: "Finalize", IsVirtual: true } f && f.GetParameters().Length == 0 && f.ReturnType == typeof(void))
            return "finalizers are never trapped";
        if (method.CallingConvention.HasFlag(CallingConventions.VarArgs)) return "varargs (__arglist) methods cannot be trapped";
        if (method.GetParameters().Any(p => p.ParameterType == typeof(TypedReference)))
            return "TypedReference parameters cannot be passed on to a replacement, so it is never trapped";
        var generated = method.Name.StartsWith("<", StringComparison.Ordinal);
        for (var t = method.DeclaringType; t is not null && !generated; t = t.DeclaringType)
            generated = t.Name.StartsWith("<", StringComparison.Ordinal) || t.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute), false);
        if (generated)
            return "it is compiler-generated (a lambda, local function or async/iterator state machine); trap the method that declares it instead (for async and iterator methods, the method itself is trapped)";
        return null;
    }

    public static string Describe(MethodBase method)
    {
        var type = method.DeclaringType is { } t ? TypeName(t) + "." : "";
        var generic = method.IsGenericMethod ? "<" + string.Join(", ", method.GetGenericArguments().Select(TypeName)) + ">" : "";
        var ps = string.Join(", ", method.GetParameters().Select(p => TypeName(p.ParameterType)));
        return $"{type}{method.Name}{generic}({ps})";
    }

    public static string TypeName(Type t)
    {
        if (t.IsByRef) return "ref " + TypeName(t.GetElementType()!);
        if (t.IsPointer) return TypeName(t.GetElementType()!) + "*";
        if (t.IsArray) return TypeName(t.GetElementType()!) + "[" + new string(',', t.GetArrayRank() - 1) + "]";
        if (!t.IsGenericType) return t.DeclaringType is { } d && !t.IsGenericParameter ? TypeName(d) + "." + t.Name : t.Name;
        var name = t.Name.Split('`')[0];
        return name + "<" + string.Join(", ", t.GetGenericArguments().Select(TypeName)) + ">";
    }
}
