using External;
using Fixtures.Redirects;

namespace Trapweave.Tests.Redirect;

/// <summary><see cref="Trap.Explain"/>: woven, redirected (where, how many call sites), or not at all and why.</summary>
public class ExplainTests
{
    [Fact]
    public void A_woven_method_is_explained_as_woven()
    {
        var method = typeof(RedirectedCalls).GetMethod(nameof(RedirectedCalls.StaticCall))!;
        var explanation = Trap.Explain(method);
        Assert.Equal(TrapMechanism.Woven, explanation.Mechanism);
        Assert.True(explanation.IsInterceptable);
        Assert.Null(explanation.Reason);
        Assert.Contains("is woven", explanation.ToString());
        Assert.Contains("Trapweave.Fixtures", explanation.ToString());
    }

    [Fact]
    public void A_redirected_member_names_the_assemblies_and_counts_their_call_sites()
    {
        // RedirectedCalls.InParameter is the fixtures' one call to Library.Sum.
        var sum = typeof(Library).GetMethod(nameof(Library.Sum))!;
        var explanation = Trap.Explain(sum);
        Assert.True(explanation.Mechanism.HasFlag(TrapMechanism.Redirected), explanation.ToString());
        var fixtures = explanation.Redirects.Where(r => r.Assembly == typeof(RedirectedCalls).Assembly).ToList();
        Assert.Single(fixtures);
        Assert.Equal(1, fixtures[0].CallSites);
        Assert.Contains("Trapweave.Fixtures: 1 call site", explanation.ToString());
        Assert.Contains("not woven", explanation.ToString());
    }

    [Fact]
    public void Call_sites_of_every_call_kind_are_counted()
    {
        // Store.Describe: a callvirt (NonVirtualCall) and a method group (NonVirtualMethodGroup), in both fixture builds.
        var describe = typeof(Store).GetMethod(nameof(Store.Describe))!;
        var inFixtures = Trap.Explain(describe).Redirects.Where(r => r.Assembly == typeof(RedirectedCalls).Assembly).Sum(r => r.CallSites);
        Assert.Equal(2, inFixtures);
    }

    [Fact]
    public void An_override_is_reached_through_what_it_overrides_and_implements()
    {
        var get = typeof(CachedStore).GetMethod(nameof(CachedStore.Get))!;
        var explanation = Trap.Explain(get);
        Assert.True(explanation.Mechanism.HasFlag(TrapMechanism.Redirected), explanation.ToString());
        var calledAs = explanation.Redirects.Select(r => r.CalledAs.DeclaringType).ToHashSet();
        Assert.Contains(typeof(Store), calledAs);
        Assert.Contains(typeof(IStore), calledAs);
    }

    [Fact]
    public void The_clock_is_redirected_by_the_default_set()
    {
        var now = typeof(DateTime).GetProperty(nameof(DateTime.Now))!.GetMethod!;
        var explanation = Trap.Explain(now);
        Assert.True(explanation.Mechanism.HasFlag(TrapMechanism.Redirected), explanation.ToString());
        Assert.True(explanation.RedirectedCallSiteCount >= 2, explanation.ToString());
    }

    [Fact]
    public void A_NoTrap_method_is_explained_as_never_intercepted()
    {
        var method = typeof(RedirectedCalls).GetMethod(nameof(RedirectedCalls.InNoTrapMethod))!;
        var explanation = Trap.Explain(method);
        Assert.Equal(TrapMechanism.None, explanation.Mechanism);
        Assert.Contains("NoTrap", explanation.Reason);
    }
}

/// <summary>
/// <see cref="Trap.Explain"/> with the native fallback off (the switch is process-wide): a member
/// neither woven nor redirected is not interceptable, and the reason is the registration's message.
/// </summary>
[Collection(NotInParallel.Name)]
public class ExplainWithoutNativeFallbackTests
{
    [Fact]
    public void A_framework_member_nobody_redirects_is_explained_with_the_fix()
    {
        var processorCount = typeof(Environment).GetProperty(nameof(Environment.ProcessorCount))!.GetMethod!;
        // With the fallback on first, so that its twin exists: an earlier twin must not count once it is off.
        using (Trap.When(() => Environment.ProcessorCount).Returns(1)) { }
        using var off = new Native.NativeFallbackOff();
        var explanation = Trap.Explain(processorCount);
        Assert.Equal(TrapMechanism.None, explanation.Mechanism);
        Assert.False(explanation.IsInterceptable);
        Assert.Empty(explanation.Redirects);
        Assert.Contains("Redirect=\"System.Environment::get_ProcessorCount\"", explanation.Reason);
        Assert.DoesNotContain("System.Private.CoreLib'", explanation.Reason);
        Assert.Equal(explanation.Reason, Assert.Throws<TrapException>(() => Trap.When(() => Environment.ProcessorCount)).Message);
    }
}
