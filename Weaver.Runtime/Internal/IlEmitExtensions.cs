using System;
using System.Reflection.Emit;

namespace Trapweave.Internal;

/// <summary>Short forms for the IL that generated handlers need.</summary>
internal static class IlEmitExtensions
{
    public static void Ldarg(this ILGenerator il, int index)
    {
        switch (index)
        {
            case 0: il.Emit(OpCodes.Ldarg_0); break;
            case 1: il.Emit(OpCodes.Ldarg_1); break;
            case 2: il.Emit(OpCodes.Ldarg_2); break;
            case 3: il.Emit(OpCodes.Ldarg_3); break;
            default:
                if (index <= byte.MaxValue) il.Emit(OpCodes.Ldarg_S, (byte)index);
                else il.Emit(OpCodes.Ldarg, (short)index);
                break;
        }
    }

    public static void LdcI4(this ILGenerator il, int value)
    {
        if (value >= -1 && value <= 8) il.Emit(value switch
        {
            -1 => OpCodes.Ldc_I4_M1, 0 => OpCodes.Ldc_I4_0, 1 => OpCodes.Ldc_I4_1, 2 => OpCodes.Ldc_I4_2,
            3 => OpCodes.Ldc_I4_3, 4 => OpCodes.Ldc_I4_4, 5 => OpCodes.Ldc_I4_5, 6 => OpCodes.Ldc_I4_6,
            7 => OpCodes.Ldc_I4_7, _ => OpCodes.Ldc_I4_8,
        });
        else il.Emit(OpCodes.Ldc_I4, value);
    }

    /// <summary>Pushes the default value of <paramref name="type"/> (a null reference for byref types).</summary>
    public static void EmitDefault(this ILGenerator il, Type type)
    {
        if (type == typeof(void)) return;
        if (type.IsByRef || type.IsPointer)
        {
            il.Emit(OpCodes.Ldc_I4_0);
            il.Emit(OpCodes.Conv_U);
            return;
        }
        var local = il.DeclareLocal(type);
        il.Emit(OpCodes.Ldloca, local);
        il.Emit(OpCodes.Initobj, type);
        il.Emit(OpCodes.Ldloc, local);
    }

    /// <summary>Boxes a value of <paramref name="type"/> on the stack into an object (pointers as <see cref="IntPtr"/>).</summary>
    public static void EmitBox(this ILGenerator il, Type type)
    {
        if (type.IsPointer || type.IsFunctionPointer)
        {
            il.Emit(OpCodes.Conv_I);
            il.Emit(OpCodes.Box, typeof(IntPtr));
        }
        else if (type.IsValueType || type.IsGenericParameter)
        {
            il.Emit(OpCodes.Box, type);
        }
    }

    /// <summary>Converts an object on the stack to <paramref name="type"/> (the inverse of <see cref="EmitBox"/>).</summary>
    public static void EmitUnbox(this ILGenerator il, Type type)
    {
        if (type.IsPointer || type.IsFunctionPointer)
        {
            il.Emit(OpCodes.Unbox_Any, typeof(IntPtr));
        }
        else
        {
            il.Emit(OpCodes.Unbox_Any, type);
        }
    }

    /// <summary>
    /// Unboxes a value <see cref="Invocation"/> has already checked (or handed back as received): a
    /// reference is taken as it is, without castclass, so an object its static type does not describe
    /// (Unsafe.As, as Jint does with arrays) passes through as the original code passed it.
    /// </summary>
    public static void EmitUnboxChecked(this ILGenerator il, Type type)
    {
        if (!type.IsValueType && !type.IsPointer && !type.IsFunctionPointer && !type.IsByRef) return;
        il.EmitUnbox(type);
    }

    public static bool IsRefLike(this Type type)
    {
        var t = type.IsByRef ? type.GetElementType()! : type;
        return t.IsByRefLike || t == typeof(TypedReference);
    }
}
