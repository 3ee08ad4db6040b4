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
    TrapExplanation(MethodBase member, TrapMechanism mechanism, IReadOnlyList<RedirectedCallSites> redirects, string? reason, string? nativeLimits = null,
                    Internal.Native.InliningAnalysis? inlining = null)
    {
        NativeLimits = nativeLimits;
        IsNativelyPatched = mechanism.HasFlag(TrapMechanism.Native) && Internal.Native.NativeFallback.IsPatched(member);
        InlinedByPrecompiledCode = inlining?.InlinedByPrecompiledCode;
        MayHaveInlined = inlining?.MayHaveInlined ?? Array.Empty<MethodBase>();
        ArrangeAsWell = inlining?.ArrangeAsWell ?? Array.Empty<MethodBase>();
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

    /// <summary>
    /// With <see cref="TrapMechanism.Native"/>: the calls a native patch cannot reach, and what to arrange
    /// as well; otherwise why the member is not patched natively (null when it is woven).
    /// </summary>
    public string? NativeLimits { get; }

    /// <summary>With <see cref="TrapMechanism.Native"/>: whether its compiled code is patched now (a registration on it is alive).</summary>
    public bool IsNativelyPatched { get; }

    /// <summary>
    /// With <see cref="TrapMechanism.Native"/>, for a member of a precompiled (ReadyToRun) assembly: the methods
    /// whose precompiled code inlined it, as the image records; null when not recorded (or not precompiled).
    /// </summary>
    public IReadOnlyList<MethodBase>? InlinedByPrecompiledCode { get; }

    /// <summary>
    /// With <see cref="TrapMechanism.Native"/>: the methods of the member's own assembly whose code compiled
    /// before a patch may hold an inlined copy that the patch does not reach: those of
    /// <see cref="InlinedByPrecompiledCode"/>, then those calling it directly (a copy if the JIT optimized
    /// them before the patch). Empty when the member cannot be inlined.
    /// </summary>
    public IReadOnlyList<MethodBase> MayHaveInlined { get; }

    /// <summary>
    /// With <see cref="TrapMechanism.Native"/>: the public members to arrange as well so that those calls are
    /// intercepted too (the public ones of <see cref="MayHaveInlined"/>, then public members calling the others).
    /// </summary>
    public IReadOnlyList<MethodBase> ArrangeAsWell { get; }

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
        var nativeWhyNot = Internal.Native.NativeFallback.Unavailable(member);
        var mechanism = (redirects.Count > 0 ? TrapMechanism.Redirected : TrapMechanism.None) |
                        (nativeWhyNot is null ? TrapMechanism.Native : TrapMechanism.None);
        if (mechanism != TrapMechanism.None)
        {
            // Only here, on demand: the analysis reads the member's assembly file once (cached per module).
            var inlining = nativeWhyNot is null ? Internal.Native.InliningAnalysis.For(member) : null;
            return new TrapExplanation(member, mechanism, redirects, null, nativeWhyNot ?? inlining!.Text, inlining);
        }
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

    static IReadOnlyList<RedirectedCallSites> RedirectsTo(MethodBase member) =>
        RedirectResolver.CalledAs(member, null)
            .SelectMany(called => RedirectIndex.For(RedirectRoute.DefinitionOf(called)).Where(stub => stub.Kind != RedirectKind.Twin).Select(stub => (called, stub)))
            .GroupBy(x => (x.stub.Assembly, Member: RedirectRoute.DefinitionOf(x.called)))
            .Select(g => new RedirectedCallSites(g.Key.Assembly, g.First().called, g.Sum(x => CallSiteCounter.Count(x.stub))))
            .ToList();

    public override string ToString()
    {
        var name = TrapTarget.Describe(Member);
        var assembly = Member.Module.Assembly.GetName().Name;
        var text = new StringBuilder();
        if (Mechanism.HasFlag(TrapMechanism.Woven))
            return $"{name} is woven (a trap prologue in {assembly}): every call to it can be intercepted, from any code.";
        if (Mechanism == TrapMechanism.None) return $"{name} cannot be intercepted. {Reason}";
        text.Append($"{name} is not woven ({assembly}).");
        if (Mechanism.HasFlag(TrapMechanism.Redirected))
            text.Append(" Calls to it from woven code are redirected through traps: ").Append(string.Join("; ", Redirects)).Append('.');
        if (Mechanism.HasFlag(TrapMechanism.Native))
            text.Append(" While a registration on it is alive its compiled code is patched (it is ").Append(IsNativelyPatched ? "now" : "not now")
                .Append("), so calls from code nobody wove are intercepted too. ").Append(NativeLimits);
        else
            text.Append(" Calls from code that is not woven run it directly and are not intercepted: ").Append(NativeLimits).Append('.');
        return text.ToString();
    }
}
