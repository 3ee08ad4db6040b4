using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Text;

namespace Trapweave.Internal.Native;

/// <summary>
/// What a native patch of a member cannot reach: copies of it that the JIT inlined into callers
/// compiled before the patch. Only optimized code inlines (tier 1, ReadyToRun, methods compiled with
/// tiering off or [AggressiveOptimization]; tier 0 never does), and the patch sets the member's
/// no-inline flag, so callers compiled afterwards call it. ReadyToRun code inlines only within its
/// version bubble (one assembly for .NET's own, except [NonVersionable] members), so for a
/// precompiled assembly the callers that may hold a copy are its own methods calling it directly.
/// Computed only for <see cref="Trap.Explain"/>.
/// </summary>
internal sealed class InliningAnalysis
{
    const int Listed = 10;
    const int WalkDepth = 2;

    InliningAnalysis(string text, string? neverInlined, IReadOnlyList<MethodBase>? inlinedByPrecompiledCode,
                     IReadOnlyList<MethodBase> mayHaveInlined, IReadOnlyList<MethodBase> arrangeAsWell)
    {
        Text = text;
        NeverInlined = neverInlined;
        InlinedByPrecompiledCode = inlinedByPrecompiledCode;
        MayHaveInlined = mayHaveInlined;
        ArrangeAsWell = arrangeAsWell;
    }

    /// <summary>The account for people: what is reached and what is not, and what to arrange as well.</summary>
    public string Text { get; }

    /// <summary>Why no caller can hold an inlined copy; null when one may.</summary>
    public string? NeverInlined { get; }

    /// <summary>The methods whose precompiled code inlined it, as its ReadyToRun image records; null when not recorded.</summary>
    public IReadOnlyList<MethodBase>? InlinedByPrecompiledCode { get; }

    /// <summary>Methods of the member's assembly that may hold a copy: those of <see cref="InlinedByPrecompiledCode"/>, then those calling it directly.</summary>
    public IReadOnlyList<MethodBase> MayHaveInlined { get; }

    /// <summary>Public members to arrange as well: those of <see cref="MayHaveInlined"/>, then public callers of the non-public ones.</summary>
    public IReadOnlyList<MethodBase> ArrangeAsWell { get; }

    public static InliningAnalysis For(MethodBase member)
    {
        var assembly = member.Module.Assembly.GetName().Name;
        var never = WhyNeverInlined(member, assembly);
        if (never is not null)
            return new InliningAnalysis($"It cannot be inlined ({never}): every caller reaches the patch.", never, null, Array.Empty<MethodBase>(), Array.Empty<MethodBase>());

        var text = new StringBuilder("Callers compiled before the patch that inlined it are not reached; the runtime does not recompile them " +
                                     "(only optimized code inlines; callers compiled after the patch call it).");
        var index = CallerIndex.For(member.Module);
        if (index is null)
        {
            text.Append($" The file of {assembly} cannot be read, so its callers are not listed.");
            return new InliningAnalysis(text.ToString(), null, null, Array.Empty<MethodBase>(), Array.Empty<MethodBase>());
        }

        var precompiled = index.HasReadyToRunCode && JitConfig("ReadyToRun", 1) != 0;
        // The image records every inlining but those of [NonVersionable] inlinees, which other assemblies' code may inline too.
        var nonVersionable = IsNonVersionable(member);
        var recorded = precompiled && index.RecordsInlining && !nonVersionable
            ? Resolve(member.Module, index.InlinedInto(member.MetadataToken)).Where(c => c != member).ToList()
            : null;
        if (recorded is { Count: > 0 })
            text.Append($" The precompiled (ReadyToRun) code of {assembly} inlined it into {Count(recorded.Count, "method")}, as the image records: ").Append(List(recorded)).Append('.');
        else if (recorded is not null)
            text.Append($" The precompiled (ReadyToRun) code of {assembly} inlined it nowhere (the image records every inlining).");
        else if (precompiled)
            text.Append($" {assembly} is precompiled (ReadyToRun), and its precompiled code may have inlined it" +
                        (nonVersionable ? ", as may the precompiled code of other .NET assemblies: it is [NonVersionable] (not recorded)." : " (the image does not record where)."));
        else
            text.Append($" {assembly} is {(index.HasReadyToRunCode ? "precompiled, but ReadyToRun code is turned off in this process (DOTNET_ReadyToRun=0)" : "not precompiled")}.");

        // Callers not recorded as inliners hold a copy only if tier 1 (or tiering off) compiled them before the patch.
        var callers = Resolve(member.Module, index.CallersOf(member.MetadataToken)).Where(c => c != member && recorded?.Contains(c) != true).ToList();
        var other = recorded is { Count: > 0 } ? "other " : "";
        if (callers.Count == 1)
            text.Append($" One {other}method of {assembly} calls it directly and holds a copy only if the JIT optimized it before the patch: ").Append(List(callers)).Append('.');
        else if (callers.Count > 1)
            text.Append($" {callers.Count} {other}methods of {assembly} call it directly and hold a copy only if the JIT optimized them before the patch: ").Append(List(callers)).Append('.');
        else
            text.Append($" No {other}method of {assembly} calls it directly.");
        text.Append(" Callers in other assemblies are not listed.");

        var mayHaveInlined = (recorded ?? new List<MethodBase>()).Concat(callers).ToList();
        var direct = mayHaveInlined.Where(IsArrangeable).ToList();
        var (through, unfollowed) = PublicCallersThrough(mayHaveInlined.Where(c => !IsArrangeable(c)), index, member, direct);
        if (direct.Count + through.Count > 0)
        {
            text.Append(" To intercept those calls too, arrange as well: ");
            if (direct.Count > 0) text.Append(List(direct));
            if (through.Count > 0)
                text.Append(direct.Count > 0 ? "; and, calling it through non-public members: " : "calling it through non-public members: ").Append(List(through));
            text.Append('.');
        }
        else if (mayHaveInlined.Count > 0)
        {
            text.Append(" None of those methods is public.");
        }
        if (unfollowed > 0)
            text.Append($" {(unfollowed == 1 ? "One non-public method is" : $"{unfollowed} non-public methods are")} not called by a public member within {WalkDepth} levels of direct calls " +
                        "(calls through delegates, interfaces, other assemblies or longer chains are not followed).");
        return new InliningAnalysis(text.ToString(), null, recorded, mayHaveInlined, direct.Concat(through).ToList());
    }

    /// <summary>
    /// The public members that call <paramref name="hidden"/> through at most <see cref="WalkDepth"/> levels of
    /// non-public methods (by direct calls in the module's IL), and how many of <paramref name="hidden"/> reach no public member that way.
    /// </summary>
    static (List<MethodBase> Public, int Unfollowed) PublicCallersThrough(IEnumerable<MethodBase> hidden, CallerIndex index, MethodBase member, List<MethodBase> exclude)
    {
        var found = new List<MethodBase>();
        var unfollowed = 0;
        foreach (var start in hidden)
        {
            var reached = false;
            var seen = new HashSet<MethodBase> { start, member };
            var level = new List<MethodBase> { start };
            for (var depth = 0; depth < WalkDepth && level.Count > 0; depth++)
            {
                var next = new List<MethodBase>();
                foreach (var caller in level.SelectMany(m => Resolve(m.Module, index.CallersOf(m.MetadataToken))))
                {
                    if (!seen.Add(caller)) continue;
                    if (IsArrangeable(caller))
                    {
                        reached = true;
                        if (!exclude.Contains(caller) && !found.Contains(caller)) found.Add(caller);
                    }
                    else next.Add(caller);
                }
                level = next;
            }
            if (!reached) unfollowed++;
        }
        found.Sort((a, b) => string.CompareOrdinal(Name(a), Name(b)));
        return (found, unfollowed);
    }

    /// <summary>
    /// Why the JIT never inlines <paramref name="member"/>, or null when it may. The rules, from dotnet/runtime
    /// (src/coreclr/jit/inline.def and inlinepolicy.cpp, src/coreclr/vm/jitinterface.cpp CEEInfo::canInline):
    /// [NoInlining] (IS_NOINLINE), Synchronized (IS_SYNCHRONIZED), a StackCrawlMark (RequireSecObject), a
    /// module compiled with optimizations disabled ("Inlinee is debuggable"), more IL than the
    /// ExtendedDefaultPolicy takes without [AggressiveInlining] (TOO_MUCH_IL: JitExtDefaultPolicyMaxIL
    /// 0x80 bytes, JitExtDefaultPolicyMaxILProf 0x400 at call sites with profile data; the larger one
    /// is the bound), exception handling before .NET 10 (HAS_EH). On .NET 10 try/finally is inlined
    /// (JitInlineMethodsWithEH, on by default) and a catch is not, even with [AggressiveInlining]
    /// (measured with DOTNET_JitDisasm: a try/finally callee is called on 8.0.31 and 9.0.20, inlined on 10.0.12). Other limits depend on the call site, so they prove nothing here.
    /// </summary>
    static string? WhyNeverInlined(MethodBase member, string? assembly)
    {
        var impl = member.MethodImplementationFlags;
        if ((impl & MethodImplAttributes.NoInlining) != 0) return "it is [MethodImpl(MethodImplOptions.NoInlining)]";
        if ((impl & MethodImplAttributes.Synchronized) != 0) return "it is [MethodImpl(MethodImplOptions.Synchronized)]";
        if ((member.Attributes & MethodAttributes.RequireSecObject) != 0) return "it looks up its caller on the stack";
        if (member.Module.Assembly.GetCustomAttribute<DebuggableAttribute>() is { IsJITOptimizerDisabled: true })
            return $"{assembly} was compiled without optimizations (a Debug build), and the runtime never inlines its methods";
        MethodBody? body;
        try { body = member.GetMethodBody(); }
        catch (Exception) { return null; }
        if (body is null) return null;
        var clauses = body.ExceptionHandlingClauses;
        if (clauses.Any(c => c.Flags is ExceptionHandlingClauseOptions.Clause or ExceptionHandlingClauseOptions.Filter))
            return "it catches exceptions, and the JIT never inlines a method with a catch or filter handler";
        if (clauses.Count > 0 && (Environment.Version.Major < 10 || JitConfig("JitInlineMethodsWithEH", 1) == 0))
            return $"it has an exception handler, and the JIT of {Environment.Version.ToString(2)} never inlines those";
        if ((impl & MethodImplAttributes.AggressiveInlining) == 0)
        {
            var size = body.GetILAsByteArray()?.Length ?? 0;
            var limit = Math.Max(JitConfig("JitExtDefaultPolicyMaxIL", 0x80), JitConfig("JitExtDefaultPolicyMaxILProf", 0x400));
            if (size > limit)
                return $"too large: {size.ToString("N0", CultureInfo.InvariantCulture)} bytes of IL, and the JIT inlines at most {limit.ToString("N0", CultureInfo.InvariantCulture)} without [AggressiveInlining]";
        }
        return null;
    }

    /// <summary>A JIT/runtime setting as the runtime reads it: DOTNET_ or COMPlus_ prefix, hexadecimal.</summary>
    static int JitConfig(string name, int fallback)
    {
        var text = Environment.GetEnvironmentVariable("DOTNET_" + name) ?? Environment.GetEnvironmentVariable("COMPlus_" + name);
        if (text is null) return fallback;
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) text = text.Substring(2);
        return int.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value) ? value : fallback;
    }

    static bool IsNonVersionable(MethodBase member) =>
        member.CustomAttributes.Any(a => a.AttributeType.FullName == "System.Runtime.Versioning.NonVersionableAttribute");

    /// <summary>Public or protected, on a type visible outside its assembly: a member users can name and arrange.</summary>
    static bool IsArrangeable(MethodBase method) =>
        (method.IsPublic || method.IsFamily || method.IsFamilyOrAssembly) && method.DeclaringType is { IsVisible: true };

    static List<MethodBase> Resolve(Module module, IEnumerable<int> tokens)
    {
        var found = new List<MethodBase>();
        foreach (var token in tokens)
        {
            try
            {
                if (module.ResolveMethod(token) is { } method && !found.Contains(method)) found.Add(method);
            }
            catch (Exception e) when (e is ArgumentException or BadImageFormatException or TypeLoadException or MissingMemberException) { }
        }
        found.Sort((a, b) => string.CompareOrdinal(Name(a), Name(b)));
        return found;
    }

    static string List(IReadOnlyList<MethodBase> methods)
    {
        var names = methods.Take(Listed).Select(Name);
        var text = string.Join(", ", names);
        return methods.Count > Listed ? $"{text} and {methods.Count - Listed} more" : text;
    }

    static string Count(int n, string what) => $"{n} {what}{(n == 1 ? "" : "s")}";

    /// <summary>A property accessor as the property (<c>DateTimeOffset.UtcNow</c>), anything else as <see cref="TrapTarget.Describe"/> does.</summary>
    public static string Name(MethodBase method)
    {
        if (method.IsSpecialName && method.DeclaringType is { } type && method.Name.Length > 4 && method.Name[3] == '_' &&
            (method.Name.StartsWith("get_", StringComparison.Ordinal) || method.Name.StartsWith("set_", StringComparison.Ordinal)))
        {
            var property = method.Name.Substring(4);
            var suffix = method.Name[0] == 's' ? " (set)" : "";
            if (method.GetParameters().Length <= (suffix.Length > 0 ? 1 : 0))
                return TrapTarget.TypeName(type) + "." + property + suffix;
        }
        return TrapTarget.Describe(method);
    }
}
