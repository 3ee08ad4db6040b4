using System;
using System.Collections.Generic;

namespace Trapweave.Internal;

/// <summary>
/// What a registration attaches to: a woven method's trap, or the redirect routes of a member that
/// is not woven (one registration per route, disposed together).
/// </summary>
internal sealed class Interception
{
    public Interception(TrapTarget target, IReadOnlyList<RedirectRoute>? routes)
    {
        Target = target;
        Routes = routes;
    }

    /// <summary>The woven method's target, or the redirected member's shape.</summary>
    public readonly TrapTarget Target;
    public readonly IReadOnlyList<RedirectRoute>? Routes;

    /// <summary>Makes and activates one registration per route (or the one for a woven method).</summary>
    public IDisposable Activate(Func<TrapTarget, RedirectRoute?, Registration> make)
    {
        if (Routes is null) return TrapRegistry.Activate(make(Target, null));
        var made = new List<Registration>(Routes.Count);
        try
        {
            foreach (var route in Routes) made.Add((Registration)TrapRegistry.Activate(make(Target, route)));
        }
        catch
        {
            foreach (var registration in made) registration.Dispose();
            throw;
        }
        return made.Count == 1 ? made[0] : new RegistrationGroup(made);
    }
}

/// <summary>The registrations of one user registration on a redirected virtual member (one per route).</summary>
internal sealed class RegistrationGroup : IDisposable
{
    readonly IReadOnlyList<Registration> _registrations;

    public RegistrationGroup(IReadOnlyList<Registration> registrations) => _registrations = registrations;

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
    }
}
