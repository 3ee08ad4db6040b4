using System.Collections;
using System.Diagnostics;
using System.Reflection;
using External;
using Trapweave.Internal;

namespace Trapweave.Tests.Native;

/// <summary>
/// <see cref="Trap.Explain"/> for natively patched members: which callers may hold an inlined copy the
/// patch cannot reach (read from the IL of the member's assembly), and which public members to arrange as well.
/// </summary>
public class ExplainNativeTests
{
    static readonly MethodInfo UtcNow = typeof(DateTime).GetProperty(nameof(DateTime.UtcNow))!.GetMethod!;

    [Fact]
    public void DateTime_UtcNow_names_DateTimeOffset_UtcNow_among_the_members_to_arrange_as_well()
    {
        var explanation = Trap.Explain(UtcNow);
        Assert.True(explanation.Mechanism.HasFlag(TrapMechanism.Native), explanation.ToString());

        var dtoUtcNow = typeof(DateTimeOffset).GetProperty(nameof(DateTimeOffset.UtcNow))!.GetMethod!;
        var now = typeof(DateTime).GetProperty(nameof(DateTime.Now))!.GetMethod!;
        Assert.Contains(dtoUtcNow, explanation.MayHaveInlined);
        Assert.Contains(now, explanation.MayHaveInlined);
        Assert.Contains(dtoUtcNow, explanation.ArrangeAsWell);
        Assert.Contains(now, explanation.ArrangeAsWell);
        // The image records where CoreLib's precompiled code inlined it (.NET 8 to 10 all keep that table).
        Assert.NotNull(explanation.InlinedByPrecompiledCode);
        // Every other caller named calls it directly (checked with the reflection reader, not the index's).
        foreach (var caller in explanation.MayHaveInlined.Except(explanation.InlinedByPrecompiledCode))
        {
            Assert.Same(typeof(object).Assembly, caller.Module.Assembly);
            Assert.Contains(UtcNow, IlScanner.CalledMethods(caller));
        }
        Assert.All(explanation.ArrangeAsWell, m => Assert.True(m.IsPublic && m.DeclaringType!.IsVisible, m.ToString()));

        var text = explanation.ToString();
        Assert.Contains("DateTimeOffset.UtcNow", text);
        Assert.Contains("callers compiled before the patch that inlined it are not reached; the runtime does not recompile them", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("The precompiled (ReadyToRun) code of System.Private.CoreLib inlined it", text);
    }

    [Fact]
    public void The_precompiled_code_that_inlined_a_framework_member_is_read_from_its_image()
    {
        var isNullOrEmpty = typeof(string).GetMethod(nameof(string.IsNullOrEmpty))!;
        var explanation = Trap.Explain(isNullOrEmpty);
        var recorded = explanation.InlinedByPrecompiledCode;
        Assert.NotNull(recorded);
        Assert.NotEmpty(recorded);
        Assert.Contains(recorded[0], explanation.MayHaveInlined);
        // A recorded inliner calls it in its IL, directly or through the methods it inlined (a few levels at most).
        foreach (var inliner in recorded.Take(25))
        {
            Assert.Same(typeof(object).Assembly, inliner.Module.Assembly);
            Assert.True(Reaches(inliner, isNullOrEmpty, 3), $"{inliner.DeclaringType}.{inliner.Name} is recorded as inlining string.IsNullOrEmpty but does not call it");
        }
        Assert.Contains("as the image records", explanation.NativeLimits);
    }

    static bool Reaches(MethodBase from, MethodBase target, int depth)
    {
        var called = IlScanner.CalledMethods(from).ToList();
        return called.Contains(target) || (depth > 1 && called.Where(c => c.Module == target.Module).Distinct().Any(c => Reaches(c, target, depth - 1)));
    }

    [Fact]
    public void A_method_too_large_to_inline_is_reached_from_every_caller()
    {
        // (Framework methods this large are virtual or non-public: virtual ones are not patched natively.)
        var large = typeof(Inlining).GetMethod(nameof(Inlining.Large))!;
        Assert.True(large.GetMethodBody()!.GetILAsByteArray()!.Length > 1024);
        var explanation = Trap.Explain(large);
        Assert.True(explanation.Mechanism.HasFlag(TrapMechanism.Native), explanation.ToString());
        Assert.Empty(explanation.MayHaveInlined);
        Assert.Empty(explanation.ArrangeAsWell);
        Assert.Contains("too large", explanation.NativeLimits);
        Assert.Contains("every caller reaches the patch", explanation.NativeLimits);
        Assert.DoesNotContain("not reached", explanation.ToString());
    }

    [Fact]
    public void A_NoInlining_method_of_an_unwoven_library_cannot_be_inlined()
    {
        var explanation = Trap.Explain(typeof(Inlining).GetMethod(nameof(Inlining.NeverInlined))!);
        Assert.True(explanation.Mechanism.HasFlag(TrapMechanism.Native), explanation.ToString());
        Assert.Empty(explanation.MayHaveInlined);
        Assert.Contains("NoInlining", explanation.NativeLimits);
        Assert.Contains("every caller reaches the patch", explanation.NativeLimits);
    }

    [Fact]
    public void A_method_with_a_catch_handler_cannot_be_inlined()
    {
        var explanation = Trap.Explain(typeof(Inlining).GetMethod(nameof(Inlining.Guarded))!);
        Assert.Empty(explanation.MayHaveInlined);
        Assert.Contains("catch", explanation.NativeLimits);
        Assert.Contains("every caller reaches the patch", explanation.NativeLimits);
    }

    [Fact]
    public void A_method_with_a_finally_handler_is_inlined_from_NET_10_on()
    {
        var explanation = Trap.Explain(typeof(Inlining).GetMethod(nameof(Inlining.Finally))!);
        if (Environment.Version.Major >= 10)
            Assert.Contains("not reached; the runtime does not recompile them", explanation.NativeLimits);
        else
            Assert.Contains("it has an exception handler", explanation.NativeLimits);
    }

    [Fact]
    public void A_small_static_of_an_unwoven_library_lists_its_callers_in_that_library()
    {
        var explanation = Trap.Explain(typeof(Inlining).GetMethod(nameof(Inlining.Small))!);
        Assert.True(explanation.Mechanism.HasFlag(TrapMechanism.Native), explanation.ToString());
        var inlining = typeof(Inlining);
        Assert.Equal(
            new[] { "GenericHidden", "Hidden", nameof(Inlining.Twice) },
            explanation.MayHaveInlined.Select(m => m.Name).OrderBy(n => n, StringComparer.Ordinal));
        Assert.All(explanation.MayHaveInlined, m => Assert.Equal(inlining, m.DeclaringType));
        // The public callers first, then public members reaching it through the non-public ones (a MethodSpec call included).
        Assert.Equal(
            new[] { nameof(Inlining.Twice), nameof(Inlining.ThroughGeneric), nameof(Inlining.ThroughHidden) },
            explanation.ArrangeAsWell.Select(m => m.Name));

        var text = explanation.ToString();
        Assert.Contains("Trapweave.External is not precompiled", text);
        Assert.Contains("not reached; the runtime does not recompile them", text);
        Assert.Contains("Inlining.Twice(Int32)", text);
        Assert.Contains("Callers in other assemblies are not listed", text);
        Assert.DoesNotContain("not called by a public member", text);
    }

    [Fact]
    public void Public_members_beyond_two_levels_of_non_public_callers_are_said_not_to_be_followed()
    {
        var explanation = Trap.Explain(typeof(Inlining).GetMethod(nameof(Inlining.Deep))!);
        Assert.Equal(new[] { "Deep3" }, explanation.MayHaveInlined.Select(m => m.Name));
        Assert.Empty(explanation.ArrangeAsWell);
        Assert.Contains("One non-public method is not called by a public member within 2 levels of direct calls", explanation.NativeLimits);
    }

    [Fact]
    public void What_Explain_names_is_real_a_caller_that_inlined_it_before_the_patch_is_not_reached()
    {
        var tiny = typeof(Inlining).GetMethod(nameof(Inlining.Tiny))!;
        var before = typeof(Inlining).GetMethod(nameof(Inlining.CallsTinyOptimized))!;
        var after = typeof(Inlining).GetMethod(nameof(Inlining.CallsTinyOptimizedLater))!;
        Assert.Equal(2, Inlining.CallsTinyOptimized(1)); // compiled now, optimized: Tiny is inlined into it
        var explanation = Trap.Explain(tiny);
        Assert.Contains(before, explanation.MayHaveInlined);
        Assert.Contains(after, explanation.MayHaveInlined);
        Assert.False(explanation.IsNativelyPatched);
        Assert.Contains("(it is not now)", explanation.ToString());

        using (Trap.Patch<Func<int, int>>(Inlining.Tiny, x => -100))
        {
            var patched = Trap.Explain(tiny);
            Assert.True(patched.IsNativelyPatched);
            Assert.Contains("(it is now)", patched.ToString());
            Assert.Equal(-100, Inlining.Tiny(1));
            Assert.Equal(2, Inlining.CallsTinyOptimized(1)); // its inlined copy: not reached, as Explain says
            Assert.Equal(-100, Inlining.CallsTinyOptimizedLater(1)); // compiled after the patch: it calls Tiny
        }
        Assert.Equal(2, Inlining.Tiny(1));
        Assert.False(Trap.Explain(tiny).IsNativelyPatched);
    }

    [Fact]
    public void A_method_of_an_assembly_built_without_optimizations_cannot_be_inlined()
    {
        var method = typeof(ExplainNativeTests).GetMethod(nameof(SmallHere), BindingFlags.NonPublic | BindingFlags.Static)!;
        var explanation = Trap.Explain(method);
        Assert.True(explanation.Mechanism.HasFlag(TrapMechanism.Native), explanation.ToString());
        var debug = typeof(ExplainNativeTests).Assembly.GetCustomAttribute<DebuggableAttribute>() is { IsJITOptimizerDisabled: true };
        if (debug)
        {
            Assert.Contains("Trapweave.Tests was compiled without optimizations", explanation.NativeLimits);
            Assert.Empty(explanation.MayHaveInlined);
        }
        else
        {
            Assert.Contains("not reached", explanation.NativeLimits);
            Assert.Contains(typeof(ExplainNativeTests).GetMethod(nameof(CallsSmallHere), BindingFlags.NonPublic | BindingFlags.Static), explanation.MayHaveInlined);
        }
    }

    static int SmallHere(int x) => x + 4;

    static int CallsSmallHere(int x) => SmallHere(x);
}
