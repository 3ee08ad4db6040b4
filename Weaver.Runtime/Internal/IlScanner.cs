using System;
using System.Collections.Generic;
using System.Reflection;
using System.Reflection.Emit;

namespace Trapweave.Internal;

/// <summary>
/// Reads a woven method's IL to find its armed flag (the first <c>ldsfld</c> of the trap table)
/// and its handler delegate type: the <c>ldtoken</c> in the trap table's dispatcher the armed block
/// calls (resolved in the method's generic context, so the closed handler type of that
/// instantiation), or in the armed block itself (a native twin's). The prologue is the only place
/// these appear, so their presence is also the proof that a method was woven.
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

        // The armed block is appended after the body: its call to the dispatcher is the last call.
        var calls = new List<int>();
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
            else if (flag is not null && op == OpCodes.Call.Value)
            {
                calls.Add(token);
            }
        }
        for (var i = calls.Count - 1; i >= 0; i--)
        {
            if (SafeResolveMethod(module, calls[i], typeArgs, methodArgs) is { DeclaringType.FullName: WovenNames.TrapTable } dispatcher)
            {
                handlerType = HandlerOf(dispatcher);
                return handlerType is not null;
            }
        }
        return false;
    }

    /// <summary>
    /// The armed flag of a woven method (its first <c>ldsfld</c> of the trap table), else null: enough
    /// to index a whole module's traps (tracing), where the handler type is only needed later, per call.
    /// </summary>
    public static FieldInfo? FindFlag(MethodBase method)
    {
        byte[]? il;
        try { il = method.GetMethodBody()?.GetILAsByteArray(); }
        catch (Exception) { return null; }
        if (il is null) return null;
        foreach (var (op, token) in TokenOperands(il))
        {
            if (op != OpCodes.Ldsfld.Value) continue;
            if (SafeResolveField(method.Module, token) is { DeclaringType.FullName: WovenNames.TrapTable } flag) return flag;
        }
        return null;
    }

    /// <summary>The handler type a (closed) dispatcher of the trap table looks up: its one <c>ldtoken</c>.</summary>
    static Type? HandlerOf(MethodBase dispatcher)
    {
        byte[]? il;
        try { il = dispatcher.GetMethodBody()?.GetILAsByteArray(); }
        catch (Exception) { return null; }
        if (il is null) return null;
        var methodArgs = dispatcher.IsGenericMethod ? dispatcher.GetGenericArguments() : null;
        foreach (var (op, token) in TokenOperands(il))
        {
            if (op != OpCodes.Ldtoken.Value) continue;
            var type = SafeResolveType(dispatcher.Module, token, null, methodArgs);
            return type?.DeclaringType?.FullName == WovenNames.TrapTable ? type : null;
        }
        return null;
    }

    static MethodBase? SafeResolveMethod(Module module, int token, Type[]? typeArgs, Type[]? methodArgs)
    {
        try { return module.ResolveMethod(token, typeArgs, methodArgs); }
        catch (Exception) { return null; }
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
                if (called.DeclaringType?.FullName == WovenNames.TrapTable) continue;
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
