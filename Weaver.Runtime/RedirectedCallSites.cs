using System.Reflection;
using Trapweave.Internal;

namespace Trapweave;

/// <summary>Call sites of one woven assembly that reach a member through redirect stubs (<see cref="TrapExplanation.Redirects"/>).</summary>
public sealed class RedirectedCallSites
{
    internal RedirectedCallSites(Assembly assembly, MethodBase calledAs, int callSites)
    {
        Assembly = assembly;
        CalledAs = calledAs;
        CallSites = callSites;
    }

    /// <summary>The woven assembly whose code makes the calls.</summary>
    public Assembly Assembly { get; }

    /// <summary>The member as the call sites name it: the member itself, or for a virtual member what it overrides or implements.</summary>
    public MethodBase CalledAs { get; }

    /// <summary>How many call sites (calls, constructions, method groups) are redirected.</summary>
    public int CallSites { get; }

    public override string ToString() =>
        $"{Assembly.GetName().Name}: {CallSites} call site{(CallSites == 1 ? "" : "s")}" +
        (CalledAs is { } c ? $" to {TrapTarget.Describe(c)}" : "");
}
