using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace Trapweave.Internal;

/// <summary>
/// Finds how calls reach a member that is not woven: the routes of call sites redirected to it in
/// woven assemblies (<see cref="RedirectRoute"/>), or why there are none, with the fix.
/// </summary>
internal static class RedirectResolver
{
    /// <summary>The members whose call sites dispatch to <paramref name="member"/>: itself, the definitions it overrides, the interface methods it implements.</summary>
    public static List<MethodBase> CalledAs(MethodBase member, object? instance)
    {
        var called = new List<MethodBase> { member };
        if (member is not MethodInfo { IsStatic: false } method) return called;
        void Add(MethodBase m)
        {
            if (!called.Any(c => RedirectRoute.Same(c, m))) called.Add(m);
        }
        if (method.IsVirtual && method.DeclaringType is { IsInterface: false } declaring)
        {
            var root = method.GetBaseDefinition();
            for (var t = declaring.BaseType; t is not null; t = t.BaseType)
            {
                foreach (var candidate in t.GetMethods(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                {
                    if (candidate.Name != method.Name || !candidate.IsVirtual) continue;
                    var baseDefinition = candidate.GetBaseDefinition();
                    if (baseDefinition.MetadataToken != root.MetadataToken || baseDefinition.Module != root.Module) continue;
                    Add(method.IsGenericMethod && candidate.IsGenericMethodDefinition ? candidate.MakeGenericMethod(method.GetGenericArguments()) : candidate);
                }
                if (t == root.DeclaringType) break;
            }
        }
        var receiverType = instance?.GetType() ?? method.DeclaringType!;
        if (receiverType.IsInterface || method.DeclaringType!.IsInterface) return called;
        foreach (var face in SafeInterfaces(receiverType))
        {
            InterfaceMapping map;
            try { map = receiverType.GetInterfaceMap(face); }
            catch (Exception) { continue; }
            var implementation = method.IsGenericMethod ? method.GetGenericMethodDefinition() : method;
            for (var i = 0; i < map.TargetMethods.Length; i++)
            {
                var target = map.TargetMethods[i];
                if (target.MetadataToken != implementation.MetadataToken || target.Module != implementation.Module) continue;
                var im = map.InterfaceMethods[i];
                Add(method.IsGenericMethod ? im.MakeGenericMethod(method.GetGenericArguments()) : im);
            }
        }
        return called;
    }

    static Type[] SafeInterfaces(Type type)
    {
        try { return type.GetInterfaces(); }
        catch (Exception) { return Type.EmptyTypes; }
    }

    /// <summary>
    /// The routes to <paramref name="member"/>, when some loaded (or referenced) woven assembly calls it
    /// through a redirect stub; else null.
    /// </summary>
    public static List<RedirectRoute>? Routes(MethodBase member, object? instance)
    {
        var called = CalledAs(member, instance);
        // Calls from code nobody wove reach the member's own body: patched natively when it can be.
        var native = Native.NativeFallback.Prepare(member, out _);
        // A twin left from earlier counts only while the fallback may patch (it is switched off otherwise).
        bool AnyStub() => called.Any(c => RedirectIndex.For(RedirectRoute.DefinitionOf(c)).Any(stub => stub.Kind != RedirectKind.Twin || native is not null));
        if (!AnyStub())
        {
            RedirectIndex.LoadReferencedAssemblies();
            if (!AnyStub()) return null;
        }
        // On every receiver of a virtual member, a call site of it (or of what it overrides or
        // implements) is taken only when the receiver runs this member.
        var checksDispatch = instance is null && member is MethodInfo { IsVirtual: true } m && m.DeclaringType is { IsValueType: false };
        return called.Select(c => new RedirectRoute(c, member, checksDispatch) { Native = RedirectRoute.Same(c, member) ? native : null }).ToList();
    }

    /// <summary>Whether <paramref name="assembly"/> is part of the installed .NET (it is never woven; its members are redirected).</summary>
    public static bool IsFramework(Assembly assembly) => FrameworkAssemblies.Contains(assembly);

    /// <summary><c>Namespace.Outer+Inner::Member</c>, as Redirect and Include/Exclude patterns write it (generic types without arity).</summary>
    public static string PatternOf(MethodBase member)
    {
        var type = member.DeclaringType!;
        if (type.IsGenericType) type = type.GetGenericTypeDefinition();
        return TypePattern(type) + "::" + member.Name;
    }

    static string TypePattern(Type type)
    {
        var name = type.Name;
        var tick = name.IndexOf('`');
        if (tick >= 0) name = name.Substring(0, tick);
        if (type.DeclaringType is { } outer) return TypePattern(outer) + "+" + name;
        return string.IsNullOrEmpty(type.Namespace) ? name : type.Namespace + "." + name;
    }

    /// <summary>
    /// Why registering on <paramref name="member"/>, neither woven nor reached by a redirected call
    /// site, cannot take effect, and the fix: for .NET's own members, Redirect; for a library's,
    /// weaving it (or Redirect); for an excluded member of a woven assembly, Include/Exclude.
    /// </summary>
    public static string NotRedirectedMessage(MethodBase member)
    {
        var assembly = member.Module.Assembly;
        var asm = assembly.GetName().Name;
        var pattern = PatternOf(member);
        var what = TrapTarget.Describe(member);
        const string notRedirected = "no call to it in the woven assemblies loaded in this process is redirected";
        var redirect = $"add Redirect=\"{pattern}\" (it matches every overload) to the <Trapweave> element of the FodyWeavers.xml that weaves the calling code " +
                       "(in a test project, the one with References=\"...\"), and rebuild";
        const string already = " If Redirect (or the default set) names it already, no woven assembly loaded or referenced here calls it.";

        if (IsFramework(assembly))
            return $"Cannot intercept {what}: it is part of .NET ({asm}), which is never woven, and {notRedirected}. " +
                   $"To intercept the calls woven code makes to it, {redirect}. " +
                   "Calls from code that is not woven, such as the test assembly itself, cannot be intercepted." + already;
        if (IsWoven(assembly) && member.GetMethodBody() is not null)
            return $"Cannot intercept {what}: {asm} is woven, but Include/Exclude in the FodyWeavers.xml that weaves it leave this method out. " +
                   $"Make them select '{pattern}' and rebuild.";
        var why = member.GetMethodBody() is null
            ? $"it has no IL body (extern, P/Invoke or runtime-implemented), so weaving {asm} cannot trap it, and {notRedirected}. To intercept the calls woven code makes to it, {redirect}."
            : $"{asm} is not woven, and {notRedirected}. Either weave {asm} (<Trapweave /> in its project's FodyWeavers.xml, or <Trapweave References=\"{asm}\" Self=\"false\" /> " +
              $"in a test project; Include/Exclude must select '{pattern}'), which intercepts every call to it; or, to intercept the calls woven code makes to it, {redirect}.";
        return $"Cannot intercept {what}: {why} Redirect reaches only calls from woven code: calls from code that is not woven, such as the test assembly itself, are not intercepted that way." + already;
    }

    /// <summary>Whether <paramref name="assembly"/> was woven (it has the weaver's trap table).</summary>
    public static bool IsWoven(Assembly assembly)
    {
        try { return assembly.GetType(WovenNames.TrapTable, throwOnError: false) is not null; }
        catch (Exception) { return false; }
    }
}
