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

    /// <summary>The trapped method: the woven method itself, or a redirect's armed stub (what a handler calls as the original).</summary>
    public readonly MethodBase Method;
    /// <summary>What the user intercepts: the woven method, or the redirected member the stub calls.</summary>
    public readonly MethodBase Member;
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
    /// <summary>A constructor whose body runs after the trap (a woven one); a redirected constructor is a factory and is not one.</summary>
    public readonly bool IsConstructor;
    public readonly Type ReturnType;
    /// <summary>The redirect stub this target is an instantiation of, or null for a woven method.</summary>
    public readonly RedirectStub? Stub;

    TrapTarget(MethodBase method, FieldInfo flag, Type handlerType)
        : this(method, method, Slots.SlotFor(flag), handlerType, !method.IsStatic, method.DeclaringType, method.GetParameters(), method is ConstructorInfo,
            method is MethodInfo mi ? mi.ReturnType : typeof(void), null)
    {
    }

    TrapTarget(MethodBase method, MethodBase member, int slot, Type? handlerType, bool hasSelf, Type? selfType, ParameterInfo[] parameters,
        bool isConstructor, Type returnType, RedirectStub? stub)
    {
        Method = method;
        Member = member;
        Slot = slot;
        HandlerType = handlerType!;
        HandlerInvoke = handlerType?.GetMethod("Invoke")!;
        HandlerParameters = HandlerInvoke?.GetParameters().Select(p => p.ParameterType).ToArray()!;
        HandlerReturn = HandlerInvoke?.ReturnType!;
        HasSelf = hasSelf;
        SelfType = hasSelf ? selfType : null;
        Parameters = parameters;
        IsConstructor = isConstructor;
        ReturnType = returnType;
        Stub = stub;
    }

    /// <summary>
    /// One instantiation of a redirect stub: <paramref name="armed"/> (closed) takes the receiver first
    /// for instance members; its handler sees the call as the member's.
    /// </summary>
    public static TrapTarget ForStub(RedirectStub stub, MethodInfo armed, Type handlerType, MethodBase member)
    {
        var ps = armed.GetParameters();
        if (stub.Kind == RedirectKind.Twin)
            return new TrapTarget(armed, member, stub.Slot, handlerType, !member.IsStatic, member.DeclaringType, ps, false, armed.ReturnType, stub);
        var hasSelf = stub.Kind is RedirectKind.Instance or RedirectKind.Constrained;
        var self = hasSelf ? ps[0].ParameterType : null;
        if (self is { IsByRef: true }) self = self.GetElementType();
        return new TrapTarget(armed, member, stub.Slot, handlerType, hasSelf, self, hasSelf ? ps.Skip(1).ToArray() : ps, false, armed.ReturnType, stub);
    }

    /// <summary>
    /// The shape a registration on a redirected member is checked against (replacement signature,
    /// result type): the member's own, a constructor read as a factory returning its instance.
    /// It has no flag or handler; the stubs' targets do.
    /// </summary>
    public static TrapTarget ShapeOf(MethodBase member)
    {
        var isCtor = member is ConstructorInfo;
        var hasSelf = !member.IsStatic && !isCtor;
        var returns = isCtor ? member.DeclaringType! : ((MethodInfo)member).ReturnType;
        return new TrapTarget(member, member, 0, null, hasSelf, member.DeclaringType, member.GetParameters(), false, returns, null);
    }

    public RuntimeTypeHandle HandlerHandle => HandlerType?.TypeHandle ?? default;

    public string Name => Describe(Member);

    public static TrapTarget For(MethodBase method) =>
        Woven(method) ?? throw new TrapException(NotWovenMessage(Canonical(method)));

    /// <summary>
    /// The woven method's target; null when it was not woven. Throws for what nothing can trap
    /// (open generics, <c>[NoTrap]</c>, abstract methods without a receiver).
    /// </summary>
    public static TrapTarget? Woven(MethodBase method)
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
        if (!IlScanner.TryFindTrap(method, out var flag, out var handlerType)) return null;

        var target = new TrapTarget(method, flag!, handlerType!);
        return Cache.GetOrAdd(method, target);
    }

    /// <summary>What interception of <paramref name="method"/> (already dispatched for its receiver) attaches to: its trap, or its redirect routes.</summary>
    public static Interception Resolve(MethodBase method, object? instance)
    {
        method = Canonical(method ?? throw new ArgumentNullException(nameof(method)));
        if (Woven(method) is { } woven) return new Interception(woven, null);
        if (NeverTrappedReason(method) is { } never && !IsExternalToWovenCode(method))
            throw new TrapException($"Cannot trap {Describe(method)}: {never}.");
        if (RedirectResolver.Routes(method, instance) is { } routes) return new Interception(ShapeOf(method), routes);
        // Why the native fallback does not reach it either, unless the message already says (a woven assembly's excluded member).
        var native = !RedirectResolver.IsWoven(method.Module.Assembly) && Native.NativeFallback.Unavailable(method) is { } why
            ? $" It is not patched natively either (which would reach calls from code nobody wove): {why}." : "";
        throw new TrapException(NotInterceptableMessage(method) + native);
    }

    /// <summary>A framework member: compiler-generated-looking names there are not the user's lambdas.</summary>
    static bool IsExternalToWovenCode(MethodBase method) => RedirectResolver.IsFramework(method.Module.Assembly);

    static string NotInterceptableMessage(MethodBase method) =>
        RedirectResolver.IsFramework(method.Module.Assembly) ? RedirectResolver.NotRedirectedMessage(method) : NotWovenMessage(method);

    /// <summary>Whether <paramref name="method"/> itself was woven (redirected call sites to it do not count).</summary>
    public static bool IsTrapped(MethodBase method)
    {
        try { return Woven(method) is not null; }
        catch (TrapException) { return false; }
    }

    internal static MethodBase Canonical(MethodBase method)
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

    static string NotWovenMessage(MethodBase method) =>
        NeverTrappedReason(method) is { } never ? $"Cannot trap {Describe(method)}: {never}." : RedirectResolver.NotRedirectedMessage(method);

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
        if (t.IsGenericParameter) return t.Name;
        return Nested(t, t.IsGenericType ? t.GetGenericArguments() : Type.EmptyTypes);
    }

    /// <summary><c>Outer&lt;A&gt;.Inner&lt;B&gt;</c>: a nested type's generic arguments are its outer types' first, then its own.</summary>
    static string Nested(Type t, Type[] arguments)
    {
        var outer = t.DeclaringType;
        var outerCount = outer is { IsGenericType: true } ? outer.GetGenericArguments().Length : 0;
        var prefix = outer is null ? "" : Nested(outer, arguments.Take(outerCount).ToArray()) + ".";
        var own = arguments.Skip(outerCount).ToArray();
        var name = t.Name.Split('`')[0];
        return prefix + name + (own.Length == 0 ? "" : "<" + string.Join(", ", own.Select(TypeName)) + ">");
    }
}
