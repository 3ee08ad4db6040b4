using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Reflection;
using System.Threading;

namespace Trapweave.Tracing;

/// <summary>
/// The recording side of a trace: calls are appended as they begin and end, from any number of
/// threads at once, and <see cref="Build"/> takes a snapshot as a <see cref="CallTrace"/> at any time.
/// Arguments are rendered inside <see cref="BeginCall"/>, before the call runs, and results inside
/// <see cref="EndCall"/>, so later changes to the objects never reach the trace. Bounded by
/// <see cref="TraceLimits"/>: past a cap, calls are dropped and counted; nothing here throws into the caller.
/// </summary>
/// <remarks>
/// Lock-free: each call gets an id from one counter and its own slot in chunked, append-only storage;
/// a call's end is written to its own record only. Parent links are ids, so parallel children of one
/// parent never contend; the tree is assembled in <see cref="Build"/>.
/// </remarks>
internal sealed class TraceBuilder
{
    /// <summary>Returned by <see cref="BeginCall"/> for a call not recorded; pass it on as the parent of its callees and to <see cref="EndCall"/>.</summary>
    public const long Dropped = -1;
    /// <summary>The parent id of a root call.</summary>
    public const long NoParent = 0;

    const int ChunkBits = 10;
    const int ChunkSize = 1 << ChunkBits;

    readonly ValueRenderer _renderer;
    readonly TraceLimits _limits;
    readonly TraceCallFilter _filter;
    readonly string? _name;
    readonly TraceProcess _process;
    readonly long _startTimestamp;
    readonly DateTimeOffset _startedAt;
    readonly CallRecord?[]?[] _chunks;
    readonly System.Collections.Concurrent.ConcurrentDictionary<MethodBase, MethodPlan> _plans = new();

    long _lastId;
    long _renderedBytes;
    long _droppedCalls;
    long _droppedValues;
    // 0 none, 1 calls, 2 bytes: the cap hit first.
    int _limitHit;

    public TraceBuilder(ValueRenderer? renderer = null, TraceLimits? limits = null, TraceCallFilter? filter = null,
                        string? name = null, TraceProcess? process = null, long? startTimestamp = null, DateTimeOffset? startedAt = null)
    {
        _renderer = renderer ?? new ValueRenderer();
        _limits = limits ?? TraceLimits.Default;
        _limits.Validate();
        _filter = filter ?? TraceCallFilter.Default;
        _name = name;
        _process = process ?? TraceProcess.Current();
        _startTimestamp = startTimestamp ?? Stopwatch.GetTimestamp();
        _startedAt = startedAt ?? DateTimeOffset.UtcNow;
        _chunks = new CallRecord?[]?[(_limits.MaxCalls + ChunkSize - 1) >> ChunkBits];
    }

    public ValueRenderer Renderer => _renderer;
    public long StartTimestamp => _startTimestamp;

    /// <summary>
    /// Records the start of a call made on this thread. <paramref name="parentId"/> is the id of the
    /// innermost traced call of the caller's flow (<see cref="NoParent"/> at the top; a <see cref="Dropped"/>
    /// parent drops this call too). Returns the call's id, or <see cref="Dropped"/>.
    /// </summary>
    public long BeginCall(long parentId, MethodBase method, object? instance, object?[]? arguments, long flowId,
                          bool isAsync, long timestamp, int threadId)
    {
        try
        {
            if (parentId == Dropped) { Drop(0); return Dropped; }
            long id = Interlocked.Increment(ref _lastId);
            if (id > _limits.MaxCalls) { Drop(1); return Dropped; }

            var plan = Plan(method);
            var rendered = RenderArguments(plan, arguments, out long bytes);
            string? runtimeType = instance is null || method.IsConstructor ? null : TypeNames.FullName(instance.GetType());
            bytes += 2L * ((runtimeType?.Length ?? 0));
            if (Interlocked.Add(ref _renderedBytes, bytes) > _limits.MaxRenderedBytes)
            {
                Interlocked.Add(ref _renderedBytes, -bytes);
                Drop(2);
                return Dropped;
            }
            var record = new CallRecord(id, parentId, method, runtimeType, rendered, flowId, isAsync, timestamp, threadId);
            Store(id, record);
            return id;
        }
        catch (Exception)
        {
            // A broken MethodBase or a runaway renderer: lose this call, never the caller's.
            Drop(0);
            return Dropped;
        }
    }

    /// <summary>
    /// Records the end of a call: for an async method, when its task completed (<paramref name="result"/>
    /// the task's result, not the task). <paramref name="hasResult"/> is false for void methods and
    /// constructors. Ending a <see cref="Dropped"/> call, or one already ended, does nothing.
    /// </summary>
    public void EndCall(long id, long timestamp, int threadId, object? result, bool hasResult, Exception? exception, bool arranged)
    {
        if (id <= 0 || id > Volatile.Read(ref _lastId) || id > _limits.MaxCalls) return;
        try
        {
            var record = Find(id);
            if (record is null || Interlocked.CompareExchange(ref record.State, CallRecord.Ending, CallRecord.Open) != CallRecord.Open) return;

            string? renderedResult = null;
            TracedException? traced = null;
            if (exception is not null)
                traced = RenderException(exception);
            else if (hasResult)
            {
                // An async method's result is its task's: a secret return value stays secret either way.
                var plan = Plan(record.Method);
                renderedResult = plan.ResultSecret ? ValueRenderer.SecretMask : _renderer.RenderValue(result, record.IsAsync ? null : plan.ResultDeclared);
            }

            long bytes = 2L * ((renderedResult?.Length ?? 0) + (traced is null ? 0 : traced.Type.Length + traced.Message.Length + traced.Rendered.Length));
            if (bytes > 0 && Interlocked.Add(ref _renderedBytes, bytes) > _limits.MaxRenderedBytes)
            {
                Interlocked.Add(ref _renderedBytes, -bytes);
                Interlocked.Increment(ref _droppedValues);
                Interlocked.CompareExchange(ref _limitHit, 2, 0);
                renderedResult = null;
                // Keep the fact that it threw, drop the text.
                if (traced is not null) traced = new TracedException(traced.Type, "", "<dropped: trace byte cap>");
            }

            record.EndTimestamp = timestamp;
            record.EndThreadId = threadId;
            record.Result = renderedResult;
            record.Exception = traced;
            record.Arranged = arranged;
            Volatile.Write(ref record.State, CallRecord.Ended);
        }
        catch (Exception)
        {
            // Leave the call open rather than throw into the traced code.
        }
    }

    MethodPlan Plan(MethodBase method) => _plans.GetOrAdd(method, static (m, renderer) => new MethodPlan(m, renderer), _renderer);

    TraceArgument[] RenderArguments(MethodPlan plan, object?[]? arguments, out long bytes)
    {
        bytes = 0;
        int count = plan.Names.Length;
        if (count == 0) return Array.Empty<TraceArgument>();
        var rendered = new TraceArgument[count];
        for (int i = 0; i < count; i++)
        {
            object? value = arguments is not null && i < arguments.Length ? arguments[i] : null;
            // An out parameter holds nothing yet at the call.
            var text = plan.Out[i] ? "<out>" : plan.Secret[i] ? ValueRenderer.SecretMask : _renderer.RenderValue(value, plan.Declared[i]);
            var name = plan.Names[i];
            rendered[i] = new TraceArgument(name, text);
            bytes += 2L * (name.Length + text.Length);
        }
        return rendered;
    }

    TracedException RenderException(Exception exception)
    {
        string message;
        try { message = exception.Message ?? ""; }
        catch (Exception) { message = "<Message threw>"; }
        int max = _renderer.Options.MaxStringLength;
        if (message.Length > max) message = message.Substring(0, max) + "…";
        return new TracedException(exception.GetType().FullName ?? exception.GetType().Name, message, _renderer.Render(exception));
    }

    void Drop(int limit)
    {
        Interlocked.Increment(ref _droppedCalls);
        if (limit != 0) Interlocked.CompareExchange(ref _limitHit, limit, 0);
    }

    void Store(long id, CallRecord record)
    {
        long index = id - 1;
        int chunkIndex = (int)(index >> ChunkBits);
        var chunk = Volatile.Read(ref _chunks[chunkIndex]);
        if (chunk is null)
        {
            var fresh = new CallRecord?[ChunkSize];
            chunk = Interlocked.CompareExchange(ref _chunks[chunkIndex], fresh, null) ?? fresh;
        }
        Volatile.Write(ref chunk[(int)(index & (ChunkSize - 1))], record);
    }

    CallRecord? Find(long id)
    {
        long index = id - 1;
        var chunk = Volatile.Read(ref _chunks[(int)(index >> ChunkBits)]);
        return chunk is null ? null : Volatile.Read(ref chunk[(int)(index & (ChunkSize - 1))]);
    }

    /// <summary>Calls dropped so far (for a recorder's diagnostics).</summary>
    public long DroppedCalls => Volatile.Read(ref _droppedCalls);

    /// <summary>
    /// A snapshot: every call recorded so far in a tree. Calls not yet ended appear with
    /// <see cref="TraceCall.Completed"/> false, timed up to <paramref name="endTimestamp"/> (now by default).
    /// Completed calls shorter than the filter's minimum duration are left out with their subtrees.
    /// </summary>
    public CallTrace Build(long? endTimestamp = null)
    {
        long end = endTimestamp ?? Stopwatch.GetTimestamp();
        long last = Math.Min(Volatile.Read(ref _lastId), _limits.MaxCalls);

        var records = new List<CallRecord>((int)Math.Min(last, int.MaxValue));
        for (long id = 1; id <= last; id++)
            if (Find(id) is { } record) records.Add(record);

        // Read each end once: a call may end while this runs; what was written before its State is visible after it.
        var ended = new Dictionary<long, bool>(records.Count);
        var byId = new Dictionary<long, CallRecord>(records.Count);
        foreach (var record in records)
        {
            byId[record.Id] = record;
            ended[record.Id] = Volatile.Read(ref record.State) == CallRecord.Ended;
        }

        var children = new Dictionary<long, List<CallRecord>>();
        var roots = new List<CallRecord>();
        foreach (var record in records)
        {
            if (record.ParentId != NoParent && byId.ContainsKey(record.ParentId))
            {
                if (!children.TryGetValue(record.ParentId, out var list)) children[record.ParentId] = list = new List<CallRecord>();
                list.Add(record);
            }
            else roots.Add(record);
        }

        long minNs = _filter.MinDurationNs;
        long count = 0;
        // Post-order without recursion: traces of deep recursion must not overflow the stack.
        var built = new Dictionary<long, TraceCall>();
        var stack = new Stack<(CallRecord Record, bool Expanded)>();
        var rootCalls = new List<TraceCall>();
        roots.Sort(ByStart);
        foreach (var list in children.Values) list.Sort(ByStart);
        for (int r = roots.Count - 1; r >= 0; r--) stack.Push((roots[r], false));
        while (stack.Count > 0)
        {
            var (record, expanded) = stack.Pop();
            bool isEnded = ended[record.Id];
            long durationNs = ToNs((isEnded ? record.EndTimestamp : end) - record.StartTimestamp);
            if (!expanded)
            {
                if (isEnded && durationNs < minNs) continue;
                stack.Push((record, true));
                if (children.TryGetValue(record.Id, out var kids))
                    for (int k = kids.Count - 1; k >= 0; k--) stack.Push((kids[k], false));
                continue;
            }
            var childCalls = new List<TraceCall>();
            if (children.TryGetValue(record.Id, out var mine))
                foreach (var kid in mine)
                    if (built.Remove(kid.Id, out var call)) childCalls.Add(call);
            var method = record.Method;
            var node = new TraceCall(
                record.Id, TypeNames.Signature(method), method.DeclaringType is { } d ? TypeNames.FullName(d) : "",
                record.RuntimeType, record.Arguments,
                isEnded ? record.Result : null, isEnded ? record.Exception : null,
                ToNs(record.StartTimestamp - _startTimestamp), Math.Max(0, durationNs), record.ThreadId,
                isEnded ? record.EndThreadId : null, record.FlowId,
                isEnded && record.Arranged, record.IsAsync, isEnded, childCalls);
            count++;
            if (record.ParentId != NoParent && byId.ContainsKey(record.ParentId)) built[record.Id] = node;
            else rootCalls.Add(node);
        }

        TraceTruncation? truncated = null;
        long droppedCalls = Volatile.Read(ref _droppedCalls), droppedValues = Volatile.Read(ref _droppedValues);
        if (droppedCalls > 0 || droppedValues > 0)
            truncated = new TraceTruncation(droppedCalls, droppedValues, Volatile.Read(ref _limitHit) == 2 ? "bytes" : "calls",
                                            _limits.MaxCalls, _limits.MaxRenderedBytes);
        return new CallTrace(_name, _startedAt, Math.Max(0, ToNs(end - _startTimestamp)), _process, _filter, truncated, count, rootCalls);
    }

    static int ByStart(CallRecord a, CallRecord b)
    {
        int c = a.StartTimestamp.CompareTo(b.StartTimestamp);
        return c != 0 ? c : a.Id.CompareTo(b.Id);
    }

    /// <summary>Stopwatch ticks to nanoseconds without overflow for any realistic span.</summary>
    public static long ToNs(long ticks)
    {
        long frequency = Stopwatch.Frequency;
        if (frequency == 1_000_000_000) return ticks;
        return (long)((decimal)ticks * 1_000_000_000m / frequency);
    }

    sealed class CallRecord
    {
        public const int Open = 0, Ending = 1, Ended = 2;

        public CallRecord(long id, long parentId, MethodBase method, string? runtimeType, TraceArgument[] arguments,
                          long flowId, bool isAsync, long startTimestamp, int threadId)
        {
            Id = id;
            ParentId = parentId;
            Method = method;
            RuntimeType = runtimeType;
            Arguments = arguments;
            FlowId = flowId;
            IsAsync = isAsync;
            StartTimestamp = startTimestamp;
            ThreadId = threadId;
        }

        public readonly long Id;
        public readonly long ParentId;
        public readonly MethodBase Method;
        public readonly string? RuntimeType;
        public readonly TraceArgument[] Arguments;
        public readonly long FlowId;
        public readonly bool IsAsync;
        public readonly long StartTimestamp;
        public readonly int ThreadId;

        public int State;
        public long EndTimestamp;
        public int EndThreadId;
        public string? Result;
        public TracedException? Exception;
        public bool Arranged;
    }
}
