using System;
using System.Runtime.CompilerServices;
using System.Threading;

namespace Trapweave.Internal;

/// <summary>
/// One thread's dispatch state, reached through a single thread-static read per armed call: the
/// current flow's registrations (cached by execution-context identity) and this thread's
/// <see cref="Binding"/> of each registration it has called, which holds the handler delegate and
/// whether that handler is running on this thread (for re-entry). A handler never reads a
/// thread-static itself.
/// </summary>
/// <remarks>
/// A thread-static read costs about 3 ns on Linux x64 (a call into the TLS resolver), the largest
/// part of a patch hit; before this object the hit path made three of them (docs/benchmarks.md).
/// </remarks>
internal sealed class DispatchThread
{
    [ThreadStatic] static DispatchThread? t_current;

    /// <summary>This thread's state.</summary>
    public static DispatchThread Current
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => t_current ?? Create();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static DispatchThread Create() => t_current = new DispatchThread(Thread.CurrentThread);

    readonly Thread _thread;

    // The flow's state as of _context. An ExecutionContext never changes once made (setting an
    // AsyncLocal installs a new one), so while the thread's context is the same object, so is the
    // flow's state, and the AsyncLocal need not be read. (The scopes it names change as flows under
    // them register; dispatch reads their registrations afresh on every call.)
    ExecutionContext? _context;
    FlowState? _flow;

    // This thread's handler for each registration, by Registration.Index.
    Binding?[] _bindings = new Binding?[16];

    DispatchThread(Thread thread) => _thread = thread;

    /// <summary>Non-zero while a natively patched call is dispatched on this thread (<see cref="Native.NativeDispatch"/>).</summary>
    public int InNativeDispatch;

    /// <summary>The state of the flow running on this thread (<see cref="Registry.Flow"/>).</summary>
    public FlowState? Flow
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            if (!ExecutionContextAccess.IsAvailable) return Registry.Flow;
            var context = ExecutionContextAccess.Of(_thread);
            return ReferenceEquals(context, _context) ? _flow : Refresh(context);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    FlowState? Refresh(ExecutionContext? context)
    {
        // Read on this thread, whose context is `context` until it runs other code.
        var flow = Registry.Flow;
        _context = context;
        _flow = flow;
        return flow;
    }

    /// <summary>This thread's binding of <paramref name="registration"/> for <paramref name="handlerType"/>, made on first use.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Binding BindingFor(Registration registration, RuntimeTypeHandle handlerType)
    {
        var binding = Existing(registration) ?? Bind(registration, handlerType);
        return binding.HandlerType.Equals(handlerType) ? binding : SiblingFor(binding, handlerType);
    }

    /// <summary>A redirect registration's binding for another stub (another module or instantiation).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    static Binding SiblingFor(Binding primary, RuntimeTypeHandle handlerType)
    {
        for (var s = primary.Sibling; s is not null; s = s.Sibling)
            if (s.HandlerType.Equals(handlerType)) return s;
        var target = primary.Registration.Route!.Accept(handlerType)!;
        var binding = new Binding(primary.Registration, primary.Thread, target, primary) { Sibling = primary.Sibling };
        primary.Sibling = binding;
        return binding;
    }

    /// <summary>Whether <paramref name="registration"/>'s handler is running on this thread.</summary>
    public bool IsRunning(Registration registration) => Existing(registration) is { Running: not 0 };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    Binding? Existing(Registration registration)
    {
        var bindings = _bindings;
        var index = registration.Index;
        return (uint)index < (uint)bindings.Length && bindings[index] is { } binding && ReferenceEquals(binding.Registration, registration)
            ? binding
            : null;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    Binding Bind(Registration registration, RuntimeTypeHandle handlerType)
    {
        var index = registration.Index;
        if (index >= _bindings.Length) Array.Resize(ref _bindings, Math.Max(index + 1, _bindings.Length * 2));
        // An index freed by a disposed registration is reused: the old binding is replaced here
        // (a handler still running through it keeps its own reference).
        var target = registration.Route is { } route ? route.Accept(handlerType)! : registration.Target;
        var binding = new Binding(registration, this, target);
        _bindings[index] = binding;
        return binding;
    }
}
