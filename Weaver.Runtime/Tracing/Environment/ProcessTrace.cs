using System;
using System.Threading;

namespace Trapweave.Tracing;

/// <summary>
/// A whole process traced from the environment: one trace per time window (a new session starts
/// before the previous one stops, so no call falls between them; a call running across the switch
/// is in the earlier trace, not completed), written when the window ends if it recorded anything,
/// and a last one at exit. Files are named <c>&lt;app&gt;.&lt;pid&gt;.&lt;n&gt;</c>.
/// </summary>
internal sealed class ProcessTrace
{
    readonly TraceEnvironmentSettings _settings;
    readonly TraceFiles _files;
    readonly string _baseName;
    readonly Func<CallTraceOptions, TraceSession> _start;
    readonly object _gate = new();
    TraceSession? _current;
    Timer? _timer;
    int _window;
    int _written;
    bool _finished;

    /// <summary><paramref name="start"/> starts a session: <c>Trap.Global.Trace</c> (tests pass a flow-scoped one).</summary>
    public ProcessTrace(TraceEnvironmentSettings settings, TraceFiles files, string appName, Func<CallTraceOptions, TraceSession> start)
    {
        _settings = settings;
        _files = files;
        _start = start;
        _baseName = $"{appName}.{System.Environment.ProcessId}";
    }

    /// <summary>Trace files written so far.</summary>
    public int Written => Volatile.Read(ref _written);

    /// <summary>Starts the first window; <paramref name="useTimer"/>: rotate every window on a timer (the app's case; tests call <see cref="Rotate"/>).</summary>
    public void Start(bool useTimer)
    {
        lock (_gate)
        {
            _current = _start(NextOptions());
            if (useTimer) _timer = new Timer(static self => ((ProcessTrace)self!).Rotate(), this, _settings.Window, _settings.Window);
        }
    }

    /// <summary>Ends the current window: starts the next trace, stops this one and writes it if it has calls.</summary>
    public void Rotate()
    {
        CallTrace? ended;
        string name;
        lock (_gate)
        {
            if (_finished || _current is null) return;
            var previous = _current;
            name = previous.Name!;
            try { _current = _start(NextOptions()); }
            catch (Exception e)
            {
                _current = null; // keep the process running untraced rather than fail it
                EnvironmentTrace.Once("process-start", $"Trapweave: could not start the next trace window: {e.GetType().Name}: {e.Message}. This process is no longer traced.");
            }
            ended = previous.Stop();
        }
        if (ended.CallCount > 0 || ended.Truncated is not null) Write(ended, name);
    }

    /// <summary>At exit: stops and writes the last window (also when it is empty and nothing was written, so a run leaves a trace).</summary>
    public void Finish()
    {
        CallTrace ended;
        lock (_gate)
        {
            if (_finished || _current is null) return;
            _finished = true;
            _timer?.Dispose();
            ended = _current.Stop();
        }
        if (ended.CallCount > 0 || ended.Truncated is not null || Written == 0) Write(ended, ended.Name!);
    }

    CallTraceOptions NextOptions() => _settings.OptionsFor($"{_baseName}.{Interlocked.Increment(ref _window)}");

    void Write(CallTrace trace, string name)
    {
        try
        {
            var (written, error) = _files.Write(trace, name);
            if (written.Count > 0) Interlocked.Increment(ref _written);
            if (error is not null) EnvironmentTrace.Once("process-write", $"Trapweave: a trace of this process ({TraceEnvironmentSettings.DirectoryVariable}) was not written: {error}. Later failures are not reported again.");
        }
        catch (Exception e)
        {
            EnvironmentTrace.Once("process-write", $"Trapweave: a trace of this process was not written: {e.GetType().Name}: {e.Message}.");
        }
    }
}
