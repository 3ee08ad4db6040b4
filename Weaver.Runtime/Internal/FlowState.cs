namespace Trapweave.Internal;

/// <summary>
/// What one async flow carries (the value of <see cref="Registry"/>'s AsyncLocal): the registrations
/// it made while no scope was open, and the innermost <see cref="TrapScope"/> open in it. Immutable:
/// a change installs a new state, so flows forked earlier keep theirs.
/// </summary>
/// <remarks>
/// A scope is shared, not copied: what any flow under it registers goes into the scope itself, so
/// a registration made inside an awaited async method (which cannot change its caller's AsyncLocal
/// values) still reaches the caller while the scope is open.
/// </remarks>
internal sealed class FlowState
{
    public static readonly FlowState Empty = new(RegistrationSet.Empty, null);

    /// <summary>Registrations this flow made outside any scope, newest first per slot.</summary>
    public readonly RegistrationSet Local;

    /// <summary>The innermost scope open in this flow (its parents follow), or null.</summary>
    public readonly TrapScope? Scope;

    FlowState(RegistrationSet local, TrapScope? scope)
    {
        Local = local;
        Scope = scope;
    }

    public FlowState WithLocal(RegistrationSet local) => ReferenceEquals(local, Local) ? this : new FlowState(local, Scope);

    public FlowState WithScope(TrapScope? scope) => ReferenceEquals(scope, Scope) ? this : new FlowState(Local, scope);

    /// <summary>The innermost scope that has not ended: where this flow's registrations go.</summary>
    public TrapScope? OpenScope => Scope is { IsEnded: false } scope ? scope : null;
}
