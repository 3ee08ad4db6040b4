using System;

namespace Trapweave;

/// <summary>.NET Framework build: never created (<see cref="Trap.Scope"/> throws).</summary>
public sealed class TrapScope : IDisposable
{
    TrapScope() { }

    public string? Name => throw NetFrameworkUnsupported.Exception("TrapScope");
    public void Dispose() => throw NetFrameworkUnsupported.Exception("TrapScope");
}
