using System;
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

        if (!ReturnFits(target.ReturnType, invoke.ReturnType) && !CovariantReturnFits(target, invoke.ReturnType))
            throw Mismatch(target, replacementType, receiverKnown, $"it returns {TrapTarget.TypeName(invoke.ReturnType)}, the method returns {TrapTarget.TypeName(target.ReturnType)}");

        if (q.SequenceEqual(p)) return false;
        if (target.HasSelf && !receiverKnown && q.Length == p.Length + 1 && q.Skip(1).SequenceEqual(p) && SelfFits(target.SelfType!, q[0]))
            return true;
        throw Mismatch(target, replacementType, receiverKnown, "its parameters differ");
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

    static TrapException Mismatch(TrapTarget target, Type replacementType, bool receiverKnown, string why)
    {
        var ps = string.Join(", ", target.Parameters.Select(x => TrapTarget.TypeName(x.ParameterType)));
        var expected = target.ReturnType == typeof(void) ? $"void ({ps})" : $"{TrapTarget.TypeName(target.ReturnType)} ({ps})";
        var withSelf = target.HasSelf && !receiverKnown
            ? $" or, to receive the instance, ({TrapTarget.TypeName(target.SelfType!)}{(target.SelfType!.IsValueType ? " or ref " + TrapTarget.TypeName(target.SelfType!) : "")}, {ps})"
            : "";
        return new TrapException($"The replacement {TrapTarget.TypeName(replacementType)} does not fit {target.Name}: {why}. Use a delegate of signature {expected}{withSelf}.");
    }
}
