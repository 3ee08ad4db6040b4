using System;
using System.Collections.Generic;
using System.Reflection;
using System.Reflection.Emit;

namespace Trapweave.Internal.Native;

/// <summary>
/// Copies a method's IL into a <see cref="DynamicMethod"/> (tokens re-resolved into the dynamic
/// method's scope, locals and exception clauses re-encoded): the original's behaviour, callable
/// while its own entry point jumps elsewhere, and never replaced by the runtime's tiering.
/// Instance methods become static ones taking the receiver first (by reference for value types).
/// </summary>
internal static class IlCloner
{


    /// <summary>Why <paramref name="method"/> cannot be cloned, or null when it can.</summary>
    public static string? CannotClone(MethodBase method)
    {
        if (method.ContainsGenericParameters) return "it is an open generic";
        if (method.CallingConvention.HasFlag(CallingConventions.VarArgs)) return "it takes varargs";
        var body = SafeBody(method);
        if (body is null) return "it has no IL (an internal call or intrinsic implemented by the runtime)";
        var il = body.GetILAsByteArray();
        if (il is null) return "its IL cannot be read";
        foreach (var (op, _, _) in Instructions(il))
            if (op.OperandType == OperandType.InlineSig) return "it uses calli, whose signature cannot be moved into a dynamic method";
        return null;
    }

    static MethodBody? SafeBody(MethodBase method)
    {
        try { return method.GetMethodBody(); }
        catch (Exception) { return null; }
    }

    public static DynamicMethod Clone(MethodBase method)
    {
        if (CannotClone(method) is { } why) throw new InvalidOperationException($"Cannot clone {method}: {why}.");
        var body = method.GetMethodBody()!;
        var parameters = new List<Type>();
        if (!method.IsStatic)
        {
            var self = method.DeclaringType!;
            parameters.Add(self.IsValueType ? self.MakeByRefType() : self);
        }
        foreach (var p in method.GetParameters()) parameters.Add(p.ParameterType);
        var returnType = method is MethodInfo mi ? mi.ReturnType : typeof(void);
        var owner = method.DeclaringType is { IsInterface: false, IsArray: false, IsGenericTypeDefinition: false } t ? t : typeof(IlCloner);
        var clone = new DynamicMethod("Original_" + method.Name, returnType, parameters.ToArray(), owner, skipVisibility: true);
        var info = clone.GetDynamicILInfo();

        var typeArgs = method.DeclaringType is { IsGenericType: true } dt ? dt.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var module = method.Module;
        var il = (byte[])body.GetILAsByteArray()!.Clone();
        foreach (var (op, operandAt, token) in Instructions(il))
        {
            int replacement;
            switch (op.OperandType)
            {
                case OperandType.InlineMethod:
                    replacement = MethodToken(info, module.ResolveMethod(token, typeArgs, methodArgs)!);
                    break;
                case OperandType.InlineField:
                    var field = module.ResolveField(token, typeArgs, methodArgs)!;
                    replacement = field.DeclaringType is { IsGenericType: true } fdt
                        ? info.GetTokenFor(field.FieldHandle, fdt.TypeHandle)
                        : info.GetTokenFor(field.FieldHandle);
                    break;
                case OperandType.InlineType:
                    replacement = info.GetTokenFor(module.ResolveType(token, typeArgs, methodArgs).TypeHandle);
                    break;
                case OperandType.InlineTok:
                    replacement = module.ResolveMember(token, typeArgs, methodArgs) switch
                    {
                        Type type => info.GetTokenFor(type.TypeHandle),
                        MethodBase m => MethodToken(info, m),
                        FieldInfo f => f.DeclaringType is { IsGenericType: true } g ? info.GetTokenFor(f.FieldHandle, g.TypeHandle) : info.GetTokenFor(f.FieldHandle),
                        var other => throw new InvalidOperationException($"ldtoken of {other} in {method}"),
                    };
                    break;
                case OperandType.InlineString:
                    replacement = info.GetTokenFor(module.ResolveString(token));
                    break;
                default:
                    continue;
            }
            BitConverter.TryWriteBytes(il.AsSpan(operandAt, 4), replacement);
        }

        var locals = SignatureHelper.GetLocalVarSigHelper();
        foreach (var local in body.LocalVariables)
            locals.AddArgument(local.LocalType, local.IsPinned);
        info.SetLocalSignature(locals.GetSignature());
        info.SetCode(il, body.MaxStackSize);
        if (body.ExceptionHandlingClauses.Count > 0) info.SetExceptions(EncodeClauses(info, body.ExceptionHandlingClauses));
        clone.InitLocals = body.InitLocals;
        return clone;
    }

    static int MethodToken(DynamicILInfo info, MethodBase method) =>
        method.DeclaringType is { IsGenericType: true } g
            ? info.GetTokenFor(method.MethodHandle, g.TypeHandle)
            : info.GetTokenFor(method.MethodHandle);

    /// <summary>A fat exception-handling section (ECMA-335 II.25.4.6) with class tokens in the dynamic scope.</summary>
    static byte[] EncodeClauses(DynamicILInfo info, IList<ExceptionHandlingClause> clauses)
    {
        var bytes = new byte[4 + 24 * clauses.Count];
        var size = bytes.Length;
        bytes[0] = 0x41; // CorILMethod_Sect_EHTable | CorILMethod_Sect_FatFormat
        bytes[1] = (byte)size;
        bytes[2] = (byte)(size >> 8);
        bytes[3] = (byte)(size >> 16);
        for (var i = 0; i < clauses.Count; i++)
        {
            var c = clauses[i];
            var at = 4 + 24 * i;
            void Put(int offset, int value) => BitConverter.TryWriteBytes(bytes.AsSpan(at + offset, 4), value);
            Put(0, (int)c.Flags);
            Put(4, c.TryOffset);
            Put(8, c.TryLength);
            Put(12, c.HandlerOffset);
            Put(16, c.HandlerLength);
            Put(20, c.Flags switch
            {
                ExceptionHandlingClauseOptions.Clause => info.GetTokenFor(c.CatchType!.TypeHandle),
                ExceptionHandlingClauseOptions.Filter => c.FilterOffset,
                _ => 0,
            });
        }
        return bytes;
    }

    /// <summary>Each instruction: its opcode, where its operand starts, and the operand as a 32-bit token (when it is one).</summary>
    static IEnumerable<(OpCode Op, int OperandAt, int Token)> Instructions(byte[] il)
    {
        for (var i = 0; i < il.Length;)
        {
            if (!IlOpCodes.TryRead(il, i, out var op, out var at, out var next))
                throw new InvalidOperationException($"Unknown operand type at IL offset {i}.");
            if (IlOpCodes.HasToken(op)) yield return (op, at, BitConverter.ToInt32(il, at));
            i = next;
        }
    }
}
