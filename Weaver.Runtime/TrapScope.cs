using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using Trapweave.Internal;

namespace Trapweave;

/// <summary>
/// Returned by <see cref="Trap.Scope"/>: collects every registration its whole flow makes while it
/// is open (the flow that opened it, flows it starts, and awaited async methods, whose own
/// AsyncLocal changes would not reach their caller) and ends them all when disposed.
/// </summary>
/// <remarks>
/// A scope is shared by every flow under it: a registration made in one of them is seen by all of
/// them from then on, including flows started before it. Flows outside the scope never see it.
/// </remarks>
public sealed class TrapScope : IDisposable
{
    readonly object _gate = new();
    readonly TrapScope? _outer;
    RegistrationSet _registrations = RegistrationSet.Empty;
    List<Registration>? _globals;
    List<TrapScope>? _children;
    volatile bool _ended;

    TrapScope(TrapScope? parent, TrapScope? outer, string? name)
    {
        Parent = parent;
        _outer = outer;
        Name = name;
    }

    /// <summary>The test (or class, fixture, assembly) this scope was opened for; null for <see cref="Trap.Scope"/>.</summary>
    public string? Name { get; }

    /// <summary>The enclosing scope, whose registrations this scope's flows see too (below their own).</summary>
    internal TrapScope? Parent { get; }

    internal bool IsEnded => _ended;

    /// <summary>This scope's registrations, newest first per slot (read by dispatch).</summary>
    internal RegistrationSet Registrations => Volatile.Read(ref _registrations);

    /// <summary>Opens a scope and makes it the current flow's innermost one.</summary>
    internal static TrapScope Open(string? name, TrapScope? parent)
    {
        var flow = Registry.Flow ?? FlowState.Empty;
        var scope = new TrapScope(parent ?? flow.Scope, flow.Scope, name);
        scope.Parent?.Own(scope);
        Registry.Flow = flow.WithScope(scope);
        return scope;
    }

    /// <summary>Makes this scope the current flow's innermost one.</summary>
    internal void Enter() => Registry.Flow = (Registry.Flow ?? FlowState.Empty).WithScope(this);

    /// <summary>Takes a flow registration into this scope; false once the scope has ended.</summary>
    internal bool TryAdd(Registration registration)
    {
        lock (_gate)
        {
            if (_ended) return false;
            registration.Scope = this;
            RegistrationSet.Update(ref _registrations, static (set, r) => set.With(r), registration);
            return true;
        }
    }

    internal void Remove(Registration registration) =>
        RegistrationSet.Update(ref _registrations, static (set, r) => set.Without(r), registration);

    /// <summary>A process-wide registration made inside this scope: ended (and reported) with it.</summary>
    internal void OwnGlobal(Registration registration)
    {
        lock (_gate)
        {
            if (!_ended)
            {
                (_globals ??= new()).Add(registration);
                registration.Scope = this;
                return;
            }
        }
        registration.Dispose();
    }

    /// <summary>A process-wide registration this scope owns was disposed: the scope no longer keeps it.</summary>
    internal void DisownGlobal(Registration registration)
    {
        lock (_gate) _globals?.Remove(registration);
    }

    void Own(TrapScope child)
    {
        lock (_gate)
        {
            if (!_ended)
            {
                (_children ??= new()).Add(child);
                return;
            }
        }
        child.End();
    }

    void Disown(TrapScope child)
    {
        lock (_gate) _children?.Remove(child);
    }

    /// <summary>Ends every registration made inside this scope.</summary>
    public void Dispose() => End();

    /// <summary>
    /// Ends the scope, its inner scopes and every registration made inside them, and says what would
    /// otherwise have outlived it (process-wide registrations never disposed), or null.
    /// </summary>
    internal string? End()
    {
        List<TrapScope>? children;
        List<Registration>? globals;
        lock (_gate)
        {
            if (_ended) return null;
            _ended = true;
            children = _children;
            globals = _globals;
            _children = null;
            _globals = null;
        }

        StringBuilder? report = null;
        if (children is not null)
            foreach (var child in children)
                if (child.End() is { } inner) (report ??= new()).AppendLine(inner);

        var owned = Registrations.All();
        for (var i = owned.Count - 1; i >= 0; i--) owned[i].Dispose();

        if (globals is not null)
        {
            var leaked = globals.FindAll(g => !g.Disposed);
            foreach (var g in leaked) g.Dispose();
            if (leaked.Count > 0) (report ??= new()).Append(DescribeLeaks(leaked));
        }

        if (Registry.Flow is { } flow && ReferenceEquals(flow.Scope, this))
            Registry.Flow = flow.WithScope(_outer);
        // Nothing keeps an ended scope: not its parent (which may be open for a whole run), nor a
        // thread that dispatched under it and went idle.
        Parent?.Disown(this);
        DispatchThread.ForgetFlowsIn(this);
        return report?.ToString().TrimEnd();
    }

    string DescribeLeaks(List<Registration> leaked)
    {
        // A scope named by a test-framework integration may be a test's, a class's or an assembly's.
        var owner = Name is null ? "this scope" : $"'{Name}'";
        var text = new StringBuilder();
        text.Append("Trapweave: ").Append(leaked.Count == 1 ? "a process-wide registration" : $"{leaked.Count} process-wide registrations")
            .Append(" made in ").Append(owner).Append(leaked.Count == 1 ? " was" : " were")
            .Append(" still active when it ended, and every flow running meanwhile (other tests too) saw it. Trapweave has ended it now:").AppendLine();
        foreach (var r in leaked) text.Append("  Trap.Global.").Append(r.Kind).Append(" on ").AppendLine(r.Subject);
        text.Append("Dispose it before ").Append(owner).Append(" ends (`using var patch = Trap.Global...`), or use Trap.Patch/Trap.When, which are seen by ")
            .Append(owner).AppendLine(" only.");
        return text.ToString();
    }
}
