using System;
using System.Collections.Generic;
using System.Reflection;
using System.Reflection.Emit;

namespace Trapweave.Internal;

/// <summary>
/// Reads a woven method's IL to find its armed flag (the first <c>ldsfld</c> of the trap table)
/// and its handler delegate type (the <c>ldtoken</c> of the armed block). The prologue is the only
/// place these appear, so their presence is also the proof that a method was woven.
/// </summary>
internal static class IlScanner
{


    public static bool TryFindTrap(MethodBase method, out FieldInfo? flag, out Type? handlerType)
    {
        flag = null;
        handlerType = null;
        byte[]? il;
        try { il = method.GetMethodBody()?.GetILAsByteArray(); }
        catch (Exception) { return false; }
        if (il is null) return false;

        var module = method.Module;
        var typeArgs = method.DeclaringType is { IsGenericType: true } dt ? dt.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;

        foreach (var (op, token) in TokenOperands(il))
        {
            if (flag is null && op == OpCodes.Ldsfld.Value)
            {
                var field = SafeResolveField(module, token);
                if (field?.DeclaringType?.FullName == WovenNames.TrapTable) flag = field;
            }
            else if (flag is not null && op == OpCodes.Ldtoken.Value)
            {
                var type = SafeResolveType(module, token, typeArgs, methodArgs);
                if (type?.DeclaringType?.FullName == WovenNames.TrapTable)
                {
                    handlerType = type;
                    return true;
                }
            }
        }
        return false;
    }

    /// <summary>
    /// Reads an armed redirect stub: its flag and handler type (as <see cref="TryFindTrap"/>), the
    /// member it calls (the first call that is not the trap's own) and whether that call is <c>constrained.</c>.
    /// </summary>
    public static bool TryReadRedirect(MethodInfo armed, out FieldInfo? flag, out Type? handlerType, out MethodBase? member, out bool constrained)
    {
        member = null;
        constrained = false;
        if (!TryFindTrap(armed, out flag, out handlerType)) return false;
        byte[]? il;
        try { il = armed.GetMethodBody()?.GetILAsByteArray(); }
        catch (Exception) { return false; }
        if (il is null) return false;
        var methodArgs = armed.IsGenericMethodDefinition ? armed.GetGenericArguments() : null;
        var previous = (short)0;
        foreach (var (op, token) in TokenOperands(il))
        {
            if (op == OpCodes.Call.Value || op == OpCodes.Callvirt.Value || op == OpCodes.Newobj.Value)
            {
                MethodBase? called;
                try { called = armed.Module.ResolveMethod(token, null, methodArgs); }
                catch (Exception) { return false; }
                if (called is null || called.DeclaringType == typeof(TrapDispatch)) return false;
                // The definition, whatever the instantiation: same token, resolved without context.
                member = called.Module.ResolveMethod(called.MetadataToken);
                constrained = previous == OpCodes.Constrained.Value;
                return member is not null;
            }
            previous = op;
        }
        return false;
    }

    /// <summary>The methods <paramref name="method"/> calls, constructs or takes the address of (tokens that resolve; generic context ignored).</summary>
    public static IEnumerable<MethodBase> CalledMethods(MethodBase method)
    {
        byte[]? il;
        try { il = method.GetMethodBody()?.GetILAsByteArray(); }
        catch (Exception) { yield break; }
        if (il is null) yield break;
        var typeArgs = method.DeclaringType is { IsGenericType: true } dt ? dt.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        foreach (var (op, token) in TokenOperands(il))
        {
            if (op != OpCodes.Call.Value && op != OpCodes.Callvirt.Value && op != OpCodes.Newobj.Value &&
                op != OpCodes.Ldftn.Value && op != OpCodes.Ldvirtftn.Value) continue;
            MethodBase? called;
            try { called = method.Module.ResolveMethod(token, typeArgs, methodArgs); }
            catch (Exception) { continue; }
            if (called is not null) yield return called;
        }
    }

    static FieldInfo? SafeResolveField(Module module, int token)
    {
        try { return module.ResolveField(token); }
        catch (Exception) { return null; }
    }

    static Type? SafeResolveType(Module module, int token, Type[]? typeArgs, Type[]? methodArgs)
    {
        try { return module.ResolveType(token, typeArgs, methodArgs); }
        catch (Exception) { return null; }
    }

    /// <summary>Yields (opcode value, token) for each instruction with a metadata-token operand.</summary>
    static IEnumerable<(short Op, int Token)> TokenOperands(byte[] il)
    {
        var i = 0;
        while (i < il.Length)
        {
            if (!IlOpCodes.TryRead(il, i, out var op, out var at, out var next)) yield break;
            if (IlOpCodes.HasToken(op)) yield return (op.Value, BitConverter.ToInt32(il, at));
            i = next;
        }
    }
}
