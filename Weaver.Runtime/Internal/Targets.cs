using System;
using System.Linq;
using System.Reflection;

namespace Trapweave.Internal;

/// <summary>Turns what the user pointed at (a delegate, a method, a receiver) into the method body that runs.</summary>
internal static class Targets
{
    public static (MethodBase Method, object? Instance) FromDelegate(Delegate target)
    {
        if (target.GetInvocationList().Length != 1)
            throw new TrapException("The target delegate combines several methods; pass a single method group such as Calculator.Add.");
        var method = target.Method;
        if (method.Name.StartsWith("<", StringComparison.Ordinal))
            throw new TrapException($"The target {TrapTarget.Describe(method)} is a lambda or local function, not the method to intercept. Pass the method group itself (for example Calculator.Add, or obj.Method).");
        if (method.IsStatic && target.Target is not null)
            throw new TrapException($"The target delegate is bound to the first argument of the static method {TrapTarget.Describe(method)} (an extension method call). Use Trap.Patch(MethodInfo, Delegate) with a replacement taking all parameters.");
        return (method, method.IsStatic ? null : target.Target);
    }

    /// <summary>
    /// The trapped method that executes for <paramref name="method"/> on <paramref name="instance"/>:
    /// for a virtual or interface method, the override the instance's runtime type runs.
    /// </summary>
    public static Interception Resolve(MethodBase method, object? instance)
    {
        if (instance is not null && method is MethodInfo mi && (mi.IsVirtual || mi.DeclaringType!.IsInterface))
            method = Dispatched(mi, instance.GetType());
        return TrapTarget.Resolve(method, instance);
    }

    public static MethodInfo Dispatched(MethodInfo method, Type runtimeType)
    {
        var declaring = method.DeclaringType!;
        if (declaring.IsInterface)
        {
            var map = runtimeType.GetInterfaceMap(declaring);
            var generic = method.IsGenericMethod ? method.GetGenericMethodDefinition() : method;
            for (var i = 0; i < map.InterfaceMethods.Length; i++)
            {
                var im = map.InterfaceMethods[i];
                if (im == generic || (im.MetadataToken == generic.MetadataToken && im.Module == generic.Module))
                {
                    var impl = map.TargetMethods[i];
                    return method.IsGenericMethod ? impl.MakeGenericMethod(method.GetGenericArguments()) : impl;
                }
            }
            return method;
        }

        var baseDef = method.GetBaseDefinition();
        for (var t = runtimeType; t is not null && t != declaring.BaseType; t = t.BaseType)
        {
            foreach (var candidate in t.GetMethods(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (candidate.Name != method.Name && !candidate.Name.EndsWith("." + method.Name, StringComparison.Ordinal)) continue;
                var def = candidate.IsGenericMethod ? candidate : candidate;
                if (def.GetBaseDefinition().MetadataToken == baseDef.MetadataToken && def.GetBaseDefinition().Module == baseDef.Module &&
                    def.GetParameters().Select(p => p.ParameterType).SequenceEqual(method.GetParameters().Select(p => p.ParameterType)) || SameGenericShape(def, method, baseDef))
                {
                    return method.IsGenericMethod && def.IsGenericMethodDefinition ? def.MakeGenericMethod(method.GetGenericArguments()) : def;
                }
            }
        }
        return method;
    }

    static bool SameGenericShape(MethodInfo candidate, MethodInfo method, MethodInfo baseDef) =>
        method.IsGenericMethod && candidate.IsGenericMethodDefinition &&
        candidate.GetBaseDefinition().MetadataToken == baseDef.GetGenericMethodDefinition().MetadataToken &&
        candidate.GetBaseDefinition().Module == baseDef.Module;
}
