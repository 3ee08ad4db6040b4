using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace Trapweave.Internal;

/// <summary>Checks that a replacement delegate fits a trapped method, with messages that say what would.</summary>
internal static class SignatureCheck
{
    /// <summary>
    /// Whether <paramref name="replacementType"/> takes the receiver first. Throws <see cref="TrapException"/>
    /// when it fits neither the method's own parameters nor (for instance methods) receiver + parameters.
    /// </summary>
    public static bool TakesSelf(TrapTarget target, Type replacementType, bool receiverKnown)
    {
        var invoke = replacementType.GetMethod("Invoke")!;
        var q = invoke.GetParameters().Select(p => p.ParameterType).ToArray();
        var p = target.Parameters.Select(x => x.ParameterType).ToArray();

        var returnFits = ReturnFits(target.ReturnType, invoke.ReturnType) || CovariantReturnFits(target, invoke.ReturnType);
        if (returnFits && q.SequenceEqual(p)) return false;
        if (returnFits && TakesReceiverFirst(target, q.Length, receiverKnown) && q.Skip(1).SequenceEqual(p) && SelfFits(target.SelfType!, q[0]))
            return true;
        throw Mismatch(target, replacementType, receiverKnown, Differences(target, invoke, receiverKnown, returnFits));
    }

    /// <summary>A replacement with one parameter more than an instance method (not bound to an instance) is read as receiver first.</summary>
    static bool TakesReceiverFirst(TrapTarget target, int replacementParameters, bool receiverKnown) =>
        target.HasSelf && !receiverKnown && replacementParameters == target.Parameters.Length + 1;

    /// <summary>Every part of the replacement's signature that does not fit: return type, receiver, parameter count, each parameter.</summary>
    static List<string> Differences(TrapTarget target, MethodInfo invoke, bool receiverKnown, bool returnFits)
    {
        var differences = new List<string>();
        if (!returnFits)
            differences.Add($"it returns {ReturnName(invoke.ReturnType)}, the method returns {ReturnName(target.ReturnType)}");

        var actual = invoke.GetParameters();
        var offset = 0;
        if (TakesReceiverFirst(target, actual.Length, receiverKnown))
        {
            offset = 1;
            if (!SelfFits(target.SelfType!, actual[0].ParameterType))
                differences.Add($"its first parameter ({Describe(actual[0])}) is taken as the receiver and must be {ReceiverTypes(target.SelfType!)}");
        }
        else if (actual.Length != target.Parameters.Length)
        {
            differences.Add($"it has {Count(actual.Length)}, the method {Count(target.Parameters.Length)}");
        }

        var common = Math.Min(actual.Length - offset, target.Parameters.Length);
        for (var i = 0; i < common; i++)
        {
            var expected = target.Parameters[i];
            var got = actual[i + offset];
            if (got.ParameterType != expected.ParameterType)
                differences.Add($"parameter {i + 1} ({expected.Name}) is {Describe(got)}, the method's is {Describe(expected)}");
        }
        for (var i = common; i < target.Parameters.Length; i++)
            differences.Add($"parameter {i + 1} ({Describe(target.Parameters[i])} {target.Parameters[i].Name}) is missing");
        for (var i = common + offset; i < actual.Length; i++)
            differences.Add($"its parameter {i + 1} ({Describe(actual[i])}) has no counterpart in the method");
        if (differences.Count == 0) differences.Add("its signature differs");
        return differences;
    }

    static string ReturnName(Type type) => type == typeof(void) ? "void" : TrapTarget.TypeName(type);

    static string Count(int n) => n == 1 ? "1 parameter" : $"{n} parameters";

    static string ReceiverTypes(Type self) =>
        self.IsValueType ? $"{TrapTarget.TypeName(self)} or ref {TrapTarget.TypeName(self)}" : $"{TrapTarget.TypeName(self)} or a base type of it";

    /// <summary>A parameter's type with its ref-kind (ref, out, in), as C# writes it.</summary>
    static string Describe(ParameterInfo parameter)
    {
        var type = parameter.ParameterType;
        if (!type.IsByRef) return TrapTarget.TypeName(type);
        var kind = parameter.IsOut && !parameter.IsIn ? "out" : parameter.IsIn && !parameter.IsOut ? "in" : "ref";
        return kind + " " + TrapTarget.TypeName(type.GetElementType()!);
    }

    static bool SelfFits(Type self, Type q)
    {
        if (self.IsValueType) return q == self || q == self.MakeByRefType();
        return !q.IsByRef && q.IsAssignableFrom(self);
    }

    static bool ReturnFits(Type method, Type replacement) =>
        method == replacement || (!method.IsValueType && !method.IsByRef && !method.IsPointer && method != typeof(void) && method.IsAssignableFrom(replacement));

    /// <summary>
    /// An override with a covariant return may be patched through the base signature
    /// (<c>Func&lt;Base&gt;</c> for <c>Derived Clone()</c>); the handler casts the result.
    /// </summary>
    static bool CovariantReturnFits(TrapTarget target, Type replacement) =>
        NeedsReturnCast(target.ReturnType, replacement) && target.Method is MethodInfo { IsVirtual: true } mi && mi.DeclaringType is { IsInterface: false };

    /// <summary>Whether a replacement returning <paramref name="replacement"/> needs a castclass to the method's return type.</summary>
    public static bool NeedsReturnCast(Type method, Type replacement) =>
        method != replacement && !method.IsValueType && !method.IsByRef && !method.IsPointer && method != typeof(void) &&
        !replacement.IsValueType && !replacement.IsByRef && replacement.IsAssignableFrom(method);

    static TrapException Mismatch(TrapTarget target, Type replacementType, bool receiverKnown, IReadOnlyList<string> differences)
    {
        var ps = string.Join(", ", target.Parameters.Select(Describe));
        var expected = target.ReturnType == typeof(void) ? $"void ({ps})" : $"{TrapTarget.TypeName(target.ReturnType)} ({ps})";
        var withSelf = target.HasSelf && !receiverKnown
            ? $" or, to receive the instance, ({TrapTarget.TypeName(target.SelfType!)}{(target.SelfType!.IsValueType ? " or ref " + TrapTarget.TypeName(target.SelfType!) : "")}{(ps.Length == 0 ? "" : ", " + ps)})"
            : "";
        return new TrapException($"The replacement {TrapTarget.TypeName(replacementType)} does not fit {target.Name}: {string.Join("; ", differences)}. Use a delegate of signature {expected}{withSelf}.");
    }
}
