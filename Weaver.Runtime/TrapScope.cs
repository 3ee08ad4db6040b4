using System;
using System.Collections.Generic;
using Trapweave.Internal;

namespace Trapweave;

/// <summary>
/// Returned by <see cref="Trap.Scope"/>: owns every registration made inside it (in this flow and
/// the flows it starts) and ends them all when disposed.
/// </summary>
public sealed class TrapScope : IDisposable
{
    readonly List<IDisposable> _owned = new();
    readonly TrapScope? _parent;
    bool _disposed;

    internal TrapScope(TrapScope? parent, string? name = null)
    {
        _parent = parent;
        Name = name;
        parent?.Own(this);
    }

    /// <summary>The test (or class, fixture, assembly) this scope was opened for; null for <see cref="Trap.Scope"/>.</summary>
    public string? Name { get; }

    internal static TrapScope Open(string name, TrapScope? parent)
    {
        var flow = Registry.Flow ?? RegistrationSet.Empty;
        var scope = new TrapScope(parent ?? flow.Scope, name);
        Registry.Flow = flow.WithScope(scope);
        return scope;
    }

    internal void Enter() => Registry.Flow = (Registry.Flow ?? RegistrationSet.Empty).WithScope(this);

    internal string? End()
    {
        Dispose();
        return null;
    }

    internal void Own(IDisposable registration)
    {
        lock (_owned)
        {
            if (_disposed) { registration.Dispose(); return; }
            _owned.Add(registration);
        }
    }

    public void Dispose()
    {
        IDisposable[] owned;
        lock (_owned)
        {
            if (_disposed) return;
            _disposed = true;
            owned = _owned.ToArray();
            _owned.Clear();
        }
        for (var i = owned.Length - 1; i >= 0; i--) owned[i].Dispose();
        if (Registry.Flow is { } flow && ReferenceEquals(flow.Scope, this))
            Registry.Flow = flow.WithScope(_parent);
    }
}
