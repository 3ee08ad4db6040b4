using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text;
using Trapweave.Internal;

namespace Trapweave;

/// <summary>
/// How a member can be intercepted in this process (<see cref="Trap.Explain"/>): woven, redirected
/// (in which loaded assemblies, how many call sites), or not at all and why, with the fix.
/// <see cref="ToString"/> is the account for people.
/// </summary>
public sealed class TrapExplanation
{
    TrapExplanation(MethodBase member, TrapMechanism mechanism, IReadOnlyList<RedirectedCallSites> redirects, string? reason)
    {
        Member = member;
        Mechanism = mechanism;
        Redirects = redirects;
        Reason = reason;
    }

    public MethodBase Member { get; }

    public TrapMechanism Mechanism { get; }

    /// <summary>Whether a registration on the member can take calls (from somewhere).</summary>
    public bool IsInterceptable => Mechanism != TrapMechanism.None;

    /// <summary>The woven assemblies loaded in this process whose call sites reach the member through redirect stubs.</summary>
    public IReadOnlyList<RedirectedCallSites> Redirects { get; }

    /// <summary>Total redirected call sites in the loaded woven assemblies.</summary>
    public int RedirectedCallSiteCount => Redirects.Sum(r => r.CallSites);

    /// <summary>Why it cannot be intercepted and what would make it so; null when it can.</summary>
    public string? Reason { get; }

    internal static TrapExplanation For(MethodBase member)
    {
        if (member is null) throw new ArgumentNullException(nameof(member));
        member = TrapTarget.Canonical(member);
        try
        {
            if (TrapTarget.Woven(member) is not null)
                return new TrapExplanation(member, TrapMechanism.Woven, RedirectsTo(member), null);
        }
        catch (TrapException e)
        {
            return new TrapExplanation(member, TrapMechanism.None, Array.Empty<RedirectedCallSites>(), e.Message);
        }
        RedirectIndex.LoadReferencedAssemblies();
        var redirects = RedirectsTo(member);
        if (redirects.Count > 0) return new TrapExplanation(member, TrapMechanism.Redirected, redirects, null);
        string reason;
        try
        {
            TrapTarget.Resolve(member, null);
            reason = "no woven assembly loaded in this process calls it.";
        }
        catch (TrapException e)
        {
            reason = e.Message;
        }
        return new TrapExplanation(member, TrapMechanism.None, redirects, reason);
    }

    static IReadOnlyList<RedirectedCallSites> RedirectsTo(MethodBase member)
    {
        // A native twin indexed earlier counts only while the member can still be patched (the switch may be off now).
        var twins = Internal.Native.NativeFallback.Unavailable(member) is null;
        return RedirectResolver.CalledAs(member, null)
            .SelectMany(called => RedirectIndex.For(RedirectRoute.DefinitionOf(called)).Where(stub => twins || stub.Kind != RedirectKind.Twin).Select(stub => (called, stub)))
            .GroupBy(x => (x.stub.Assembly, Member: RedirectRoute.DefinitionOf(x.called)))
            .Select(g => new RedirectedCallSites(g.Key.Assembly, g.First().called, g.Sum(x => CallSiteCounter.Count(x.stub))))
            .ToList();
    }

    public override string ToString()
    {
        var name = TrapTarget.Describe(Member);
        var text = new StringBuilder();
        switch (Mechanism)
        {
            case TrapMechanism.Woven:
                text.Append($"{name} is woven (a trap prologue in {Member.Module.Assembly.GetName().Name}): every call to it can be intercepted, from any code.");
                break;
            case TrapMechanism.Redirected:
                text.Append($"{name} is not woven ({Member.Module.Assembly.GetName().Name}); calls to it from woven code are redirected through traps and can be intercepted: ");
                text.Append(string.Join("; ", Redirects));
                text.Append(". Calls from code that is not woven (the test assembly itself, unwoven libraries, .NET) run it directly and are not intercepted.");
                break;
            default:
                text.Append($"{name} cannot be intercepted. {Reason}");
                break;
        }
        return text.ToString();
    }
}
