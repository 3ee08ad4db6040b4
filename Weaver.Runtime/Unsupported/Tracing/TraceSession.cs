using System;

namespace Trapweave.Tracing;

/// <summary>Build for runtimes before .NET 8: <c>Trap.Trace</c> throws, so no session is ever made.</summary>
public sealed class TraceSession : IDisposable
{
    TraceSession() { }

    public string? Name => null;
    public bool IsGlobal => false;
    public bool IsRecording => false;
    public CallTrace Snapshot() => throw UnsupportedRuntime.Exception("TraceSession.Snapshot");
    public CallTrace Stop() => throw UnsupportedRuntime.Exception("TraceSession.Stop");
    public void Dispose() { }
}
