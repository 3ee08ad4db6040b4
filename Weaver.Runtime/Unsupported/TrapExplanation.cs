using System;
using System.Collections.Generic;
using System.Reflection;

namespace Trapweave;

/// <summary>Build for runtimes before .NET 8: nothing can be intercepted, and <see cref="Reason"/> says why.</summary>
public sealed class TrapExplanation
{
    internal TrapExplanation(MethodBase member) => Member = member;

    public MethodBase Member { get; }
    public TrapMechanism Mechanism => TrapMechanism.None;
    public bool IsInterceptable => false;
    public IReadOnlyList<RedirectedCallSites> Redirects => Array.Empty<RedirectedCallSites>();
    public int RedirectedCallSiteCount => 0;
    public string? Reason => UnsupportedRuntime.Exception("Trap.Explain").Message;
    public string? NativeLimits => null;
    public bool IsNativelyPatched => false;
    public IReadOnlyList<MethodBase>? InlinedByPrecompiledCode => null;
    public IReadOnlyList<MethodBase> MayHaveInlined => Array.Empty<MethodBase>();
    public IReadOnlyList<MethodBase> ArrangeAsWell => Array.Empty<MethodBase>();

    public override string ToString() => $"{Member.DeclaringType?.Name}.{Member.Name} cannot be intercepted. {Reason}";
}

/// <summary>Build for runtimes before .NET 8: never made.</summary>
public sealed class RedirectedCallSites
{
    RedirectedCallSites() { }

    public Assembly Assembly => throw UnsupportedRuntime.Exception("RedirectedCallSites");
    public MethodBase CalledAs => throw UnsupportedRuntime.Exception("RedirectedCallSites");
    public int CallSites => 0;

    public override string ToString() => "";
}
