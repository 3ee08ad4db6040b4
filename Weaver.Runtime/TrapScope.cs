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

    internal TrapScope(TrapScope? parent)
    {
        _parent = parent;
        parent?.Own(this);
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
