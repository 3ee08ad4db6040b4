using System;

namespace Trapweave.Tracing;

/// <summary>
/// A trace being recorded, returned by <see cref="Trap.Trace"/> (the current flow and the flows it
/// starts) or <c>Trap.Global.Trace</c> (every flow). <see cref="Stop"/> (or disposing) ends the
/// recording and hands back the trace; <see cref="Snapshot"/> reads it meanwhile.
/// </summary>
public sealed class TraceSession : IDisposable
{
    readonly TraceSessionRegistration _registration;
    readonly object _gate = new();
    CallTrace? _result;

    internal TraceSession(TraceSessionRegistration registration) => _registration = registration;

    /// <summary>The name given in <see cref="CallTraceOptions.Name"/>.</summary>
    public string? Name => _registration.Options.Name;

    /// <summary>Whether every flow's calls are recorded (<c>Trap.Global.Trace</c>), not only the flow that started it.</summary>
    public bool IsGlobal => _registration.IsGlobal;

    /// <summary>False once stopped, or ended with the scope it was started in.</summary>
    public bool IsRecording => !_registration.Disposed;

    /// <summary>The calls recorded so far; calls still running show as not completed.</summary>
    public CallTrace Snapshot() => _result ?? _registration.Builder.Build();

    /// <summary>
    /// Ends the recording (the traced methods' flags are disarmed once no trace is left) and returns
    /// the trace, the same one on every call. Calls still running show as not completed.
    /// </summary>
    public CallTrace Stop()
    {
        lock (_gate)
        {
            if (_result is not null) return _result;
            _registration.Dispose();
            return _result = _registration.Builder.Build(_registration.StoppedAt);
        }
    }

    /// <summary>Same as <see cref="Stop"/>.</summary>
    public void Dispose() => Stop();

    public override string ToString() => $"Trace {(Name is null ? "" : "'" + Name + "' ")}({(IsRecording ? "recording" : "stopped")})";
}
