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
    static DispatchThread Create()
    {
        // Set first: a natively patched member called below (the first dispatch on a thread comes
        // through here) must find this state, marked as dispatching so that it runs its original,
        // instead of creating another one without end.
        var thread = t_current = new DispatchThread(Thread.CurrentThread);
        thread.InNativeDispatch = 1;
        try
        {
            lock (AllGate)
            {
                if (s_count >= s_pruneAt)
                {
                    Prune();
                    s_pruneAt = s_count < 8 ? 16 : s_count * 2;
                }
                s_all = new Entry(new WeakReference<DispatchThread>(thread), s_all);
                s_count++;
            }
        }
        finally
        {
            thread.InNativeDispatch = 0;
        }
        return thread;
    }

    // Every thread's state (weakly: it dies with its thread), for ForgetFlows. A list of its own
    // rather than a List<T>: no framework code (Array.Copy) that a test may have patched natively.
    static readonly object AllGate = new();
    static Entry? s_all;
    static int s_count;
    static int s_pruneAt = 16;

    sealed class Entry
    {
        public readonly WeakReference<DispatchThread> Thread;
        public Entry? Next;

        public Entry(WeakReference<DispatchThread> thread, Entry? next)
        {
            Thread = thread;
            Next = next;
        }
    }

    /// <summary>Unlinks the entries of threads that have died (under AllGate).</summary>
    static void Prune()
    {
        Entry? previous = null;
        for (var entry = s_all; entry is not null; entry = entry.Next)
        {
            if (entry.Thread.TryGetTarget(out _))
            {
                previous = entry;
                continue;
            }
            if (previous is null) s_all = entry.Next;
            else previous.Next = entry.Next;
            s_count--;
        }
    }

    readonly Thread _thread;

    // The flow's state as of a context. An ExecutionContext never changes once made (setting an
    // AsyncLocal installs a new one), so while the thread's context is the same object, so is the
    // flow's state, and the AsyncLocal need not be read. (The scopes it names change as flows under
    // them register; dispatch reads their registrations afresh on every call.) One object, replaced
    // whole, so another thread can drop it (ForgetFlowsHolding) without tearing the pair.
    FlowCache? _cache;

    sealed class FlowCache
    {
        public readonly ExecutionContext? Context;
        public readonly FlowState? Flow;

        public FlowCache(ExecutionContext? context, FlowState? flow)
        {
            Context = context;
            Flow = flow;
        }
    }

    /// <summary>
    /// One remembered answer of dispatch: for this slot and handler type, the handler of the
    /// registration that takes the call and the binding that counts its running calls (both null:
    /// none does), as of <see cref="Registry.Generation"/>, in the context <see cref="_hotContext"/>.
    /// </summary>
    internal struct HotEntry
    {
        public Delegate? Handler;
        public Binding? Counter;
        public RuntimeTypeHandle HandlerType;
        public int Slot;
        public int Generation;
    }

    /// <summary>The remembered answers, inside this object: the fast path reaches them with no further indirection.</summary>
    [InlineArray(HotSize)]
    internal struct HotEntries
    {
        HotEntry _first;
    }

    // A power of two: an entry is found by the slot's low bits (slots are small, dense integers).
    const int HotSize = 16;

    // Written by this thread under _gate (in the slow path), cleared by others under _gate (when what
    // an entry holds is disposed, or its flow is forgotten); read by this thread without it. The
    // context they hold for is one field: the fast path compares it once.
    HotEntries _hot;
    ExecutionContext? _hotContext;

    // This thread's handler for each registration, by Registration.Index. Written under _gate (by
    // this thread binding, by any thread forgetting a disposed registration's binding), read without it.
    Binding?[] _bindings = new Binding?[16];
    readonly object _gate = new();

    DispatchThread(Thread thread) => _thread = thread;

    /// <summary>A trace handler's call to the original on its way here (<see cref="Tracing.TraceRecorder.Pass"/>), consumed by dispatch's slow path.</summary>
    public Tracing.TraceFrame? PendingPass;

    /// <summary>This thread's current execution context (null where it cannot be read directly).</summary>
    public ExecutionContext? Context => ExecutionContextAccess.IsAvailable ? ExecutionContextAccess.Of(_thread) : null;

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
            var cache = _cache;
            return cache is not null && ReferenceEquals(context, cache.Context) ? cache.Flow : Refresh(context);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    FlowState? Refresh(ExecutionContext? context)
    {
        // Read on this thread, whose context is `context` until it runs other code.
        var flow = Registry.Flow;
        var previous = _cache;
        _cache = new FlowCache(context, flow);
        lock (_gate)
        {
            // Answers hold for a flow's state, not for a context: one made by another AsyncLocal's
            // change (a trace's current call, Activity.Current, a logging scope) over the same state
            // keeps them. Another state's answers go (they hold its registrations).
            if (previous is null || !ReferenceEquals(previous.Flow, flow) || !ReferenceEquals(previous.Context, _hotContext)) ClearHot();
            _hotContext = context;
        }
        return flow;
    }

    /// <summary>
    /// The dispatch answer remembered for <paramref name="slot"/> and <paramref name="handlerType"/>
    /// in this thread's current context, when nothing has been registered or disposed anywhere since
    /// (<see cref="Registry.Generation"/>): the armed call's fast path.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryHot(int slot, RuntimeTypeHandle handlerType, out Delegate? handler, out Binding? counter)
    {
        ref var entry = ref Unsafe.Add(ref Unsafe.As<HotEntries, HotEntry>(ref _hot), slot & (HotSize - 1));
        // An entry is only ever written where ExecutionContextAccess works; an empty one has slot 0,
        // which no trap has. Handles compare as the type objects they wrap.
        if (entry.Slot == slot && entry.Generation == Registry.Generation && entry.HandlerType.Equals(handlerType) &&
            ReferenceEquals(ExecutionContextAccess.Of(_thread), _hotContext))
        {
            handler = entry.Handler;
            counter = entry.Counter;
            return true;
        }
        handler = null;
        counter = null;
        return false;
    }

    /// <summary>
    /// Remembers the answer dispatch found in the current context, as of <paramref name="generation"/>
    /// (read before the search began, so a change made meanwhile makes the entry stale at once).
    /// </summary>
    public void RememberHot(int slot, RuntimeTypeHandle handlerType, int generation, Binding? binding)
    {
        if (!ExecutionContextAccess.IsAvailable) return;
        lock (_gate)
        {
            // The search refreshed the flow for this context (Refresh), unless another thread has
            // since forgotten it: then nothing is remembered until the next search.
            if (!ReferenceEquals(ExecutionContextAccess.Of(_thread), _hotContext) || _cache is null) return;
            ref var entry = ref _hot[slot & (HotSize - 1)];
            entry.Handler = binding?.Handler;
            entry.Counter = binding?.Counter;
            entry.HandlerType = handlerType;
            entry.Slot = slot;
            entry.Generation = generation;
        }
    }

    /// <summary>Forgets every remembered answer (under _gate).</summary>
    void ClearHot()
    {
        for (var i = 0; i < HotSize; i++) _hot[i] = default;
    }

    /// <summary>Forgets this thread's cached flow and remembered answers, from any thread, if the cache is still <paramref name="cache"/>.</summary>
    void DropFlow(FlowCache cache)
    {
        lock (_gate)
        {
            if (Interlocked.CompareExchange(ref _cache, null, cache) != cache) return;
            ClearHot();
            _hotContext = null;
        }
    }

    /// <summary>
    /// Drops every thread's cached flow state that holds <paramref name="registration"/> (disposed,
    /// made outside any scope), so a thread that last dispatched in that flow and went idle does not
    /// keep it, and what it holds, reachable. A thread still running in that flow keeps it through
    /// its context, hidden by its Disposed flag, until that flow ends.
    /// </summary>
    public static void ForgetFlowsHolding(Registration registration) =>
        ForgetFlows(static (flow, registration) => flow.Local.Contains(registration), registration);

    /// <summary>The same for an ended scope: no idle thread keeps it (or the scopes around it) reachable.</summary>
    public static void ForgetFlowsIn(TrapScope scope) =>
        ForgetFlows(static (flow, scope) =>
        {
            for (var s = flow.Scope; s is not null; s = s.Parent)
                if (ReferenceEquals(s, scope)) return true;
            return false;
        }, scope);

    static void ForgetFlows<T>(Func<FlowState, T, bool> holds, T held)
    {
        lock (AllGate)
        {
            Entry? previous = null;
            for (var entry = s_all; entry is not null; entry = entry.Next)
            {
                if (!entry.Thread.TryGetTarget(out var thread))
                {
                    if (previous is null) s_all = entry.Next;
                    else previous.Next = entry.Next;
                    s_count--;
                    continue;
                }
                previous = entry;
                if (thread._cache is { Flow: { } flow } cache && holds(flow, held))
                    thread.DropFlow(cache);
            }
        }
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
        // An index freed by a disposed registration is reused: the old binding is replaced here
        // (a handler still running through it keeps its own reference).
        var target = registration.Route is { } route ? route.Accept(handlerType)! : registration.Target;
        var binding = new Binding(registration, this, target);
        lock (_gate)
        {
            if (index >= _bindings.Length) Array.Resize(ref _bindings, Math.Max(index + 1, _bindings.Length * 2));
            _bindings[index] = binding;
        }
        registration.Bound(binding);
        return binding;
    }

    /// <summary>
    /// Drops <paramref name="binding"/> of a disposed registration (called from any thread), so an
    /// idle thread does not keep the registration, and what it holds, reachable until its index is reused here.
    /// </summary>
    public void Forget(Binding binding)
    {
        lock (_gate)
        {
            var index = binding.Registration.Index;
            if ((uint)index < (uint)_bindings.Length && ReferenceEquals(_bindings[index], binding)) _bindings[index] = null;
            // Nor do the answers remembered for it (its registration is disposed: a call that
            // reads an entry as it is cleared finds no handler, which is right).
            for (var i = 0; i < HotSize; i++)
                if (ReferenceEquals(_hot[i].Counter?.Registration, binding.Registration)) _hot[i] = default;
        }
    }
}
