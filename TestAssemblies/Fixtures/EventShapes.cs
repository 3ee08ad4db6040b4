using System;
using System.Collections.Generic;

namespace Fixtures;

public class Publisher
{
    // Field-like event: the compiler writes add/remove with an interlocked loop.
    public event EventHandler Changed;

    readonly List<Action<int>> _handlers = new();

    // Custom accessors.
    public event Action<int> Ticked
    {
        add => _handlers.Add(value);
        remove => _handlers.Remove(value);
    }

    public static event Action StaticEvent;

    public int HandlerCount => _handlers.Count;

    public void RaiseChanged() => Changed?.Invoke(this, EventArgs.Empty);

    public void Tick(int n)
    {
        foreach (var h in _handlers) h(n);
    }

    public static void RaiseStatic() => StaticEvent?.Invoke();
}
