using System;
using System.Reflection;
using Trapweave.Internal;

namespace Trapweave;

/// <summary>
/// Registers interceptions either for the current async flow (<see cref="Trap"/>'s static methods)
/// or process-wide (<see cref="Trap.Global"/>).
/// </summary>
public sealed class TrapRegistry
{
    internal static readonly TrapRegistry Flow = new(false);
    internal static readonly TrapRegistry ProcessWide = new(true);

    internal TrapRegistry(bool isGlobal) => IsGlobal = isGlobal;

    /// <summary>True for <see cref="Trap.Global"/>: registrations are seen by every flow.</summary>
    public bool IsGlobal { get; }

    /// <summary>
    /// Replaces <paramref name="target"/>'s method with <paramref name="replacement"/>. A target bound to an
    /// instance (<c>obj.Method</c>) replaces calls on that instance only; a static or open-instance target
    /// replaces all calls. Dispose the result to remove exactly this registration.
    /// </summary>
    public IDisposable Patch<TDelegate>(TDelegate target, TDelegate replacement) where TDelegate : Delegate
    {
        if (target is null) throw new ArgumentNullException(nameof(target));
        if (replacement is null) throw new ArgumentNullException(nameof(replacement));
        var (method, instance) = Targets.FromDelegate(target);
        var t = Targets.Resolve(method, instance);
        var passSelf = SignatureCheck.TakesSelf(t, typeof(TDelegate), receiverKnown: instance is not null);
        return Activate(new PatchRegistration(t, IsGlobal, instance, replacement, passSelf));
    }

    /// <summary>
    /// Replaces <paramref name="target"/> for all receivers. For an instance method the replacement may
    /// take the receiver as its first parameter.
    /// </summary>
    public IDisposable Patch(MethodBase target, Delegate replacement)
    {
        if (target is null) throw new ArgumentNullException(nameof(target));
        if (replacement is null) throw new ArgumentNullException(nameof(replacement));
        var t = Targets.Resolve(target, null);
        var passSelf = SignatureCheck.TakesSelf(t, replacement.GetType(), receiverKnown: false);
        return Activate(new PatchRegistration(t, IsGlobal, null, replacement, passSelf));
    }

    internal static IDisposable Activate(Registration registration)
    {
        registration.Activate();
        return registration;
    }
}
