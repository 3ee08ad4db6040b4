using System;

namespace Trapweave;

/// <summary>Build for runtimes before .NET 8: never created (<see cref="Trap.Scope"/> throws).</summary>
public sealed class TrapScope : IDisposable
{
    TrapScope() { }

    public string? Name => throw UnsupportedRuntime.Exception("TrapScope");
    public void Dispose() => throw UnsupportedRuntime.Exception("TrapScope");
}
